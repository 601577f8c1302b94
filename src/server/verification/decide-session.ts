/**
 * Use case "decide session": run when a session completes (and by the maintenance job for a
 * completed session that has no result, e.g. after a crash between the two). Reads the accepted
 * captures' stored engine results, computes the factors and the decision with the tenant's
 * policy, stores the result and, when the tenant has a webhook endpoint, the
 * `session.completed` and `session.decided` events — in one transaction. Idempotent.
 */
import type { Store } from '../store/index.js';
import type { VerificationRecord, VerificationRepo } from '../store/verification.js';
import type { WebhookRepo } from '../store/webhooks.js';
import type { DocumentResult, FaceCheckResult } from '../vision/contract.js';
import { factorSummary, makeEvent } from '../webhook/events.js';
import { statusOf, verify } from './decide.js';
import { DEFAULT_VERIFICATION_THRESHOLDS, parsePolicy, type VerificationPolicy } from './thresholds.js';

export interface VerificationDeps {
  store: Store;
  verification: VerificationRepo;
  webhooks: WebhookRepo;
  now: () => number;
  newId: () => string;
}

export async function policyFor(deps: Pick<VerificationDeps, 'verification'>, tenantId: string): Promise<VerificationPolicy> {
  try {
    return parsePolicy(await deps.verification.getPolicy(tenantId));
  } catch {
    // Stored policies are validated when set; an unreadable one falls back to the defaults.
    return { ...DEFAULT_VERIFICATION_THRESHOLDS };
  }
}

export async function decideSession(deps: VerificationDeps, sessionId: string): Promise<VerificationRecord | null> {
  const existing = await deps.verification.get(sessionId);
  if (existing) return existing;
  const session = await deps.store.sessions.get(sessionId);
  if (!session || session.status !== 'COMPLETED') return null;
  const result = async (id: string | null) => (id ? ((await deps.store.sessions.getCapture(id))?.result ?? null) : null);
  const now = deps.now();
  const policy = await policyFor(deps, session.tenantId);
  const outcome = verify(
    {
      now,
      steps: session.steps,
      applicantForm: session.applicantForm,
      skipIntegrityCheck: session.skipIntegrityCheck,
      front: (await result(session.frontCaptureId)) as DocumentResult | null,
      back: (await result(session.backCaptureId)) as DocumentResult | null,
      face: (await result(session.faceCaptureId)) as FaceCheckResult | null,
    },
    policy,
  );
  const status = statusOf(outcome.decision);
  const record: VerificationRecord = {
    sessionId,
    tenantId: session.tenantId,
    status,
    decision: outcome.decision,
    factors: outcome.factors,
    reasons: outcome.reasons,
    policy,
    decidedAt: now,
    reviewedBy: null,
    reviewReason: null,
    reviewedAt: null,
    imagesPurgedAt: null,
    updatedAt: now,
  };
  const endpoint = await deps.webhooks.getEndpoint(session.tenantId);
  const base = { sessionId, externalId: session.externalId };
  const events = endpoint
    ? [
        makeEvent(session.tenantId, 'session.completed', { ...base, status: 'PENDING' }, session.completedAt ?? now),
        makeEvent(session.tenantId, 'session.decided', { ...base, status, decision: outcome.decision, factors: factorSummary(outcome.factors) }, now),
      ]
    : [];
  await deps.verification.insertFirst(record, events);
  return (await deps.verification.get(sessionId)) ?? record;
}
