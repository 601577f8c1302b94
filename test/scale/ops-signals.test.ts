/**
 * Issue #17, operations signals, on SQLite and PostgreSQL: Retry-After on every 503, /ready turns
 * 503 SERVICE_BUSY while the vision queue is full (and 200 again once it drains), /metrics in the
 * Prometheus text format (latency and error counts per route, queue depth, outbox, pool) behind a
 * token or loopback, and the PostgreSQL pool size setting.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestTenant, openSession, postImage, startTestService, TEST_DATABASE_URL } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';
import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/server/store/index.js';
import { outboxInsert } from '../../src/server/store/verification.js';
import { makeEvent } from '../../src/server/webhook/events.js';

/** The value of one sample line `name{labels} value` (labels matched as a substring). */
function sample(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name && (m[2] ?? '').includes(labels)) return Number(m[3]);
  }
  return undefined;
}

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('a full vision queue: captures get 503 SERVICE_BUSY with Retry-After, /ready says so, then recovers', async () => {
      const svc = await startTestService({ postgres, env: { VISION_CONCURRENCY: '1', VISION_MAX_QUEUED: '1' } });
      try {
        const t = await createTestTenant(svc.store, { steps: ['face'] });
        const s = await openSession(svc.app, t);
        assert.equal((await svc.app.inject('/ready')).statusCode, 200);
        const releases: Array<() => void> = [];
        const held = [0, 1].map(() => svc.services.session.vision.run(() => new Promise<void>((r) => releases.push(r))));
        await new Promise((r) => setImmediate(r));
        const ready = await svc.app.inject('/ready');
        assert.equal(ready.statusCode, 503);
        assert.equal(ready.json().error, 'SERVICE_BUSY');
        assert.equal(ready.headers['retry-after'], '2');
        const busy = await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
        assert.equal(busy.statusCode, 503);
        assert.equal(busy.json().error, 'SERVICE_BUSY');
        assert.ok(Number(busy.headers['retry-after']) >= 1);
        const metrics = (await svc.app.inject('/metrics')).body;
        assert.equal(sample(metrics, 'idv_vision_queue_running'), 1);
        assert.equal(sample(metrics, 'idv_vision_queue_waiting'), 1);
        assert.equal(sample(metrics, 'idv_vision_saturated'), 1);
        assert.equal(sample(metrics, 'idv_http_errors_total', 'route="/api/v1/enrolment/face",code="SERVICE_BUSY"'), 1);
        assert.equal(sample(metrics, 'idv_http_errors_total', 'route="/ready",code="SERVICE_BUSY"'), 1);
        for (let done = 0; done < 2; ) {
          const r = releases.shift();
          if (r) {
            r();
            done++;
          }
          await new Promise((res) => setTimeout(res, 1));
        }
        await Promise.all(held);
        assert.equal((await svc.app.inject('/ready')).statusCode, 200);
        assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
      } finally {
        await svc.close();
      }
    });

    test('/metrics: Prometheus text with latency and errors per route, outbox and pool figures; loopback or token only', async () => {
      const svc = await startTestService({ postgres });
      try {
        const t = await createTestTenant(svc.store);
        await openSession(svc.app, t);
        await svc.app.inject({ method: 'POST', url: '/api/v1/enrolment/initialize', headers: { authorization: 'Basic bm86bm8=' }, payload: {} });
        await svc.app.inject(`/api/v1/sessions/${randomBytes(8).toString('hex')}`);
        await svc.store.db.batch([outboxInsert(makeEvent(t.tenant.id, 'session.expired', { sessionId: 'x', externalId: null, status: 'EXPIRED' }, svc.clock.now - 5000))]);
        const res = await svc.app.inject('/metrics');
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
        const m = res.body;
        assert.equal(sample(m, 'idv_http_request_duration_seconds_count', 'route="/api/v1/enrolment/initialize",status="200"'), 1);
        assert.equal(sample(m, 'idv_http_errors_total', 'route="/api/v1/enrolment/initialize",code="TENANT_UNAUTHORIZED"'), 1);
        assert.equal(sample(m, 'idv_http_errors_total', 'route="/api/v1/sessions/:sessionId",code="TENANT_UNAUTHORIZED"'), 1);
        assert.equal(sample(m, 'idv_webhook_outbox_due'), 1);
        assert.equal(sample(m, 'idv_webhook_outbox_oldest_due_seconds'), 5);
        assert.equal(sample(m, 'idv_webhook_events', 'state="failed"'), 0);
        assert.ok((sample(m, 'idv_process_resident_memory_bytes') ?? 0) > 0);
        if (postgres) assert.equal(sample(m, 'idv_db_pool_max'), 10);
        else assert.equal(sample(m, 'idv_db_pool_max'), undefined);
        // Not from elsewhere without a token.
        assert.equal((await svc.app.inject({ url: '/metrics', remoteAddress: '203.0.113.7' })).statusCode, 404);
      } finally {
        await svc.close();
      }
      const withToken = await startTestService({ postgres, env: { METRICS_TOKEN: 'metrics-token-0123456789' } });
      try {
        assert.equal((await withToken.app.inject('/metrics')).statusCode, 404, 'a token set: loopback alone is not enough');
        assert.equal((await withToken.app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-0123456789' } })).statusCode, 404);
        const ok = await withToken.app.inject({ url: '/metrics', remoteAddress: '203.0.113.7', headers: { authorization: 'Bearer metrics-token-0123456789' } });
        assert.equal(ok.statusCode, 200);
        assert.match(ok.body, /idv_vision_queue_waiting 0/);
      } finally {
        await withToken.close();
      }
    });
  });
}

test('DATABASE_POOL_SIZE bounds the PostgreSQL pool (validated; default 10)', async () => {
  assert.equal(loadConfig({}).databasePoolSize, 10);
  assert.equal(loadConfig({ DATABASE_POOL_SIZE: '3' }).databasePoolSize, 3);
  assert.throws(() => loadConfig({ DATABASE_POOL_SIZE: '0' }), /DATABASE_POOL_SIZE/);
  assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN/);
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-pool-'));
  const schema = `t_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir, pgSchema: schema, poolSize: 3 });
  try {
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const p = store.db.get(`SELECT pg_sleep(0.05)`);
        peak = Math.max(peak, store.db.poolStats!().total);
        await p;
      }),
    );
    assert.equal(store.db.poolStats!().max, 3);
    assert.ok(peak <= 3, `peak ${peak} connections`);
    const active = await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = '' AND query LIKE '%pg_sleep%' AND state = 'active'`);
    assert.ok(Number(active!.n) <= 3);
  } finally {
    await store.db.run(`DROP SCHEMA ${schema} CASCADE`);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
