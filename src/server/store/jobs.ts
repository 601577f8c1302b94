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
  /** Leases up to `limit` rows of `table` that are `due` (its `?`s take `dueParams`, then `now`), oldest `order` first. */
  const claim = <R>(table: string, key: string, due: string, order: string, returning: string, dueParams: number[], now: number, limit: number, leaseMs: number) => {
    const when = `${due} AND job_locked_until <= ?`;
    return db.all<R>(
      `UPDATE ${table} SET job_locked_until = ?
       WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${when} ORDER BY ${order} LIMIT ? ${skipLocked}) AND ${when}
       RETURNING ${returning}`,
      [now + leaseMs, ...dueParams, now, limit, ...dueParams, now],
    );
  };
  return {
    claimExpirable: (before, now, limit, leaseMs) =>
      claim<ExpirableSession>('sessions', 'id', `status <> 'COMPLETED' AND expired_at IS NULL AND created_at < ?`, 'created_at', 'id, tenant_id, external_id', [before], now, limit, leaseMs),
    async claimUndecided(completedBefore, now, limit, leaseMs) {
      const due = `status = 'COMPLETED' AND completed_at < ?
                   AND NOT EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id)`;
      const rows = await claim<{ id: string }>('sessions', 'id', due, 'completed_at', 'id', [completedBefore], now, limit, leaseMs);
      return rows.map((r) => r.id);
    },
    async claimPurgeable(before, now, limit, leaseMs) {
      const due = `images_purged_at IS NULL AND updated_at < ?`;
      const rows = await claim<{ session_id: string }>('verification_results', 'session_id', due, 'updated_at', 'session_id', [before], now, limit, leaseMs);
      return rows.map((r) => r.session_id);
    },
  };
}
