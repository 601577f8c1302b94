/**
 * Any JSON value, as named schemas: engine internals and factor evidence are typed, never
 * `unknown`. `JsonObject` maps names to `JsonValue`s (recursive through objects, without limit);
 * arrays nest directly in arrays at most `MAX_ARRAY_NESTING` deep — the most TypeScript can type
 * in the clients generators such as openapi-typescript write (an array of itself through an
 * indexed type is circular there). `boundArrays` (src/shared/json.ts) keeps served values inside it.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { MAX_ARRAY_NESTING } from '../../shared/json.js';


const scalars = () => [Type.String(), Type.Number(), Type.Boolean(), Type.Null(), Type.Ref('JsonObject')];
function arrays(depth: number): TSchema {
  const items = depth > 1 ? Type.Union([...scalars(), arrays(depth - 1)]) : Type.Union(scalars());
  return Type.Array(items);
}

export const JsonValue = Type.Union([...scalars(), arrays(MAX_ARRAY_NESTING)], { $id: 'JsonValue', description: 'Any JSON value (arrays directly inside arrays at most 3 deep)' });
export const JsonObjectSchema = Type.Record(Type.String(), Type.Ref('JsonValue'), { $id: 'JsonObject', description: 'An object of JSON values' });
/** An object of JSON values (refers to the `JsonObject` component). */
export const JsonObject = Type.Ref('JsonObject');
