/**
 * Maintenance jobs, each one bounded pass (safe to run on every node: each step is conditional):
 *  - decide completed sessions that have no result (the complete hook failed or the process died);
 *  - expire unfinished sessions older than the expiry period (status EXPIRED, `session.expired`);
 *  - purge the images of sessions whose result settled longer ago than the retention period,
 *    including the portrait crop the document engine keeps inside its result (the results,
 *    factors and audit trail stay; the session's image list becomes empty);
 *  - prune settled webhook events and delivery-log rows older than 90 days.
 * An expired session keeps its row; its access tokens have lapsed long before (token lifetime is
 * at most 7 days), and a later complete cannot change the EXPIRED result (first result wins).
 */
import { makeEvent } from '../webhook/events.js';
import { decideSession, type VerificationDeps } from './decide-session.js';

const BATCH = 100;
/** Delivered or failed webhook events and the delivery log are kept this long, ms. */
export const WEBHOOK_LOG_RETENTION_MS = 90 * 86_400_000;

export async function pruneWebhookLog(deps: VerificationDeps): Promise<number> {
  return deps.webhooks.prune(deps.now() - WEBHOOK_LOG_RETENTION_MS);
}

export async function decideUndecided(deps: VerificationDeps): Promise<number> {
  const rows = await deps.verification.undecided(BATCH);
  for (const r of rows) await decideSession(deps, r.id);
  return rows.length;
}

export async function expireSessions(deps: VerificationDeps, expiryMs: number): Promise<number> {
  const now = deps.now();
  const rows = await deps.verification.expirable(now - expiryMs, BATCH);
  for (const s of rows) {
    const endpoint = await deps.webhooks.getEndpoint(s.tenant_id);
    await deps.verification.insertFirst(
      {
        sessionId: s.id,
        tenantId: s.tenant_id,
        status: 'EXPIRED',
        decision: null,
        factors: [],
        reasons: ['not completed within the expiry period'],
        policy: null,
        decidedAt: null,
        reviewedBy: null,
        reviewReason: null,
        reviewedAt: null,
        imagesPurgedAt: null,
        updatedAt: now,
      },
      endpoint ? [makeEvent(s.tenant_id, 'session.expired', { sessionId: s.id, externalId: s.external_id, status: 'EXPIRED' }, now)] : [],
    );
  }
  return rows.length;
}

/** The result without details.portrait.cropJpegBase64 (the same object when it has none). */
export function withoutPortraitCrop(result: unknown): unknown {
  const details = (result as { details?: { portrait?: Record<string, unknown> | null } } | null)?.details;
  const portrait = details?.portrait;
  if (!portrait || typeof portrait !== 'object' || !('cropJpegBase64' in portrait)) return result;
  const { cropJpegBase64: _dropped, ...rest } = portrait;
  return { ...(result as Record<string, unknown>), details: { ...details, portrait: { ...rest, cropPurged: true } } };
}

export async function purgeImages(deps: VerificationDeps, retentionMs: number): Promise<number> {
  const now = deps.now();
  const ids = await deps.verification.purgeable(now - retentionMs, BATCH);
  for (const id of ids) {
    await deps.store.images.deleteSession(id);
    for (const c of await deps.store.sessions.listCaptures(id)) {
      if (c.imageId) await deps.store.sessions.clearCaptureImage(c.id);
      const stripped = withoutPortraitCrop(c.result);
      if (stripped !== c.result) await deps.verification.replaceCaptureResult(c.id, stripped);
    }
    await deps.verification.markPurged(id, now);
  }
  return ids.length;
}
