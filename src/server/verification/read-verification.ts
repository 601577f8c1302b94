/**
 * The verification part of the session read view: status, decision, every factor with its score
 * and evidence, the review, the webhook delivery log.
 */
import type { Store } from '../store/index.js';
import { verificationRepo } from '../store/verification.js';
import { webhookRepo } from '../store/webhooks.js';
import type { Decision, Factor, VerificationStatus } from './types.js';

export interface VerificationView {
  status: VerificationStatus;
  decision: Decision | null;
  reasons: string[];
  factors: Factor[];
  decidedAt: string | null;
  review: { operatorId: string; reason: string; reviewedAt: string } | null;
  imagesPurgedAt: string | null;
  webhookEvents: Array<{ eventId: string; type: string; state: string; attempts: number; lastError: string | null; deliveredAt: string | null }>;
  webhookDeliveries: Array<{ eventId: string; attempt: number; statusCode: number | null; error: string | null; durationMs: number; at: string }>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export async function readVerification(store: Pick<Store, 'db'>, sessionId: string): Promise<VerificationView> {
  const v = await verificationRepo(store.db).get(sessionId);
  const webhooks = webhookRepo(store.db);
  const events = await webhooks.events(sessionId);
  const deliveries = await webhooks.deliveries(sessionId);
  return {
    status: v?.status ?? 'PENDING',
    decision: v?.decision ?? null,
    reasons: v?.reasons ?? [],
    factors: v?.factors ?? [],
    decidedAt: iso(v?.decidedAt ?? null),
    review: v?.reviewedAt ? { operatorId: v.reviewedBy ?? '', reason: v.reviewReason ?? '', reviewedAt: iso(v.reviewedAt)! } : null,
    imagesPurgedAt: iso(v?.imagesPurgedAt ?? null),
    webhookEvents: events.map((e) => ({ eventId: e.id, type: e.type, state: e.state, attempts: e.attempts, lastError: e.lastError, deliveredAt: iso(e.deliveredAt) })),
    webhookDeliveries: deliveries.map((d) => ({ eventId: d.eventId, attempt: d.attempt, statusCode: d.statusCode, error: d.error, durationMs: d.durationMs, at: iso(d.createdAt)! })),
  };
}
