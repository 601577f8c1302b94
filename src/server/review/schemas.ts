/** TypeBox schemas of the verification part's API output (used by http/schemas.ts SessionView). */
import { Type, type TSchema } from '@sinclair/typebox';
import { FACTOR_NAMES, VERIFICATION_STATUSES } from '../verification/types.js';
import { JsonObject } from '../http/json-value.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Level = Type.Union(['HIGH', 'MEDIUM', 'LOW', 'UNAVAILABLE', 'UNKNOWN'].map((l) => Type.Literal(l)));
export const VerificationStatusSchema = Type.Union(VERIFICATION_STATUSES.map((s) => Type.Literal(s)));
export const DecisionSchema = Type.Union([Type.Literal('HIGH'), Type.Literal('MEDIUM'), Type.Literal('LOW')]);

export const VerificationViewSchema = Type.Object({
  status: VerificationStatusSchema,
  decision: Nullable(DecisionSchema),
  reasons: Type.Array(Type.String()),
  factors: Type.Array(
    Type.Object({
      name: Type.Union(FACTOR_NAMES.map((n) => Type.Literal(n))),
      level: Level,
      score: Nullable(Type.Number()),
      evidence: JsonObject,
    }),
  ),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  review: Nullable(Type.Object({ operatorId: Type.String(), reason: Type.String(), reviewedAt: Type.String({ format: 'date-time' }) })),
  imagesPurgedAt: Nullable(Type.String({ format: 'date-time' })),
  webhookEvents: Type.Array(
    Type.Object({
      eventId: Type.String(),
      type: Type.String(),
      state: Type.String(),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      deliveredAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  webhookDeliveries: Type.Array(
    Type.Object({
      eventId: Type.String(),
      attempt: Type.Integer(),
      statusCode: Nullable(Type.Integer()),
      error: Nullable(Type.String()),
      durationMs: Type.Integer(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});
