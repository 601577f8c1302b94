/**
 * Builds a whole service for a test: a temp SQLite file (or a PostgreSQL schema), the real
 * store, a settable clock, test engines, and a tenant with known credentials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, createServices, type ServiceOptions, type Services } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { generatePassword, generateUsername, hashPassword } from '../../src/server/session/credentials.js';
import { DEFAULT_TENANT_SETTINGS } from '../../src/server/session/tenant-settings.js';
import type { Engines } from '../../src/server/session/deps.js';
import type { Tenant, TenantSettings } from '../../src/server/session/types.js';
import { openStore, type Store } from '../../src/server/store/index.js';
import { FakeDocumentEngine, FakeFaceEngine } from './fake-engines.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestService {
  app: FastifyInstance;
  services: Services;
  store: Store;
  config: Config;
  clock: { now: number };
  close(): Promise<void>;
}

export interface TestServiceOptions {
  /** Default: the fakes. Pass null to leave the service not ready. */
  engines?: Engines | null;
  env?: Record<string, string>;
  postgres?: boolean;
  serviceOptions?: ServiceOptions;
}

export async function openTestStore(postgres = false): Promise<{ store: Store; dataDir: string; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-test-'));
  if (!postgres) {
    const store = await openStore({ databaseUrl: `sqlite:${join(dataDir, 'test.sqlite')}`, dataDir });
    return {
      store,
      dataDir,
      async drop() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir, pgSchema: schema });
  return {
    store,
    dataDir,
    async drop() {
      await store.db.run(`DROP SCHEMA ${schema} CASCADE`);
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestService(opts: TestServiceOptions = {}): Promise<TestService> {
  const { store, dataDir, drop } = await openTestStore(opts.postgres);
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://idv.example.test', ...opts.env });
  const clock = { now: Date.parse('2026-01-15T10:00:00Z') };
  const services = await createServices(config, store, { now: () => clock.now, ...opts.serviceOptions });
  const engines = opts.engines === undefined ? { face: new FakeFaceEngine(), document: new FakeDocumentEngine() } : opts.engines;
  if (engines) services.setEngines(engines);
  const app = await buildApp(services);
  await app.ready();
  return {
    app,
    services,
    store,
    config,
    clock,
    async close() {
      await app.close();
      await drop();
    },
  };
}

export interface TestTenant {
  tenant: Tenant;
  username: string;
  password: string;
  basic: string;
}

export async function createTestTenant(store: Store, settings: Partial<TenantSettings> = {}, name = 'Acme'): Promise<TestTenant> {
  const username = generateUsername();
  const password = generatePassword();
  const tenant: Tenant = {
    id: crypto.randomUUID(),
    name,
    username,
    passwordHash: await hashPassword(password),
    settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: ['https://shop.example.com'], ...settings },
    disabledAt: null,
    createdAt: Date.now(),
  };
  await store.tenants.insert(tenant);
  return { tenant, username, password, basic: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

/** POST initialize for `t`; returns the parsed body (asserting 200). */
export async function openSession(app: FastifyInstance, t: TestTenant, body: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/enrolment/initialize',
    headers: { authorization: t.basic },
    payload: { returnUrl: 'https://shop.example.com/done', ...body },
  });
  if (res.statusCode !== 200) throw new Error(`initialize ${res.statusCode}: ${res.body}`);
  return res.json() as { hasError: false; accessToken: string; sessionId: string; webEnrolmentUrl: string };
}

export function postImage(app: FastifyInstance, token: string, path: 'document' | 'face', image: Buffer | string) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/enrolment/${path}`,
    headers: { authorization: `Bearer ${token}` },
    payload: { imageBase: typeof image === 'string' ? image : image.toString('base64') },
  });
}

export function complete(app: FastifyInstance, token: string) {
  return app.inject({ method: 'POST', url: '/api/v1/enrolment/complete', headers: { authorization: `Bearer ${token}` } });
}
