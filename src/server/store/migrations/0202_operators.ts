import type { Dialect } from '../db.js';

/**
 * Review-console operators (src/server/review/): each belongs to one tenant and sees only its
 * sessions. Console logins are server-side rows keyed by the SHA-256 of the cookie value.
 */
export function up(_dialect: Dialect): string[] {
  return [
    `CREATE TABLE operators (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL REFERENCES tenants(id),
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      disabled_at BIGINT,
      created_at BIGINT NOT NULL
    )`,
    `CREATE TABLE operator_logins (
      token_hash TEXT PRIMARY KEY,
      operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
      csrf_token TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL
    )`,
  ];
}
