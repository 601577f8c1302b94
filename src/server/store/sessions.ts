import type { Db, SqlValue } from './db.js';
import { hitStatement, withinLimitCondition } from './rate-limits.js';
import { keyringOf, type Keyring } from './encryption.js';
import type { ApplicantForm, Capture, DocumentState, Session, SessionStatus, Step } from '../session/types.js';

interface SessionRow {
  id: string;
  tenant_id: string;
  external_id: string | null;
  return_url: string;
  applicant_form: string | null;
  skip_integrity_check: number;
  steps: string;
  status: SessionStatus;
  document_state: DocumentState;
  front_capture_id: string | null;
  back_capture_id: string | null;
  face_capture_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  token_generation: string | null;
  expired_at: number | null;
  web_theme: string | null;
}

/** Encrypted columns' contexts (encryption.ts): a sealed value opens only in its own row and column. */
export const applicantFormContext = (sessionId: string) => `sessions.applicant_form:${sessionId}`;
export const captureResultContext = (captureId: string) => `captures.result:${captureId}`;

const fromRow = (k: Keyring, r: SessionRow): Session => ({
  id: r.id,
  tenantId: r.tenant_id,
  externalId: r.external_id,
  returnUrl: r.return_url,
  applicantForm: r.applicant_form === null ? null : (JSON.parse(k.openText(r.applicant_form, applicantFormContext(r.id))) as ApplicantForm),
  skipIntegrityCheck: r.skip_integrity_check === 1,
  steps: JSON.parse(r.steps) as Step[],
  status: r.status,
  documentState: r.document_state,
  frontCaptureId: r.front_capture_id,
  backCaptureId: r.back_capture_id,
  faceCaptureId: r.face_capture_id,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  completedAt: r.completed_at,
  tokenGeneration: r.token_generation,
  ...(r.expired_at !== null && r.expired_at !== undefined ? { expiredAt: r.expired_at } : {}),
  webTheme: r.web_theme ?? null,
});

interface CaptureRow {
  id: string;
  session_id: string;
  kind: Capture['kind'];
  page_side: Capture['pageSide'];
  accepted: number;
  error: string | null;
  result: string;
  image_id: string | null;
  content_type: string | null;
  image_bytes: number | null;
  created_at: number;
}

const captureFromRow = (k: Keyring, r: CaptureRow): Capture => ({
  id: r.id,
  sessionId: r.session_id,
  kind: r.kind,
  pageSide: r.page_side,
  accepted: r.accepted === 1,
  error: r.error,
  result: JSON.parse(k.openText(r.result, captureResultContext(r.id))) as unknown,
  imageId: r.image_id,
  contentType: r.content_type,
  imageBytes: r.image_bytes,
  createdAt: r.created_at,
});

/** The page pointers and states a transition may change. */
export interface SessionPatch {
  status: SessionStatus;
  documentState: DocumentState;
  frontCaptureId: string | null;
  backCaptureId: string | null;
  faceCaptureId: string | null;
}

export interface ListFilter {
  status?: SessionStatus;
  externalId?: string;
  /** The verification status (verification_results; no row: PENDING). */
  verificationStatus?: string;
  /** The automatic decision (HIGH, MEDIUM, LOW). */
  decision?: string;
  /** Exclusive position: sessions strictly older than this (created_at desc, id desc). */
  after?: { createdAt: number; id: string };
  limit: number;
}

export interface SessionRepo {
  /** false when the id is taken (by any tenant). */
  insert(s: Session): Promise<boolean>;
  /**
   * Counts one session for each of `limit.keys` (rate_limits) and inserts the session only while
   * every count stays within `limit.max`, in one transaction: 'LIMITED' when a count went over,
   * 'TAKEN' when the id exists.
   */
  insertCounted(s: Session, limit: { keys: string[]; windowStart: number; max: number }): Promise<'INSERTED' | 'TAKEN' | 'LIMITED'>;
  get(id: string): Promise<Session | undefined>;
  list(tenantId: string, filter: ListFilter): Promise<Session[]>;
  /** Applies `patch` only if the session is still at `version`, not completed and not expired. */
  update(id: string, version: number, patch: SessionPatch, now: number): Promise<boolean>;
  /**
   * Marks completed only if still at `version`, not completed and not expired: of racing calls
   * (completes, the expiry pass) one wins.
   */
  complete(id: string, version: number, now: number): Promise<boolean>;
  /** Deletes the session and its captures; false if it is not this tenant's. */
  delete(tenantId: string, id: string): Promise<boolean>;
  insertCapture(c: Capture): Promise<void>;
  /** Inserts a (rejected) capture only while the session exists and is neither completed nor expired; false otherwise. */
  insertCaptureIfOpen(c: Capture): Promise<boolean>;
  /**
   * In one transaction: `update(id, version, patch)` and, only if that applied, inserts `capture`.
   * An accepted capture thus exists exactly when the session points at it.
   */
  updateWithCapture(id: string, version: number, patch: SessionPatch, now: number, capture: Capture): Promise<boolean>;
  getCapture(id: string): Promise<Capture | undefined>;
  listCaptures(sessionId: string): Promise<Capture[]>;
  /** Forget a capture's image (after a retake replaced it). */
  clearCaptureImage(id: string): Promise<void>;
  /** Turn a capture into a rejected one (a race made its page unacceptable after all). */
  rejectCapture(id: string, error: string): Promise<void>;
  /** The side the session took a capture for (a page moved from front to back). */
  setCapturePageSide(id: string, pageSide: 'FRONT' | 'BACK'): Promise<void>;
}

const CAPTURE_COLUMNS = `(id, session_id, kind, page_side, accepted, error, result, image_id, content_type, image_bytes, created_at)`;
const captureValues = (k: Keyring, c: Capture): SqlValue[] => [
  c.id,
  c.sessionId,
  c.kind,
  c.pageSide,
  c.accepted ? 1 : 0,
  c.error,
  k.sealText(JSON.stringify(c.result), captureResultContext(c.id)),
  c.imageId,
  c.contentType,
  c.imageBytes,
  c.createdAt,
];

const UPDATE_SQL = `UPDATE sessions SET status = ?, document_state = ?, front_capture_id = ?, back_capture_id = ?, face_capture_id = ?,
           version = version + 1, updated_at = ?
         WHERE id = ? AND version = ? AND status <> 'COMPLETED' AND expired_at IS NULL`;
const updateParams = (id: string, version: number, p: SessionPatch, now: number): SqlValue[] => [
  p.status,
  p.documentState,
  p.frontCaptureId,
  p.backCaptureId,
  p.faceCaptureId,
  now,
  id,
  version,
];

const SESSION_COLUMNS = `(id, tenant_id, external_id, return_url, applicant_form, skip_integrity_check, steps, status,
           document_state, front_capture_id, back_capture_id, face_capture_id, version, created_at, updated_at, completed_at, token_generation, web_theme)`;
const sessionValues = (k: Keyring, s: Session): SqlValue[] => [
          s.id,
          s.tenantId,
          s.externalId,
          s.returnUrl,
          s.applicantForm === null ? null : k.sealText(JSON.stringify(s.applicantForm), applicantFormContext(s.id)),
          s.skipIntegrityCheck ? 1 : 0,
          JSON.stringify(s.steps),
          s.status,
          s.documentState,
          s.frontCaptureId,
          s.backCaptureId,
          s.faceCaptureId,
          s.version,
          s.createdAt,
          s.updatedAt,
          s.completedAt,
          s.tokenGeneration ?? null,
          s.webTheme ?? null,
        ];

export function sessionRepo(db: Db): SessionRepo {
  const k = keyringOf(db);
  return {
    async insert(s) {
      const n = await db.run(
        `INSERT INTO sessions ${SESSION_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        sessionValues(k, s),
      );
      return n === 1;
    },
    async insertCounted(s, limit) {
      const keys = [...new Set(limit.keys)];
      const within = withinLimitCondition(keys, limit.windowStart, limit.max);
      const [, n] = await db.batch([
        hitStatement(keys, limit.windowStart, false),
        {
          sql: `INSERT INTO sessions ${SESSION_COLUMNS} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${within.sql} ON CONFLICT (id) DO NOTHING`,
          params: [...sessionValues(k, s), ...(within.params ?? [])],
        },
      ]);
      if (n === 1) return 'INSERTED';
      return (await db.get(`SELECT 1 AS one FROM sessions WHERE id = ?`, [s.id])) ? 'TAKEN' : 'LIMITED';
    },
    async get(id) {
      const r = await db.get<SessionRow>(`SELECT * FROM sessions WHERE id = ?`, [id]);
      return r && fromRow(k, r);
    },
    async list(tenantId, f) {
      const where = ['tenant_id = ?'];
      const params: SqlValue[] = [tenantId];
      if (f.status) {
        where.push('status = ?');
        params.push(f.status);
      }
      if (f.externalId !== undefined) {
        where.push('external_id = ?');
        params.push(f.externalId);
      }
      if (f.verificationStatus === 'PENDING') {
        where.push('NOT EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id)');
      } else if (f.verificationStatus) {
        where.push('EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id AND v.status = ?)');
        params.push(f.verificationStatus);
      }
      if (f.decision) {
        where.push('EXISTS (SELECT 1 FROM verification_results v WHERE v.session_id = sessions.id AND v.decision = ?)');
        params.push(f.decision);
      }
      if (f.after) {
        where.push('(created_at < ? OR (created_at = ? AND id < ?))');
        params.push(f.after.createdAt, f.after.createdAt, f.after.id);
      }
      params.push(f.limit);
      const rows = await db.all<SessionRow>(
        `SELECT * FROM sessions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
        params,
      );
      return rows.map((r) => fromRow(k, r));
    },
    async update(id, version, p, now) {
      return (await db.run(UPDATE_SQL, updateParams(id, version, p, now))) === 1;
    },
    async updateWithCapture(id, version, p, now, c) {
      // The INSERT sees the UPDATE of its own transaction (the row stays locked until commit): the
      // session points at the new capture's id only if this UPDATE applied.
      const [n] = await db.batch([
        { sql: UPDATE_SQL, params: updateParams(id, version, p, now) },
        {
          sql: `INSERT INTO captures ${CAPTURE_COLUMNS} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ? AND (front_capture_id = ? OR back_capture_id = ? OR face_capture_id = ?))`,
          params: [...captureValues(k, c), id, c.id, c.id, c.id],
        },
      ]);
      return n === 1;
    },
    async complete(id, version, now) {
      const n = await db.run(
        `UPDATE sessions SET status = 'COMPLETED', completed_at = ?, updated_at = ?, version = version + 1
         WHERE id = ? AND version = ? AND status <> 'COMPLETED' AND expired_at IS NULL`,
        [now, now, id, version],
      );
      return n === 1;
    },
    async delete(tenantId, id) {
      const [, n] = await db.batch([
        { sql: `DELETE FROM captures WHERE session_id IN (SELECT id FROM sessions WHERE id = ? AND tenant_id = ?)`, params: [id, tenantId] },
        { sql: `DELETE FROM sessions WHERE id = ? AND tenant_id = ?`, params: [id, tenantId] },
      ]);
      return n === 1;
    },
    async insertCapture(c) {
      await db.run(`INSERT INTO captures ${CAPTURE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, captureValues(k, c));
    },
    async insertCaptureIfOpen(c) {
      const n = await db.run(
        `INSERT INTO captures ${CAPTURE_COLUMNS} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
         WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ? AND status <> 'COMPLETED' AND expired_at IS NULL)`,
        [...captureValues(k, c), c.sessionId],
      );
      return n === 1;
    },
    async getCapture(id) {
      const r = await db.get<CaptureRow>(`SELECT * FROM captures WHERE id = ?`, [id]);
      return r && captureFromRow(k, r);
    },
    async listCaptures(sessionId) {
      return (await db.all<CaptureRow>(`SELECT * FROM captures WHERE session_id = ? ORDER BY created_at, id`, [sessionId])).map(
        (r) => captureFromRow(k, r),
      );
    },
    async clearCaptureImage(id) {
      await db.run(`UPDATE captures SET image_id = NULL, content_type = NULL, image_bytes = NULL WHERE id = ?`, [id]);
    },
    async rejectCapture(id, error) {
      await db.run(
        `UPDATE captures SET accepted = 0, error = ?, image_id = NULL, content_type = NULL, image_bytes = NULL WHERE id = ?`,
        [error, id],
      );
    },
    async setCapturePageSide(id, pageSide) {
      await db.run(`UPDATE captures SET page_side = ? WHERE id = ?`, [pageSide, id]);
    },
  };
}
