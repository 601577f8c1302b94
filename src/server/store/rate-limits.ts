/**
 * Rate-limit counters in the database, so that every node counts the same (fixed windows; see
 * session/rate-limits.ts). One statement per operation, identical on SQLite and PostgreSQL.
 */
import type { Db, SqlValue, Statement } from './db.js';

export interface RateLimitRepo {
  /**
   * Adds one to each key's count in the window starting at `windowStart` (a row of an older window
   * starts again at 1; a row already in a later window — another node's clock ahead — counts there)
   * and returns every key's count after the increment.
   */
  hit(keys: string[], windowStart: number): Promise<Map<string, number>>;
  /** The counts of `keys` in the window starting at `windowStart` (absent: 0). */
  counts(keys: string[], windowStart: number): Promise<Map<string, number>>;
  /** Deletes the rows of windows that started before `before`. */
  prune(before: number): Promise<number>;
}

/**
 * The statement adding one to each key (distinct keys) in the window starting at `windowStart`;
 * `returning` adds `RETURNING key, count`. Also used inside other transactions (a session insert
 * that counts against its limit in the same commit: store/sessions.ts).
 */
export function hitStatement(keys: string[], windowStart: number, returning: boolean): Statement {
  const params: SqlValue[] = keys.flatMap((k) => [k, windowStart]);
  return {
    sql: `INSERT INTO rate_limits (key, window_start, count) VALUES ${keys.map(() => '(?, ?, 1)').join(', ')}
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
           window_start = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.window_start ELSE excluded.window_start END
         ${returning ? 'RETURNING key, count' : ''}`,
    params,
  };
}

/** A condition true while every key's count in the window is at most `limit`. */
export function withinLimitCondition(keys: string[], windowStart: number, limit: number): Statement {
  return {
    sql: `NOT EXISTS (SELECT 1 FROM rate_limits WHERE key IN (${keys.map(() => '?').join(', ')}) AND window_start >= ? AND count > ?)`,
    params: [...keys, windowStart, limit],
  };
}

export function rateLimitRepo(db: Db): RateLimitRepo {
  return {
    async hit(keys, windowStart) {
      const out = new Map<string, number>();
      if (keys.length === 0) return out;
      const st = hitStatement(keys, windowStart, true);
      const rows = await db.all<{ key: string; count: number }>(st.sql, st.params);
      for (const r of rows) out.set(r.key, Number(r.count));
      return out;
    },
    async counts(keys, windowStart) {
      const out = new Map<string, number>();
      if (keys.length === 0) return out;
      const rows = await db.all<{ key: string; count: number }>(
        `SELECT key, count FROM rate_limits WHERE key IN (${keys.map(() => '?').join(', ')}) AND window_start >= ?`,
        [...keys, windowStart],
      );
      for (const r of rows) out.set(r.key, Number(r.count));
      return out;
    },
    async prune(before) {
      return db.run(`DELETE FROM rate_limits WHERE window_start < ?`, [before]);
    },
  };
}
