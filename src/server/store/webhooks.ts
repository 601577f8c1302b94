/** Repository of webhooks: endpoints, the outbox (claim, retry, deliver) and the delivery log. */
import type { Db } from './db.js';
import { keyringOf } from './encryption.js';

export interface WebhookEndpoint {
  tenantId: string;
  url: string;
  secret: string;
  updatedAt: number;
}

export type OutboxState = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface OutboxRow {
  id: string;
  tenantId: string;
  sessionId: string;
  type: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  tenantId: string;
  sessionId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  createdAt: number;
}

const outboxFromRow = (r: Record<string, unknown>): OutboxRow => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  sessionId: r.session_id as string,
  type: r.type as string,
  payload: r.payload as string,
  state: r.state as OutboxState,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastError: (r.last_error as string | null) ?? null,
  createdAt: Number(r.created_at),
  deliveredAt: r.delivered_at === null || r.delivered_at === undefined ? null : Number(r.delivered_at),
});

export interface WebhookRepo {
  getEndpoint(tenantId: string): Promise<WebhookEndpoint | undefined>;
  setEndpoint(tenantId: string, url: string, secret: string, now: number): Promise<void>;
  deleteEndpoint(tenantId: string): Promise<void>;
  /**
   * Claims up to `limit` due events for `lockMs`, at most `perTenant` in flight per tenant (events
   * of a tenant already claimed by any node count), oldest due first: ONE conditional UPDATE …
   * RETURNING whose outer WHERE re-checks state, next_attempt_at and the lock on the current row,
   * so an event attempted and rescheduled meanwhile (by another node) is not claimed again before
   * its backoff, and two nodes never send the same attempt. A node that dies releases its claim
   * when the lock lapses.
   */
  claimDue(now: number, limit: number, lockMs: number, perTenant?: number): Promise<OutboxRow[]>;
  /** Pending events due now, and the oldest one's age (ms; 0 when none): for /metrics. */
  backlog(now: number): Promise<{ due: number; oldestDueMs: number; inFlight: number; failed: number }>;
  delivered(id: string, attempts: number, now: number): Promise<void>;
  retryLater(id: string, attempts: number, nextAttemptAt: number, error: string): Promise<void>;
  failed(id: string, attempts: number, error: string): Promise<void>;
  logDelivery(e: DeliveryLogEntry): Promise<void>;
  events(sessionId: string): Promise<OutboxRow[]>;
  deliveries(sessionId: string): Promise<DeliveryLogEntry[]>;
  /** Deletes settled (delivered or failed) events and delivery-log rows created before `before`. */
  prune(before: number): Promise<number>;
}

/** The signing secret is sealed (encryption.ts); a plain one of an earlier version reads as it is. */
export const webhookSecretContext = (tenantId: string) => `webhook_endpoints.secret:${tenantId}`;

export function webhookRepo(db: Db): WebhookRepo {
  const k = keyringOf(db);
  return {
    async getEndpoint(tenantId) {
      const r = await db.get<Record<string, unknown>>(`SELECT * FROM webhook_endpoints WHERE tenant_id = ?`, [tenantId]);
      return r && { tenantId: r.tenant_id as string, url: r.url as string, secret: k.openText(r.secret as string, webhookSecretContext(tenantId)), updatedAt: Number(r.updated_at) };
    },
    async setEndpoint(tenantId, url, secret, now) {
      await db.run(
        `INSERT INTO webhook_endpoints (tenant_id, url, secret, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
        [tenantId, url, k.sealText(secret, webhookSecretContext(tenantId)), now],
      );
    },
    async deleteEndpoint(tenantId) {
      await db.run(`DELETE FROM webhook_endpoints WHERE tenant_id = ?`, [tenantId]);
    },
    async claimDue(now, limit, lockMs, perTenant = 1_000_000) {
      if (limit <= 0) return [];
      const due = `state = 'PENDING' AND next_attempt_at <= ? AND locked_until <= ?`;
      // Window functions rule out FOR UPDATE here; PostgreSQL still never double-claims: a row
      // another node's UPDATE holds is waited for and re-checked against the outer WHERE (then
      // locked: skipped). The per-tenant cap may overshoot by the claims made at the same instant.
      const rows = await db.all<Record<string, unknown>>(
        `UPDATE webhook_outbox SET locked_until = ?
         WHERE id IN (
           SELECT id FROM (
             SELECT o.id, o.next_attempt_at, o.created_at,
                    ROW_NUMBER() OVER (PARTITION BY o.tenant_id ORDER BY o.next_attempt_at, o.created_at) AS rn,
                    COALESCE(b.n, 0) AS busy
             FROM webhook_outbox o
             LEFT JOIN (SELECT tenant_id, COUNT(*) AS n FROM webhook_outbox WHERE state = 'PENDING' AND locked_until > ? GROUP BY tenant_id) b
               ON b.tenant_id = o.tenant_id
             WHERE o.${due.replace(/ AND /g, ' AND o.')}
           ) d
           WHERE d.rn + d.busy <= ?
           ORDER BY d.next_attempt_at, d.created_at LIMIT ?)
         AND ${due}
         RETURNING *`,
        [now + lockMs, now, now, now, perTenant, limit, now, now],
      );
      return rows.map(outboxFromRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
    },
    async backlog(now) {
      const r = await db.get<Record<string, unknown>>(
        `SELECT
           SUM(CASE WHEN state = 'PENDING' AND next_attempt_at <= ? THEN 1 ELSE 0 END) AS due,
           MIN(CASE WHEN state = 'PENDING' AND next_attempt_at <= ? THEN next_attempt_at END) AS oldest,
           SUM(CASE WHEN state = 'PENDING' AND locked_until > ? THEN 1 ELSE 0 END) AS in_flight,
           SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END) AS failed
         FROM webhook_outbox WHERE state IN ('PENDING', 'FAILED')`,
        [now, now, now],
      );
      const oldest = r?.oldest === null || r?.oldest === undefined ? null : Number(r.oldest);
      return { due: Number(r?.due ?? 0), oldestDueMs: oldest === null ? 0 : Math.max(0, now - oldest), inFlight: Number(r?.in_flight ?? 0), failed: Number(r?.failed ?? 0) };
    },
    async delivered(id, attempts, now) {
      await db.run(`UPDATE webhook_outbox SET state = 'DELIVERED', attempts = ?, delivered_at = ?, locked_until = 0, last_error = NULL WHERE id = ?`, [attempts, now, id]);
    },
    async retryLater(id, attempts, nextAttemptAt, error) {
      await db.run(`UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, locked_until = 0, last_error = ? WHERE id = ?`, [attempts, nextAttemptAt, error, id]);
    },
    async failed(id, attempts, error) {
      await db.run(`UPDATE webhook_outbox SET state = 'FAILED', attempts = ?, locked_until = 0, last_error = ? WHERE id = ?`, [attempts, error, id]);
    },
    async logDelivery(e) {
      await db.run(
        `INSERT INTO webhook_deliveries (id, event_id, tenant_id, session_id, attempt, status_code, error, duration_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [e.id, e.eventId, e.tenantId, e.sessionId, e.attempt, e.statusCode, e.error, e.durationMs, e.createdAt],
      );
    },
    async events(sessionId) {
      return (await db.all<Record<string, unknown>>(`SELECT * FROM webhook_outbox WHERE session_id = ? ORDER BY created_at, id`, [sessionId])).map(outboxFromRow);
    },
    async prune(before) {
      const [a, b] = await db.batch([
        { sql: `DELETE FROM webhook_outbox WHERE state <> 'PENDING' AND created_at < ?`, params: [before] },
        { sql: `DELETE FROM webhook_deliveries WHERE created_at < ?`, params: [before] },
      ]);
      return (a ?? 0) + (b ?? 0);
    },
    async deliveries(sessionId) {
      const rows = await db.all<Record<string, unknown>>(`SELECT * FROM webhook_deliveries WHERE session_id = ? ORDER BY created_at, attempt`, [sessionId]);
      return rows.map((r) => ({
        id: r.id as string,
        eventId: r.event_id as string,
        tenantId: r.tenant_id as string,
        sessionId: r.session_id as string,
        attempt: Number(r.attempt),
        statusCode: r.status_code === null ? null : Number(r.status_code),
        error: (r.error as string | null) ?? null,
        durationMs: Number(r.duration_ms),
        createdAt: Number(r.created_at),
      }));
    },
  };
}
