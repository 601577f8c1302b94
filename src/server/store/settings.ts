import type { Db } from './db.js';

/** Deployment-wide key/value settings shared by every node (e.g. the generated JWT secret). */
export interface SettingsRepo {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key exists; returns the value that is stored (first writer wins). */
  getOrInsert(key: string, value: string): Promise<string>;
}

export function settingsRepo(db: Db): SettingsRepo {
  const get = async (key: string) =>
    (await db.get<{ value: string }>(`SELECT value FROM service_settings WHERE key = ?`, [key]))?.value;
  return {
    get,
    async getOrInsert(key, value) {
      await db.run(`INSERT INTO service_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, [key, value]);
      const stored = await get(key);
      if (stored === undefined) throw new Error(`setting ${key} vanished`);
      return stored;
    },
  };
}
