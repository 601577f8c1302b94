/**
 * Maintenance jobs, each a bounded pass that any number of nodes may run at once:
 *  - decide completed sessions that have no result (the complete hook failed or the process died);
 *  - expire unfinished sessions older than the expiry period (result EXPIRED, `session.expired`);
 *  - purge the images of sessions whose result settled longer ago than the retention period,
 *    including the portrait crop the document engine keeps inside its result (the results,
 *    factors and audit trail stay; the session's image list becomes empty);
 *  - prune settled webhook events and delivery-log rows older than 90 days.
 * Each pass claims its rows in the database (store/jobs.ts: a lease per row, FOR UPDATE SKIP
 * LOCKED on PostgreSQL), in batches, again and again until nothing is due or the pass's time budget
 * is spent, so nodes share the work and each row is processed by one of them. The work itself is
 * conditional too: expiry is one transaction that closes the session only if it is neither
 * completed nor expired (store/verification.ts expire), so a complete racing it either wins (the
 * session is decided) or finds the session expired (SESSION_UNAUTHORIZED) — never both, and one
 * terminal webhook event per session. An expired session keeps its row.
 */
import { makeEvent } from '../webhook/events.js';
import { jobsRepo } from '../store/jobs.js';
import type { WebhookEndpoint } from '../store/webhooks.js';
import { decideSession, type VerificationDeps } from './decide-session.js';

export interface MaintenanceOptions {
  /** Rows claimed per claim (one UPDATE … RETURNING). */
  batchSize: number;
  /** How long a claimed row stays another node's, ms (longer than a pass's budget). */
  leaseMs: number;
  /** A pass stops claiming after this long (the next pass, a minute later, goes on), ms. */
  budgetMs: number;
  /** A completed session is left to the complete hook this long before the pass decides it, ms. */
  decideGraceMs: number;
}

export const DEFAULT_MAINTENANCE_OPTIONS: MaintenanceOptions = {
  batchSize: 500,
  leaseMs: 5 * 60_000,
  budgetMs: 40_000,
  decideGraceMs: 60_000,
};

/** What a job did in one pass: rows it claimed, of those the ones its change applied to, and the ones whose work threw. */
export interface JobCount {
  claimed: number;
  applied: number;
  failed: number;
}

/** Delivered or failed webhook events and the delivery log are kept this long, ms. */
export const WEBHOOK_LOG_RETENTION_MS = 90 * 86_400_000;

export async function pruneWebhookLog(deps: VerificationDeps): Promise<number> {
  return deps.webhooks.prune(deps.now() - WEBHOOK_LOG_RETENTION_MS);
}

/** Claims and works batches until a claim comes back short or the budget is spent. */
async function drain<T>(o: MaintenanceOptions, claim: () => Promise<T[]>, work: (item: T) => Promise<boolean>): Promise<JobCount> {
  const started = performance.now();
  const count: JobCount = { claimed: 0, applied: 0, failed: 0 };
  for (;;) {
    const items = await claim();
    count.claimed += items.length;
    for (const item of items) {
      try {
        if (await work(item)) count.applied++;
      } catch {
        // One bad row does not stop the pass: it keeps its lease and is tried again when it lapses.
        count.failed++;
      }
    }
    if (items.length < o.batchSize || performance.now() - started > o.budgetMs) return count;
  }
}

export async function decideUndecided(deps: VerificationDeps, o: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS): Promise<JobCount> {
  const jobs = jobsRepo(deps.store.db);
  return drain(
    o,
    () => {
      const now = deps.now();
      return jobs.claimUndecided(now - o.decideGraceMs, now, o.batchSize, o.leaseMs);
    },
    async (id) => (await decideSession(deps, id)) !== null,
  );
}

export async function expireSessions(deps: VerificationDeps, expiryMs: number, o: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS): Promise<JobCount> {
  const jobs = jobsRepo(deps.store.db);
  const endpoints = new Map<string, WebhookEndpoint | undefined>();
  return drain(
    o,
    () => {
      const now = deps.now();
      return jobs.claimExpirable(now - expiryMs, now, o.batchSize, o.leaseMs);
    },
    async (s) => {
      const now = deps.now();
      if (!endpoints.has(s.tenant_id)) endpoints.set(s.tenant_id, await deps.webhooks.getEndpoint(s.tenant_id));
      const endpoint = endpoints.get(s.tenant_id);
      return deps.verification.expire(
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
    },
  );
}

/** The result without details.portrait.cropJpegBase64 (the same object when it has none). */
export function withoutPortraitCrop(result: unknown): unknown {
  const details = (result as { details?: { portrait?: Record<string, unknown> | null } } | null)?.details;
  const portrait = details?.portrait;
  if (!portrait || typeof portrait !== 'object' || !('cropJpegBase64' in portrait)) return result;
  const { cropJpegBase64: _dropped, ...rest } = portrait;
  return { ...(result as Record<string, unknown>), details: { ...details, portrait: { ...rest, cropPurged: true } } };
}

export async function purgeImages(deps: VerificationDeps, retentionMs: number, o: MaintenanceOptions = DEFAULT_MAINTENANCE_OPTIONS): Promise<JobCount> {
  const jobs = jobsRepo(deps.store.db);
  return drain(
    o,
    () => {
      const now = deps.now();
      return jobs.claimPurgeable(now - retentionMs, now, o.batchSize, o.leaseMs);
    },
    async (id) => {
      await deps.store.images.deleteSession(id);
      for (const c of await deps.store.sessions.listCaptures(id)) {
        if (c.imageId) await deps.store.sessions.clearCaptureImage(c.id);
        const stripped = withoutPortraitCrop(c.result);
        if (stripped !== c.result) await deps.verification.replaceCaptureResult(c.id, stripped);
      }
      return deps.verification.markPurged(id, deps.now());
    },
  );
}
