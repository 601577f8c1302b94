/** Storage of handoffs over the service's query layer (table from migration 0050). */
import type { Db } from '../store/db.js';

export interface Handoff {
  id: string;
  sessionId: string;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  maxTokenExpS: number;
  usedAt: number | null;
}

interface Row {
  id: string;
  session_id: string;
  code_hash: string;
  created_at: number | string;
  expires_at: number | string;
  max_token_exp_s: number | string;
  used_at: number | string | null;
}

const fromRow = (r: Row): Handoff => ({
  id: r.id,
  sessionId: r.session_id,
  codeHash: r.code_hash,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  maxTokenExpS: Number(r.max_token_exp_s),
  usedAt: r.used_at === null ? null : Number(r.used_at),
});

export interface HandoffRepo {
  insert(h: Handoff): Promise<void>;
  get(id: string): Promise<Handoff | null>;
  /** Marks the unused, unexpired handoff with this code hash as used; null when there is none. */
  redeem(codeHash: string, now: number): Promise<Handoff | null>;
}

export function handoffRepo(db: Db): HandoffRepo {
  return {
    async insert(h) {
      await db.run(
        `INSERT INTO web_handoffs (id, session_id, code_hash, created_at, expires_at, max_token_exp_s, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [h.id, h.sessionId, h.codeHash, h.createdAt, h.expiresAt, h.maxTokenExpS, h.usedAt],
      );
    },
    async get(id) {
      const r = await db.get<Row>(`SELECT * FROM web_handoffs WHERE id = ?`, [id]);
      return r ? fromRow(r) : null;
    },
    async redeem(codeHash, now) {
      // Conditional UPDATE: of two phones opening the same link at once, exactly one wins.
      const changed = await db.run(
        `UPDATE web_handoffs SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?`,
        [now, codeHash, now],
      );
      if (changed !== 1) return null;
      const r = await db.get<Row>(`SELECT * FROM web_handoffs WHERE code_hash = ?`, [codeHash]);
      return r ? fromRow(r) : null;
    },
  };
}
