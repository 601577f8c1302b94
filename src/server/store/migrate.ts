/**
 * Migrations: an ordered list of files `migrations/NNNN_name.ts`, each exporting
 * `up(dialect): string[]`. Any part of the service may add one (next free number); they run in
 * file-name order at start-up, each once, under the database-wide lock, each in one transaction.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Db, Dialect } from './db.js';

export interface Migration {
  id: string;
  up: (dialect: Dialect) => string[];
}

const MIGRATION_FILE = /^(\d{4}_[a-z0-9_]+)\.(ts|js)$/;

export async function loadMigrations(dir = join(dirname(fileURLToPath(import.meta.url)), 'migrations')): Promise<Migration[]> {
  const files = readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const out: Migration[] = [];
  for (const f of files) {
    const id = MIGRATION_FILE.exec(f)![1]!;
    if (out.some((m) => m.id === id)) continue; // .ts and .js of the same migration
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { up?: Migration['up'] };
    if (typeof mod.up !== 'function') throw new Error(`migration ${f} exports no up()`);
    out.push({ id, up: mod.up });
  }
  return out;
}

/** Applies the migrations not yet applied; returns their ids. */
export async function migrate(db: Db, migrations?: Migration[]): Promise<string[]> {
  const list = migrations ?? (await loadMigrations());
  return db.exclusive(async (locked) => {
    await locked.run(`CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`);
    const done = new Set((await locked.all<{ id: string }>(`SELECT id FROM schema_migrations`)).map((r) => r.id));
    const applied: string[] = [];
    for (const m of list) {
      if (done.has(m.id)) continue;
      await locked.batch([
        ...m.up(locked.dialect).map((sql) => ({ sql })),
        { sql: `INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)`, params: [m.id, Date.now()] },
      ]);
      applied.push(m.id);
    }
    return applied;
  });
}
