import type { Dialect } from '../db.js';

/**
 * Webhooks (src/server/webhook/): each tenant's endpoint and signing secret, the outbox (one row
 * per event, written in the same step as the change it reports, so a restart loses nothing) and
 * the delivery log (one row per attempt). The outbox has no foreign key to sessions: an event
 * about a session that is then deleted is still delivered.
 */
export function up(_dialect: Dialect): string[] {
  return [
    `CREATE TABLE webhook_endpoints (
      tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
      url TEXT NOT NULL,
      secret TEXT NOT NULL,
      updated_at BIGINT NOT NULL
    )`,
    `CREATE TABLE webhook_outbox (
      id TEXT PRIMARY KEY,
      tenant_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      type TEXT NOT NULL,
      payload TEXT NOT NULL,
      state TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at BIGINT NOT NULL,
      locked_until BIGINT NOT NULL,
      last_error TEXT,
      created_at BIGINT NOT NULL,
      delivered_at BIGINT
    )`,
    `CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at)`,
    `CREATE TABLE webhook_deliveries (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL,
      tenant_id TEXT NOT NULL,
      session_id TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      status_code INTEGER,
      error TEXT,
      duration_ms INTEGER NOT NULL,
      created_at BIGINT NOT NULL
    )`,
    `CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id, created_at)`,
  ];
}
