/** Opens the configured store: database (migrated), repositories and the image store. */
import { join } from 'node:path';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { dbImageStore, fileImageStore, type ImageStore } from './images.js';
import { sessionRepo, type SessionRepo } from './sessions.js';
import { settingsRepo, type SettingsRepo } from './settings.js';
import { tenantRepo, type TenantRepo } from './tenants.js';
import { rateLimitRepo, type RateLimitRepo } from './rate-limits.js';
import { defaultKeyFile, Keyring, loadOrCreateKeyFile, registerKeyring } from './encryption.js';

export interface Store {
  db: Db;
  tenants: TenantRepo;
  sessions: SessionRepo;
  settings: SettingsRepo;
  images: ImageStore;
  /** The data encryption keys (also reachable from any repository's Db: encryption.ts keyringOf). */
  keyring: Keyring;
  /** Rate-limit counters shared by every node (session/rate-limits.ts). */
  rateLimits: RateLimitRepo;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `sqlite:<path>` or `postgres://…` */
  databaseUrl: string;
  /** Image files go under `<dataDir>/images` on SQLite. */
  dataDir: string;
  /** PostgreSQL schema (tests: one per run). */
  pgSchema?: string;
  /** PostgreSQL connections in this process's pool (DATABASE_POOL_SIZE; default 10). */
  poolSize?: number;
  /** Encrypts images, personal data and secrets (encryption.ts); default: the key file under `dataDir/keys` (created if missing). */
  keyring?: Keyring;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const db = opts.databaseUrl.startsWith('sqlite:')
    ? openSqlite(opts.databaseUrl.slice('sqlite:'.length))
    : await openPostgres({ url: opts.databaseUrl, ...(opts.pgSchema ? { schema: opts.pgSchema } : {}), ...(opts.poolSize ? { maxConnections: opts.poolSize } : {}) });
  let keyring: Keyring;
  try {
    keyring = opts.keyring ?? new Keyring(loadOrCreateKeyFile(defaultKeyFile(opts.dataDir)));
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  registerKeyring(db, keyring);
  return {
    db,
    tenants: tenantRepo(db),
    sessions: sessionRepo(db),
    settings: settingsRepo(db),
    images: db.dialect === 'postgres' ? dbImageStore(db, keyring) : fileImageStore(join(opts.dataDir, 'images'), keyring),
    keyring,
    rateLimits: rateLimitRepo(db),
    close: () => db.close(),
  };
}
