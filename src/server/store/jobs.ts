/**
 * Claims of the maintenance passes (verification/maintenance.ts): each claim is ONE conditional
 * UPDATE … RETURNING that sets a lease (`job_locked_until`) on up to `limit` due rows and returns
 * them, so of several nodes running the same pass each row goes to one node. On PostgreSQL the
 * inner SELECT takes its rows `FOR UPDATE SKIP LOCKED` (a node claiming at the same instant skips
 * the rows another is claiming instead of waiting for them), and the outer WHERE repeats the
 * conditions (re-checked on the current row after a wait). On SQLite the statement runs under the
 * database's one write lock: the same semantics. A node that dies keeps its rows until the lease
 * lapses; then another node claims them. The work itself stays conditional (expiry, decision,
 * purge: each applies at most once whatever the lease does). See docs/adr/0007-job-claims.md.
 */
import type { Db } from './db.js';

export interface ExpirableSession {
  id: string;
  tenant_id: string;
  external_id: string | null;
}

export interface JobsRepo {
  /** Unfinished, unexpired sessions created before `before`. */
  claimExpirable(before: number, now: number, limit: number, leaseMs: number): Promise<ExpirableSession[]>;
  /** Completed sessions with no result, completed before `completedBefore` (the complete hook had its chance). */
  claimUndecided(completedBefore: number, now: number, limit: number, leaseMs: number): Promise<string[]>;
  /** Sessions whose result settled before `before` and whose images are not purged yet. */
  claimPurgeable(before: number, now: number, limit: number, leaseMs: number): Promise<string[]>;
}

export function jobsRepo(db: Db): JobsRepo {
  const skipLocked = db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
  return {
    async claimExpirable(before, now, limit, leaseMs) {
      const due = `status <> 'COMPLETED' AND expired_at IS NULL AND created_at < ? AND job_locked_until <= ?`;
      return db.all<ExpirableSession>(
        `UPDATE sessions SET job_locked_until = ?
         WHERE id IN (SELECT id FROM sessions WHERE ${due} ORDER BY created_at LIMIT ? ${skipLocked}) AND ${due}
         RETURNING id, tenant_id, external_id`,
        [now + leaseMs, before, now, limit, before, now],
      );
    },
    async claimUndecided(completedBefore, now, limit, leaseMs) {
      const due = `status = 'COMPLETED' AND completed_at < ? AND job_locked_until <= ?
                   AND NOT EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id)`;
      const rows = await db.all<{ id: string }>(
        `UPDATE sessions SET job_locked_until = ?
         WHERE id IN (SELECT id FROM sessions WHERE ${due} ORDER BY completed_at LIMIT ? ${skipLocked}) AND ${due}
         RETURNING id`,
        [now + leaseMs, completedBefore, now, limit, completedBefore, now],
      );
      return rows.map((r) => r.id);
    },
    async claimPurgeable(before, now, limit, leaseMs) {
      const due = `images_purged_at IS NULL AND updated_at < ? AND job_locked_until <= ?`;
      const rows = await db.all<{ session_id: string }>(
        `UPDATE verification_results SET job_locked_until = ?
         WHERE session_id IN (SELECT session_id FROM verification_results WHERE ${due} ORDER BY updated_at LIMIT ? ${skipLocked}) AND ${due}
         RETURNING session_id`,
        [now + leaseMs, before, now, limit, before, now],
      );
      return rows.map((r) => r.session_id);
    },
  };
}
