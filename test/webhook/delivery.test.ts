/**
 * Webhooks end to end against a real HTTP receiver on 127.0.0.1 that fails (500), times out,
 * then recovers — with a restart of the service in between. Every event is delivered, every
 * signature verifies (checked here with node:crypto directly, not with the product's code), the
 * delivery log records each attempt, nothing is lost across the restart. The SSRF guard refuses
 * loopback unless the test-only address policy is injected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildApp, createServices, type ServiceOptions } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/server/store/index.js';
import { backoffMs, createWebhookWorker, DEFAULT_WEBHOOK_WORKER_OPTIONS } from '../../src/server/webhook/worker.js';
import { webhookRepo } from '../../src/server/store/webhooks.js';
import { createWebhookPoster } from '../../src/server/webhook/post.js';
import { makeEvent } from '../../src/server/webhook/events.js';
import { outboxInsert } from '../../src/server/store/verification.js';
import { verifySignature } from '../../src/server/webhook/signing.js';
import { complete, createTestTenant, openSession, postImage, openTestStore } from '../helpers/service.js';
import { testOnlyAllowLoopback } from '../helpers/test-address-policy.js';
import { passportPage, td3 } from '../verification/mrz-builder.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, GENUINE_MATCH_SCORE, acceptedFace, embeddingPair } from '../verification/scripted-engines.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A receiver whose behaviour the test switches: 'fail' (500), 'hang' (never answers), 'ok' (204). */
async function receiver() {
  const state = { mode: 'fail' as 'fail' | 'hang' | 'ok', received: [] as Received[], hanging: [] as http.ServerResponse[] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (state.mode === 'fail') res.writeHead(500).end('nope');
      else if (state.mode === 'hang') state.hanging.push(res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    state,
    url: `http://127.0.0.1:${port}/hooks/idv`,
    close: () =>
      new Promise<void>((r) => {
        for (const res of state.hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const SECRET = 'whsec_test_secret_0123456789';
const GOOD = { lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' };

test('events survive failures, a timeout and a restart; all delivered with valid signatures; the log records every attempt', async () => {
  const rx = await receiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-webhook-'));
  const databaseUrl = `sqlite:${join(dataDir, 'test.sqlite')}`;
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PUBLIC_BASE_URL: 'https://idv.example.test' });
  const clock = { now: Date.parse('2026-01-15T10:00:00Z') };
  const document = new FakeScriptedDocumentEngine();
  const face = new FakeScriptedFaceEngine();
  const opts: ServiceOptions = {
    now: () => clock.now,
    verification: { backgroundJobs: false, webhookPoster: { addressPolicy: testOnlyAllowLoopback }, webhookWorker: { timeoutMs: 400, baseDelayMs: 10_000, jitter: 0 } },
  };
  async function start() {
    const store = await openStore({ databaseUrl, dataDir });
    const services = await createServices(config, store, opts);
    services.setEngines({ document, face });
    const app = await buildApp(services);
    await app.ready();
    return { store, services, app };
  }
  let node = await start();
  try {
    const tenant = await createTestTenant(node.store);
    await node.services.verification.webhooks.setEndpoint(tenant.tenant.id, rx.url, SECRET, clock.now);
    const image = await sharp({ create: { width: 120, height: 120, channels: 3, background: '#777' } }).jpeg().toBuffer();
    const sessions: string[] = [];
    for (let i = 0; i < 2; i++) {
      const [selfie, portrait] = embeddingPair(GENUINE_MATCH_SCORE);
      const s = await openSession(node.app, tenant, { externalId: `order-${i}` });
      document.queue.push(passportPage(td3(GOOD), { portraitEmbedding: portrait, portraitEmbeddingModel: FACE_MODEL }));
      face.queue.push(acceptedFace(selfie));
      await postImage(node.app, s.accessToken, 'document', image);
      await postImage(node.app, s.accessToken, 'face', image);
      assert.equal((await complete(node.app, s.accessToken)).statusCode, 200);
      sessions.push(s.sessionId);
    }
    const worker = () => node.services.verification.worker;

    // 1. The receiver fails: 4 attempts (completed + decided for each session), all 500.
    rx.state.mode = 'fail';
    assert.equal(await worker().tick(), 4);
    assert.equal(rx.state.received.length, 4);
    // Nothing is due before the backoff elapses.
    clock.now += 9_000;
    assert.equal(await worker().tick(), 0);
    // 2. The receiver hangs: the attempts time out (400 ms) and are rescheduled.
    clock.now += 1_000;
    rx.state.mode = 'hang';
    assert.equal(await worker().tick(), 4);
    assert.equal(rx.state.received.length, 8);

    // 3. Restart the service: a new process on the same database.
    await node.app.close();
    await node.store.close();
    node = await start();

    // 4. The receiver recovers; after the second backoff (20 s) every event is delivered.
    rx.state.mode = 'ok';
    clock.now += 19_000;
    assert.equal(await worker().tick(), 0);
    clock.now += 1_000;
    assert.equal(await worker().tick(), 4);
    assert.equal(await worker().tick(), 0);

    const delivered = rx.state.received.slice(8);
    assert.equal(delivered.length, 4);
    const ids = new Set<string>();
    for (const r of rx.state.received) {
      const ts = r.headers['x-idv-timestamp'] as string;
      const expected = `v1=${createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex')}`;
      assert.equal(r.headers['x-idv-signature'], expected);
      assert.ok(verifySignature(SECRET, ts, r.body, expected, Math.floor(clock.now / 1000)));
      assert.ok(!verifySignature(SECRET, ts, r.body + ' ', expected, Math.floor(clock.now / 1000)), 'a changed body fails');
      const body = JSON.parse(r.body) as { id: string; type: string; data: { sessionId: string } };
      assert.equal(r.headers['x-idv-event-id'], body.id);
      assert.equal(r.headers['x-idv-event-type'], body.type);
      ids.add(body.id);
    }
    assert.equal(ids.size, 4, 'the same 4 events were retried, not new ones');
    const types = delivered.map((r) => (JSON.parse(r.body) as { type: string; data: { sessionId: string } })).map((b) => `${b.data.sessionId}:${b.type}`).sort();
    assert.deepEqual(types, sessions.flatMap((s) => [`${s}:session.completed`, `${s}:session.decided`]).sort());
    const decided = delivered.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> }).find((b) => b.type === 'session.decided')!;
    assert.equal(decided.data.status, 'AUTO_APPROVED');
    assert.equal(decided.data.decision, 'HIGH');
    assert.ok(decided.data.externalId === 'order-0' || decided.data.externalId === 'order-1');

    // The delivery log, per session, in the read endpoint.
    const res = await node.app.inject({ method: 'GET', url: `/api/v1/sessions/${sessions[0]}`, headers: { authorization: tenant.basic } });
    const v = (res.json() as { verification: { webhookEvents: Array<{ state: string; attempts: number }>; webhookDeliveries: Array<{ attempt: number; statusCode: number | null; error: string | null }> } }).verification;
    assert.deepEqual(v.webhookEvents.map((e) => [e.state, e.attempts]), [['DELIVERED', 3], ['DELIVERED', 3]]);
    assert.deepEqual(
      v.webhookDeliveries.map((d) => [d.attempt, d.statusCode, d.error]).sort(),
      [[1, 500, 'status 500'], [1, 500, 'status 500'], [2, null, 'timeout'], [2, null, 'timeout'], [3, 204, null], [3, 204, null]],
    );
    // 90 days later the settled events and their log are pruned; nothing pending is.
    clock.now += 91 * 86_400_000;
    const { webhookRowsPruned } = await node.services.verification.maintain();
    assert.equal(webhookRowsPruned, 4 + 12);
    assert.deepEqual(await node.services.verification.webhooks.events(sessions[0]!), []);
  } finally {
    await node.app.close();
    await node.store.close();
    await rx.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the SSRF guard refuses a loopback webhook URL without the test-only policy (and logs why)', async () => {
  const rx = await receiver();
  rx.state.mode = 'ok';
  const { store, drop } = await openTestStore();
  try {
    const tenant = await createTestTenant(store);
    const webhooks = webhookRepo(store.db);
    await webhooks.setEndpoint(tenant.tenant.id, rx.url, SECRET, 1000);
    const sessionId = crypto.randomUUID();
    await store.db.batch([outboxInsert(makeEvent(tenant.tenant.id, 'session.expired', { sessionId, externalId: null, status: 'EXPIRED' }, 1000))]);
    const now = 1000;
    const worker = createWebhookWorker({ webhooks, post: createWebhookPoster(), now: () => now, newId: () => crypto.randomUUID() });
    assert.equal(await worker.tick(), 1);
    assert.equal(rx.state.received.length, 0);
    const [d] = await webhooks.deliveries(sessionId);
    assert.equal(d!.error, 'address refused by the SSRF guard');
    // Private and metadata addresses too, and credentials in the URL.
    const post = createWebhookPoster();
    for (const url of ['http://10.0.0.1/x', 'http://169.254.169.254/latest', 'http://[::1]:8080/', 'http://user:pw@example.com/']) {
      const r = await post(url, '{}', {}, 500);
      assert.equal(r.ok, false, url);
    }
    const resolvesToPrivate = createWebhookPoster({ resolve: async () => ['192.168.1.10'] });
    assert.equal((await resolvesToPrivate('https://hooks.example.com/x', '{}', {}, 500)).error, 'address refused by the SSRF guard');
  } finally {
    await rx.close();
    await drop();
  }
});

test('backoff doubles up to an hour and retries last more than a day before FAILED', async () => {
  const o = DEFAULT_WEBHOOK_WORKER_OPTIONS;
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, o)), [10_000, 20_000, 40_000, 80_000]);
  assert.equal(backoffMs(30, o), 3_600_000);
  const { store, drop } = await openTestStore();
  try {
    const tenant = await createTestTenant(store);
    const webhooks = webhookRepo(store.db);
    await webhooks.setEndpoint(tenant.tenant.id, 'https://hooks.example.com/x', SECRET, 0);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const sessionId = crypto.randomUUID();
    await store.db.batch([outboxInsert(makeEvent(tenant.tenant.id, 'session.expired', { sessionId, externalId: null, status: 'EXPIRED' }, t0))]);
    let now = t0;
    // TEST FAKE poster: the receiver is always down.
    const worker = createWebhookWorker({ webhooks, post: async () => ({ ok: false, statusCode: 503, error: 'status 503' }), now: () => now, newId: () => crypto.randomUUID() });
    let attempts = 0;
    for (let i = 0; i < 500; i++) {
      const [e] = await webhooks.events(sessionId);
      if (e!.state !== 'PENDING') break;
      now = Math.max(now, e!.nextAttemptAt);
      attempts += await worker.tick();
    }
    const [e] = await webhooks.events(sessionId);
    assert.equal(e!.state, 'FAILED');
    const log = await webhooks.deliveries(sessionId);
    assert.equal(log.length, attempts);
    const lastAttempt = log[log.length - 1]!.createdAt;
    assert.ok(lastAttempt - t0 >= 24 * 3600_000, `retried for ${(lastAttempt - t0) / 3600_000} h`);
    assert.ok(lastAttempt - t0 >= o.giveUpAfterMs);
  } finally {
    await drop();
  }
});
