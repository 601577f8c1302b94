/**
 * Arrays nest directly in arrays at most MAX_ARRAY_NESTING deep in what the API serves as "any JSON"
 * (engine internals): the most a TypeScript client generated from the OpenAPI document can type
 * (src/server/http/json-value.ts).
 */
export const MAX_ARRAY_NESTING = 3;

/** `value` with every array nested deeper than MAX_ARRAY_NESTING inside arrays replaced by its JSON text. */
export function boundArrays(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    if (depth >= MAX_ARRAY_NESTING) return JSON.stringify(value);
    return value.map((v) => boundArrays(v, depth + 1));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundArrays(v, 0)]));
  return value;
}
