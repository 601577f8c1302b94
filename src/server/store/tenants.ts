import type { Db } from './db.js';
import type { Tenant, TenantSettings } from '../session/types.js';

interface TenantRow {
  id: string;
  name: string;
  username: string;
  password_hash: string;
  settings: string;
  disabled_at: number | null;
  created_at: number;
}

const fromRow = (r: TenantRow): Tenant => ({
  id: r.id,
  name: r.name,
  username: r.username,
  passwordHash: r.password_hash,
  settings: JSON.parse(r.settings) as TenantSettings,
  disabledAt: r.disabled_at,
  createdAt: r.created_at,
});

export interface TenantRepo {
  insert(t: Tenant): Promise<void>;
  get(id: string): Promise<Tenant | undefined>;
  getByUsername(username: string): Promise<Tenant | undefined>;
  list(): Promise<Tenant[]>;
  setPasswordHash(id: string, hash: string): Promise<boolean>;
  setSettings(id: string, settings: TenantSettings): Promise<boolean>;
  disable(id: string, at: number): Promise<boolean>;
}

export function tenantRepo(db: Db): TenantRepo {
  return {
    async insert(t) {
      await db.run(
        `INSERT INTO tenants (id, name, username, password_hash, settings, disabled_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [t.id, t.name, t.username, t.passwordHash, JSON.stringify(t.settings), t.disabledAt, t.createdAt],
      );
    },
    async get(id) {
      const r = await db.get<TenantRow>(`SELECT * FROM tenants WHERE id = ?`, [id]);
      return r && fromRow(r);
    },
    async getByUsername(username) {
      const r = await db.get<TenantRow>(`SELECT * FROM tenants WHERE username = ?`, [username]);
      return r && fromRow(r);
    },
    async list() {
      return (await db.all<TenantRow>(`SELECT * FROM tenants ORDER BY created_at, id`)).map(fromRow);
    },
    async setPasswordHash(id, hash) {
      return (await db.run(`UPDATE tenants SET password_hash = ? WHERE id = ?`, [hash, id])) === 1;
    },
    async setSettings(id, settings) {
      return (await db.run(`UPDATE tenants SET settings = ? WHERE id = ?`, [JSON.stringify(settings), id])) === 1;
    },
    async disable(id, at) {
      return (await db.run(`UPDATE tenants SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`, [at, id])) === 1;
    },
  };
}
