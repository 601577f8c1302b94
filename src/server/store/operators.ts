/** Repository of review-console operators and their console logins. */
import type { Db } from './db.js';

export interface Operator {
  id: string;
  tenantId: string;
  username: string;
  passwordHash: string;
  disabledAt: number | null;
  createdAt: number;
}

export interface OperatorLogin {
  operatorId: string;
  csrfToken: string;
  expiresAt: number;
}

const fromRow = (r: Record<string, unknown>): Operator => ({
  id: r.id as string,
  tenantId: r.tenant_id as string,
  username: r.username as string,
  passwordHash: r.password_hash as string,
  disabledAt: r.disabled_at === null || r.disabled_at === undefined ? null : Number(r.disabled_at),
  createdAt: Number(r.created_at),
});

export interface OperatorRepo {
  insert(o: Operator): Promise<boolean>;
  get(id: string): Promise<Operator | undefined>;
  getByUsername(username: string): Promise<Operator | undefined>;
  createLogin(tokenHash: string, login: OperatorLogin, now: number): Promise<void>;
  getLogin(tokenHash: string): Promise<OperatorLogin | undefined>;
  deleteLogin(tokenHash: string): Promise<void>;
  deleteExpiredLogins(now: number): Promise<void>;
}

export function operatorRepo(db: Db): OperatorRepo {
  return {
    async insert(o) {
      const n = await db.run(
        `INSERT INTO operators (id, tenant_id, username, password_hash, disabled_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`,
        [o.id, o.tenantId, o.username, o.passwordHash, o.disabledAt, o.createdAt],
      );
      return n === 1;
    },
    async get(id) {
      const r = await db.get<Record<string, unknown>>(`SELECT * FROM operators WHERE id = ?`, [id]);
      return r && fromRow(r);
    },
    async getByUsername(username) {
      const r = await db.get<Record<string, unknown>>(`SELECT * FROM operators WHERE username = ?`, [username]);
      return r && fromRow(r);
    },
    async createLogin(tokenHash, l, now) {
      await db.run(`INSERT INTO operator_logins (token_hash, operator_id, csrf_token, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`, [
        tokenHash,
        l.operatorId,
        l.csrfToken,
        l.expiresAt,
        now,
      ]);
    },
    async getLogin(tokenHash) {
      const r = await db.get<Record<string, unknown>>(`SELECT * FROM operator_logins WHERE token_hash = ?`, [tokenHash]);
      return r && { operatorId: r.operator_id as string, csrfToken: r.csrf_token as string, expiresAt: Number(r.expires_at) };
    },
    async deleteLogin(tokenHash) {
      await db.run(`DELETE FROM operator_logins WHERE token_hash = ?`, [tokenHash]);
    },
    async deleteExpiredLogins(now) {
      await db.run(`DELETE FROM operator_logins WHERE expires_at < ?`, [now]);
    },
  };
}
