/**
 * Use case "review session": an operator approves or rejects a session of their own tenant,
 * with a reason. Allowed from WAITING_FOR_MANUAL_APPROVE and from the automatic outcomes
 * (an operator may overturn them); a manual result is final, EXPIRED and PENDING cannot be
 * reviewed. The status change, the audit entry and the `session.reviewed` webhook are written in
 * one transaction, conditional on the status not having changed meanwhile.
 */
import { CodedError } from '../../shared/errors.js';
import type { Operator } from '../store/operators.js';
import { makeEvent } from '../webhook/events.js';
import type { VerificationDeps } from '../verification/decide-session.js';
import type { VerificationStatus } from '../verification/types.js';

export const REVIEWABLE: readonly VerificationStatus[] = ['WAITING_FOR_MANUAL_APPROVE', 'AUTO_APPROVED', 'AUTO_REJECTED'];
export const REASON_MAX_CHARS = 1000;

export async function reviewSession(
  deps: VerificationDeps,
  operator: Operator,
  sessionId: string,
  action: 'APPROVE' | 'REJECT',
  reasonRaw: string,
): Promise<VerificationStatus> {
  const reason = reasonRaw.trim();
  if (reason.length < 3 || reason.length > REASON_MAX_CHARS) throw new CodedError('REQUEST_INVALID', `a reason of 3–${REASON_MAX_CHARS} characters is required`);
  const session = await deps.store.sessions.get(sessionId);
  if (!session || session.tenantId !== operator.tenantId) throw new CodedError('SESSION_NOT_FOUND');
  const current = await deps.verification.get(sessionId);
  if (!current || !REVIEWABLE.includes(current.status)) throw new CodedError('REVIEW_NOT_ALLOWED');
  const to: VerificationStatus = action === 'APPROVE' ? 'MANUAL_APPROVED' : 'MANUAL_REJECTED';
  const now = deps.now();
  const endpoint = await deps.webhooks.getEndpoint(session.tenantId);
  const events = endpoint
    ? [
        makeEvent(
          session.tenantId,
          'session.reviewed',
          { sessionId, externalId: session.externalId, status: to, decision: current.decision, review: { action, reason, operatorId: operator.id } },
          now,
        ),
      ]
    : [];
  const ok = await deps.verification.review(
    sessionId,
    current.status,
    to,
    { id: deps.newId(), sessionId, tenantId: session.tenantId, operatorId: operator.id, action, reason, previousStatus: current.status, createdAt: now },
    events,
  );
  if (!ok) throw new CodedError('REVIEW_NOT_ALLOWED');
  return to;
}
