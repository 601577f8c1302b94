import type { Dialect } from '../db.js';

/**
 * Cross-device handoffs of the web enrolment UI (src/server/handoff/): one row per phone link.
 * Only the SHA-256 of the link's code is stored; `used_at` makes the link single-use (set by a
 * conditional UPDATE), `expires_at` short-lived; `max_token_exp_s` caps the phone credential's
 * lifetime at the desktop token's. Numbered 0050 so the service's own migrations keep 0001–0049.
 */
export function up(_dialect: Dialect): string[] {
  return [
    `CREATE TABLE web_handoffs (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      code_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      max_token_exp_s BIGINT NOT NULL,
      used_at BIGINT
    )`,
    `CREATE INDEX web_handoffs_session ON web_handoffs (session_id)`,
  ];
}
