import type { Dialect } from '../db.js';

/**
 * Issue #15/#17: rate-limit counters shared by every node (session/rate-limits.ts): one row per
 * key (what is counted: failed credential checks of a client address or a user name, sessions
 * opened by a tenant or an address), counting within a fixed window that starts at `window_start`
 * (ms). Rows of past windows are pruned.
 */
export function up(_dialect: Dialect): string[] {
  return [
    `CREATE TABLE rate_limits (
      key TEXT PRIMARY KEY,
      window_start BIGINT NOT NULL,
      count INTEGER NOT NULL
    )`,
    `CREATE INDEX rate_limits_window ON rate_limits (window_start)`,
  ];
}
