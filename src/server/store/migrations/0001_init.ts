import type { Dialect } from '../db.js';

/**
 * Tenants, sessions, captures (every engine result, accepted or not), service settings (the
 * generated JWT secret) and, on PostgreSQL only, image bytes (SQLite keeps them as files).
 * Portable types only: TEXT, BIGINT (ms timestamps), INTEGER (0/1 flags), JSON as TEXT.
 */
export function up(dialect: Dialect): string[] {
  const out = [
    `CREATE TABLE tenants (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      settings TEXT NOT NULL,
      disabled_at BIGINT,
      created_at BIGINT NOT NULL
    )`,
    `CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL REFERENCES tenants(id),
      external_id TEXT,
      return_url TEXT NOT NULL,
      applicant_form TEXT,
      skip_integrity_check INTEGER NOT NULL,
      steps TEXT NOT NULL,
      status TEXT NOT NULL,
      document_state TEXT NOT NULL,
      front_capture_id TEXT,
      back_capture_id TEXT,
      face_capture_id TEXT,
      version INTEGER NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      completed_at BIGINT
    )`,
    `CREATE INDEX sessions_tenant_created ON sessions (tenant_id, created_at, id)`,
    `CREATE INDEX sessions_tenant_external ON sessions (tenant_id, external_id)`,
    `CREATE TABLE captures (
      id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      page_side TEXT,
      accepted INTEGER NOT NULL,
      error TEXT,
      result TEXT NOT NULL,
      image_id TEXT,
      content_type TEXT,
      image_bytes INTEGER,
      created_at BIGINT NOT NULL
    )`,
    `CREATE INDEX captures_session ON captures (session_id, created_at)`,
    `CREATE TABLE service_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    )`,
  ];
  if (dialect === 'postgres') {
    out.push(
      `CREATE TABLE image_blobs (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        bytes BYTEA NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE INDEX image_blobs_session ON image_blobs (session_id)`,
    );
  }
  return out;
}
