import type { Dialect } from '../db.js';

/**
 * Issue #17 (many nodes on one database):
 *  - `sessions.expired_at`: the expiry pass marks the session itself, by a conditional UPDATE
 *    (not completed, not expired yet), in the same transaction as its EXPIRED result; complete and
 *    captures are conditional on `expired_at IS NULL`, so a session ends either completed or
 *    expired, never both. Sessions expired before this migration get the time of their result.
 *  - `job_locked_until` on sessions and verification_results: the lease of the maintenance pass
 *    that claimed the row (expiry, late decision, image purge), so two nodes never work on the same
 *    row at once (store/jobs.ts).
 *  - Indexes for the passes' scans (unfinished sessions by age, unpurged results by age).
 */
export function up(_dialect: Dialect): string[] {
  return [
    `ALTER TABLE sessions ADD COLUMN expired_at BIGINT`,
    `ALTER TABLE sessions ADD COLUMN job_locked_until BIGINT NOT NULL DEFAULT 0`,
    `ALTER TABLE verification_results ADD COLUMN job_locked_until BIGINT NOT NULL DEFAULT 0`,
    `UPDATE sessions SET expired_at = (SELECT v.updated_at FROM verification_results v WHERE v.session_id = sessions.id AND v.status = 'EXPIRED')
       WHERE status <> 'COMPLETED' AND EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id AND v.status = 'EXPIRED')`,
    `CREATE INDEX sessions_expirable ON sessions (created_at) WHERE status <> 'COMPLETED' AND expired_at IS NULL`,
    `CREATE INDEX sessions_completed ON sessions (completed_at) WHERE status = 'COMPLETED'`,
    `CREATE INDEX verification_results_unpurged ON verification_results (updated_at) WHERE images_purged_at IS NULL`,
  ];
}
