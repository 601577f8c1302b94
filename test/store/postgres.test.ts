/**
 * The storage contract on PostgreSQL (TEST_DATABASE_URL, default the local server), in a schema
 * of its own that is dropped afterwards. CI always has the server; without one this fails loudly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/server/store/index.js';
import { openTestStore, TEST_DATABASE_URL } from '../helpers/service.js';
import { storeContract } from './contract.js';

storeContract('PostgreSQL', () => openTestStore(true));

test('PostgreSQL: nodes starting together migrate once (advisory lock)', async () => {
  const schema = `t_mig_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-pg-'));
  const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl: TEST_DATABASE_URL, dataDir, pgSchema: schema })));
  try {
    const rows = await stores[0]!.db.all<{ id: string }>('SELECT id FROM schema_migrations');
    assert.equal(rows.filter((r) => r.id === '0001_init').length, 1);
  } finally {
    await stores[0]!.db.run(`DROP SCHEMA ${schema} CASCADE`);
    await Promise.all(stores.map((s) => s.close()));
  }
});
