/**
 * Several service nodes on one database, as behind a load balancer: on PostgreSQL one schema
 * shared by the nodes' own pools; on SQLite one file opened by each node (the embedded store's
 * semantics, e.g. for limits counted in the database). Each node has its own app, caches and clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, createServices, type Services } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openStore, type Store } from '../../src/server/store/index.js';
import { FakeDocumentEngine, FakeFaceEngine } from './fake-engines.js';
import { TEST_DATABASE_URL } from './service.js';

export interface TestNode {
  app: FastifyInstance;
  services: Services;
  store: Store;
}

export async function startTestNodes(count: number, opts: { postgres: boolean; env?: Record<string, string> }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-nodes-'));
  const schema = `t_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const storeOptions = opts.postgres
    ? { databaseUrl: TEST_DATABASE_URL, dataDir, pgSchema: schema }
    : { databaseUrl: `sqlite:${join(dataDir, 'shared.sqlite')}`, dataDir };
  const clock = { now: Date.parse('2026-01-15T10:00:00Z') };
  const nodes: TestNode[] = [];
  for (let i = 0; i < count; i++) {
    const store = await openStore(storeOptions);
    const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'https://idv.example.test', ...opts.env });
    const services = await createServices(config, store, { now: () => clock.now, verification: { backgroundJobs: false } });
    services.setEngines({ face: new FakeFaceEngine(), document: new FakeDocumentEngine() });
    const app = await buildApp(services);
    await app.ready();
    nodes.push({ app, services, store });
  }
  return {
    nodes,
    clock,
    /** Any node's store (they share the database). */
    store: nodes[0]!.store,
    async close() {
      for (const n of nodes) await n.app.close();
      if (opts.postgres) await nodes[0]!.store.db.run(`DROP SCHEMA ${schema} CASCADE`);
      for (const n of nodes) await n.store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
