import type { Dialect } from '../db.js';

/**
 * Issue #15/#17: rate-limit counters shared by every node (session/rate-limits.ts): one row per
 * key (what is counted: failed credential checks of a client address or a user name, sessions
 * opened by a tenant or an address), counting within a fixed window that starts at `window_start`
 * (ms). Rows of past windows are pruned (a scan once a minute per node: the table holds one row
 * per key active in the last windows). On SQLite the table is its primary key (WITHOUT ROWID:
 * one b-tree to write per hit).
 */
export function up(dialect: Dialect): string[] {
  return [
    `CREATE TABLE rate_limits (
      key TEXT PRIMARY KEY,
      window_start BIGINT NOT NULL,
      count INTEGER NOT NULL
    )${dialect === 'sqlite' ? ' WITHOUT ROWID' : ''}`,
  ];
}
