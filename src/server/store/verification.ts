/**
 * Repository of the verification part: results (status, decision, factors, review), tenants'
 * policies, the review audit trail. Writes that report something to the integrator add their
 * webhook events to the outbox in the same transaction (db.batch), conditionally on the change
 * having happened, so an event exists exactly when its change does.
 */
import type { Db, SqlValue, Statement } from './db.js';
import { keyringOf, type Keyring } from './encryption.js';
import { captureResultContext } from './sessions.js';
import type { Decision, Factor, VerificationStatus } from '../verification/types.js';

export interface VerificationRecord {
  sessionId: string;
  tenantId: string;
  status: VerificationStatus;
  decision: Decision | null;
  factors: Factor[];
  reasons: string[];
  policy: unknown;
  decidedAt: number | null;
  reviewedBy: string | null;
  reviewReason: string | null;
  reviewedAt: number | null;
  imagesPurgedAt: number | null;
  updatedAt: number;
}

interface Row {
  session_id: string;
  tenant_id: string;
  status: VerificationStatus;
  decision: Decision | null;
  factors: string;
  reasons: string;
  policy: string | null;
  decided_at: number | null;
  reviewed_by: string | null;
  review_reason: string | null;
  reviewed_at: number | null;
  images_purged_at: number | null;
  updated_at: number;
}

/** The factors carry personal data (birth date, compared names): sealed (encryption.ts). */
const factorsContext = (sessionId: string) => `verification_results.factors:${sessionId}`;

const fromRow = (k: Keyring, r: Row): VerificationRecord => ({
  sessionId: r.session_id,
  tenantId: r.tenant_id,
  status: r.status,
  decision: r.decision,
  factors: JSON.parse(k.openText(r.factors, factorsContext(r.session_id))) as Factor[],
  reasons: JSON.parse(r.reasons) as string[],
  policy: r.policy === null ? null : (JSON.parse(r.policy) as unknown),
  decidedAt: r.decided_at,
  reviewedBy: r.reviewed_by,
  reviewReason: r.review_reason,
  reviewedAt: r.reviewed_at,
  imagesPurgedAt: r.images_purged_at,
  updatedAt: r.updated_at,
});

/** A webhook event row to add to the outbox (see store/webhooks.ts). */
export interface OutboxEvent {
  id: string;
  tenantId: string;
  sessionId: string;
  type: string;
  payload: string;
  createdAt: number;
}

/** INSERT of an outbox event, idempotent by event id, optionally only WHERE `condition` holds. */
export function outboxInsert(e: OutboxEvent, condition?: Statement): Statement {
  const cols = `(id, tenant_id, session_id, type, payload, state, attempts, next_attempt_at, locked_until, last_error, created_at, delivered_at)`;
  const values: SqlValue[] = [e.id, e.tenantId, e.sessionId, e.type, e.payload, 'PENDING', 0, e.createdAt, 0, null, e.createdAt, null];
  if (!condition) {
    return { sql: `INSERT INTO webhook_outbox ${cols} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`, params: values };
  }
  return {
    sql: `INSERT INTO webhook_outbox ${cols} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${condition.sql}) ON CONFLICT (id) DO NOTHING`,
    params: [...values, ...(condition.params ?? [])],
  };
}

export interface AuditEntry {
  id: string;
  sessionId: string;
  tenantId: string;
  operatorId: string;
  action: 'APPROVE' | 'REJECT';
  reason: string;
  previousStatus: VerificationStatus;
  createdAt: number;
}

export interface VerificationListFilter {
  status?: VerificationStatus;
  decision?: Decision;
}

export interface VerificationRepo {
  get(sessionId: string): Promise<VerificationRecord | undefined>;
  /** Status and decision of each listed session that has a result. */
  statuses(sessionIds: string[]): Promise<Map<string, { status: VerificationStatus; decision: Decision | null }>>;
  /** Stores a first result (a decision) and its events; false when the session already has one (its events stay its own). */
  insertFirst(r: VerificationRecord, events: OutboxEvent[]): Promise<boolean>;
  /**
   * Expires an unfinished session: in one transaction marks the session expired (only if it is
   * still neither completed nor expired), stores the EXPIRED result `r` and its `events` — the
   * last two only where the first applied. false when the session was completed or expired first.
   */
  expire(r: VerificationRecord, events: OutboxEvent[]): Promise<boolean>;
  /** Applies a review if the status is still `from`; writes the audit entry and events only then. */
  review(
    sessionId: string,
    from: VerificationStatus,
    to: VerificationStatus,
    entry: AuditEntry,
    events: OutboxEvent[],
  ): Promise<boolean>;
  audit(sessionId: string): Promise<AuditEntry[]>;
  getPolicy(tenantId: string): Promise<unknown>;
  setPolicy(tenantId: string, policy: unknown, now: number): Promise<void>;
  /** Marks the images purged (once: false when already marked). */
  markPurged(sessionId: string, now: number): Promise<boolean>;
  /**
   * Replaces a capture's stored engine result (retention: the document engine keeps a JPEG crop of
   * the portrait inside its result, which must go with the images).
   */
  replaceCaptureResult(captureId: string, result: unknown): Promise<void>;
}

export function verificationRepo(db: Db): VerificationRepo {
  const k = keyringOf(db);
  /** INSERT of a first result, optionally only WHERE `condition` holds; a session with a result keeps it. */
  const insertResult = (r: VerificationRecord, condition?: Statement): Statement => {
    const values: SqlValue[] = [
      r.sessionId,
      r.tenantId,
      r.status,
      r.decision,
      k.sealText(JSON.stringify(r.factors), factorsContext(r.sessionId)),
      JSON.stringify(r.reasons),
      r.policy === null ? null : JSON.stringify(r.policy),
      r.decidedAt,
      null,
      null,
      null,
      null,
      r.updatedAt,
    ];
    const cols = `(session_id, tenant_id, status, decision, factors, reasons, policy, decided_at, reviewed_by, review_reason, reviewed_at, images_purged_at, updated_at)`;
    return condition
      ? {
          sql: `INSERT INTO verification_results ${cols} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${condition.sql}) ON CONFLICT (session_id) DO NOTHING`,
          params: [...values, ...(condition.params ?? [])],
        }
      : { sql: `INSERT INTO verification_results ${cols} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING`, params: values };
  };
  /** The session's result is the one `r` describes (this writer's insert won). */
  const resultIs = (r: VerificationRecord): Statement => ({
    sql: `SELECT 1 FROM verification_results WHERE session_id = ? AND status = ? AND updated_at = ?`,
    params: [r.sessionId, r.status, r.updatedAt],
  });
  return {
    async get(sessionId) {
      const r = await db.get<Row>(`SELECT * FROM verification_results WHERE session_id = ?`, [sessionId]);
      return r && fromRow(k, r);
    },
    async statuses(ids) {
      const out = new Map<string, { status: VerificationStatus; decision: Decision | null }>();
      if (ids.length === 0) return out;
      const rows = await db.all<{ session_id: string; status: VerificationStatus; decision: Decision | null }>(
        `SELECT session_id, status, decision FROM verification_results WHERE session_id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const r of rows) out.set(r.session_id, { status: r.status, decision: r.decision });
      return out;
    },
    async insertFirst(r, events) {
      const [n] = await db.batch([
        insertResult(r),
        // Event ids are derived from (session, type): a second writer's events are the same rows.
        // Only the events of the result that won: a result already there (another decider, or
        // the expiry pass) keeps its own events, so a session gets one terminal event.
        ...events.map((e) => outboxInsert(e, resultIs(r))),
      ]);
      return n === 1;
    },
    async expire(r, events) {
      if (r.status !== 'EXPIRED') throw new Error('expire() stores an EXPIRED result');
      const now = r.updatedAt;
      // The session itself first: closed only if still neither completed nor expired (a complete
      // that commits first wins; one that comes after finds expired_at set, or a newer version).
      // The result and its event follow only where this UPDATE applied (expired_at = now).
      const applied: Statement = { sql: `SELECT 1 FROM sessions WHERE id = ? AND expired_at = ? AND status <> 'COMPLETED'`, params: [r.sessionId, now] };
      const [n] = await db.batch([
        {
          sql: `UPDATE sessions SET expired_at = ?, version = version + 1, updated_at = ?, job_locked_until = 0
                WHERE id = ? AND status <> 'COMPLETED' AND expired_at IS NULL`,
          params: [now, now, r.sessionId],
        },
        insertResult(r, applied),
        ...events.map((e) => outboxInsert(e, applied)),
      ]);
      return n === 1;
    },
    async review(sessionId, from, to, entry, events) {
      const applied: Statement = {
        sql: `SELECT 1 FROM verification_results WHERE session_id = ? AND status = ? AND reviewed_at = ? AND reviewed_by = ?`,
        params: [sessionId, to, entry.createdAt, entry.operatorId],
      };
      const [n] = await db.batch([
        {
          sql: `UPDATE verification_results SET status = ?, reviewed_by = ?, review_reason = ?, reviewed_at = ?, updated_at = ?
                WHERE session_id = ? AND status = ?`,
          params: [to, entry.operatorId, entry.reason, entry.createdAt, entry.createdAt, sessionId, from],
        },
        {
          sql: `INSERT INTO review_audit (id, session_id, tenant_id, operator_id, action, reason, previous_status, created_at)
                SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${applied.sql})`,
          params: [entry.id, sessionId, entry.tenantId, entry.operatorId, entry.action, entry.reason, entry.previousStatus, entry.createdAt, ...(applied.params ?? [])],
        },
        ...events.map((e) => outboxInsert(e, applied)),
      ]);
      return n === 1;
    },
    async audit(sessionId) {
      const rows = await db.all<Record<string, unknown>>(`SELECT * FROM review_audit WHERE session_id = ? ORDER BY created_at, id`, [sessionId]);
      return rows.map((r) => ({
        id: r.id as string,
        sessionId: r.session_id as string,
        tenantId: r.tenant_id as string,
        operatorId: r.operator_id as string,
        action: r.action as AuditEntry['action'],
        reason: r.reason as string,
        previousStatus: r.previous_status as VerificationStatus,
        createdAt: Number(r.created_at),
      }));
    },
    async getPolicy(tenantId) {
      const r = await db.get<{ policy: string }>(`SELECT policy FROM verification_settings WHERE tenant_id = ?`, [tenantId]);
      return r ? (JSON.parse(r.policy) as unknown) : null;
    },
    async setPolicy(tenantId, policy, now) {
      await db.run(
        `INSERT INTO verification_settings (tenant_id, policy, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`,
        [tenantId, JSON.stringify(policy), now],
      );
    },
    async replaceCaptureResult(captureId, result) {
      await db.run(`UPDATE captures SET result = ? WHERE id = ?`, [k.sealText(JSON.stringify(result), captureResultContext(captureId)), captureId]);
    },
    async markPurged(sessionId, now) {
      return (await db.run(`UPDATE verification_results SET images_purged_at = ?, job_locked_until = 0 WHERE session_id = ? AND images_purged_at IS NULL`, [now, sessionId])) === 1;
    },
  };
}
