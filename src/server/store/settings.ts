import type { Db } from './db.js';
import { keyringOf } from './encryption.js';

/**
 * Deployment-wide key/value settings shared by every node (e.g. the generated JWT secret). Values
 * are sealed (encryption.ts: read access to the database does not give the JWT secret); a plain
 * value of an earlier version reads as it is.
 */
export interface SettingsRepo {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key exists; returns the value that is stored (first writer wins). */
  getOrInsert(key: string, value: string): Promise<string>;
}

export const settingContext = (key: string) => `service_settings:${key}`;

export function settingsRepo(db: Db): SettingsRepo {
  const k = keyringOf(db);
  const get = async (key: string) => {
    const r = await db.get<{ value: string }>(`SELECT value FROM service_settings WHERE key = ?`, [key]);
    return r && k.openText(r.value, settingContext(key));
  };
  return {
    get,
    async getOrInsert(key, value) {
      await db.run(`INSERT INTO service_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, [key, k.sealText(value, settingContext(key))]);
      const stored = await get(key);
      if (stored === undefined) throw new Error(`setting ${key} vanished`);
      return stored;
    },
  };
}
