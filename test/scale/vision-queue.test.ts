/**
 * Issue #17, vision capacity that can grow: the shared vision queue (VISION_QUEUE=database) on
 * SQLite and PostgreSQL. API nodes hand their face and document checks to the queue; consumers
 * (here in-process, on the TEST FAKE engines of test/helpers/fake-engines.ts) claim, run and answer
 * them. Each job is claimed once, a consumer that stops answering loses its job to the next one,
 * a job nobody claims answers SERVICE_BUSY, readiness follows the consumers' heartbeats, and the
 * queued image is sealed. The real models in a separate process: vision-worker-process.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestNodes } from '../helpers/nodes.js';
import { createTestTenant, openSession, postImage } from '../helpers/service.js';
import { FakeDocumentEngine, FakeFaceEngine, fakeFaceImage } from '../helpers/fake-engines.js';
import { startRemoteVision, type RemoteVision } from '../../src/server/session/vision-remote.js';
import { startVisionConsumer, VISION_CONSUMER_DEFAULTS, type VisionConsumer, type VisionConsumerOptions } from '../../src/server/session/vision-consumer.js';
import type { Engines } from '../../src/server/session/deps.js';
import { Keyring } from '../../src/server/store/encryption.js';
import type { Store } from '../../src/server/store/index.js';
import { visionJobsRepo } from '../../src/server/store/vision-jobs.js';
import { CodedError } from '../../src/shared/errors.js';
import { ConfigError, loadConfig } from '../../src/server/config.js';

const FAST = { pollMs: 50, statsMs: 100, liveWithinMs: 2000 };

async function sharedQueueNodes(postgres: boolean, count: number, opts: { waitMs?: number; timeoutMs?: number; maxQueued?: number } = {}) {
  const cluster = await startTestNodes(count, { postgres, env: { VISION_QUEUE: 'database' } });
  const remotes: RemoteVision[] = [];
  const consumers: VisionConsumer[] = [];
  for (const n of cluster.nodes) {
    const r = await startRemoteVision(visionJobsRepo(n.store.db), n.store.db, {
      ...FAST,
      maxQueued: opts.maxQueued ?? 100,
      waitMs: opts.waitMs ?? 20_000,
      timeoutMs: opts.timeoutMs ?? 30_000,
      now: Date.now,
      newId: randomUUID,
    });
    n.services.setEngines(r.engines, r);
    remotes.push(r);
  }
  return {
    ...cluster,
    remotes,
    /** A consumer on `store` (each node's store stands for another process's connection). */
    async consumer(store: Store, engines: Engines, o: Partial<VisionConsumerOptions> = {}) {
      const c = await startVisionConsumer(visionJobsRepo(store.db), store.db, engines, {
        ...VISION_CONSUMER_DEFAULTS,
        pollMs: 50,
        heartbeatMs: 100,
        workerId: randomUUID(),
        threads: 2,
        now: Date.now,
        ...o,
      });
      consumers.push(c);
      return c;
    },
    /** `count` face-only sessions of one tenant on node 0: its app, and a selfie check per token. */
    async faceSessions(count: number) {
      const app = cluster.nodes[0]!.app;
      const t = await createTestTenant(cluster.store, { steps: ['face'] });
      const tokens: string[] = [];
      for (let i = 0; i < count; i++) tokens.push((await openSession(app, t)).accessToken);
      return { app, tokens, selfie: async (token: string) => postImage(app, token, 'face', await fakeFaceImage(null)) };
    },
    /** Waits until every node's last stats read sees `n` live consumers. */
    async waitLive(n: number) {
      for (let i = 0; i < 100 && !remotes.every((r) => r.stats().liveWorkers >= n); i++) await new Promise((res) => setTimeout(res, 50));
    },
    async close() {
      for (const c of consumers) await c.close();
      for (const r of remotes) await r.close();
      await cluster.close();
    },
  };
}

const fakes = (): Engines & { face: FakeFaceEngine; document: FakeDocumentEngine } => ({ face: new FakeFaceEngine(), document: new FakeDocumentEngine() });

/** An engine that answers only when the test lets it (a consumer that stops answering). */
function heldEngines(): { engines: Engines; started: Promise<void>; release: () => void } {
  let release!: () => void;
  let markStarted!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started = new Promise<void>((r) => (markStarted = r));
  const fake = new FakeFaceEngine();
  return {
    engines: {
      face: {
        async checkFace(bytes) {
          markStarted();
          await gate;
          return fake.checkFace(bytes);
        },
      },
      document: new FakeDocumentEngine(),
    },
    started,
    release: () => release(),
  };
}

test('configuration: VISION_QUEUE is local or database; the shared queue lets a node keep 32 checks in it by default; the wait is shorter than the timeout', () => {
  assert.equal(loadConfig({}).visionQueue, 'local');
  assert.equal(loadConfig({}).visionConcurrency, 1);
  const shared = loadConfig({ VISION_QUEUE: 'database', VISION_WORKERS: '0' });
  assert.equal(shared.visionQueue, 'database');
  assert.equal(shared.visionConcurrency, 32);
  assert.equal(shared.visionQueueWaitMs, 30_000);
  assert.equal(shared.visionJobTimeoutMs, 100_000);
  assert.throws(() => loadConfig({ VISION_QUEUE: 'nats' }), (e: unknown) => e instanceof ConfigError && /VISION_QUEUE/.test(e.message));
  assert.throws(() => loadConfig({ VISION_QUEUE_WAIT_MS: '5000', VISION_JOB_TIMEOUT_MS: '5000' }), ConfigError);
  assert.throws(() => loadConfig({ VISION_JOB_TIMEOUT_MS: '200000' }), ConfigError);
});

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('two nodes, two consumers: every check answered once, by whichever consumer claimed it; the queue ends empty', async () => {
      const q = await sharedQueueNodes(postgres, 2);
      try {
        const [a, b] = [fakes(), fakes()];
        const ca = await q.consumer(q.nodes[0]!.store, a);
        const cb = await q.consumer(q.nodes[1]!.store, b);
        const t = await createTestTenant(q.store, { steps: ['face'] });
        const N = 24;
        const answers = await Promise.all(
          Array.from({ length: N }, async (_, i) => {
            const node = q.nodes[i % 2]!;
            const s = await openSession(node.app, t);
            const res = await postImage(node.app, s.accessToken, 'face', await fakeFaceImage(i % 3 === 0 ? 'FACE_TOO_SMALL' : null));
            return { i, status: res.statusCode, body: res.json() as { hasError: boolean; errorCode?: string } };
          }),
        );
        for (const r of answers) {
          assert.equal(r.status, r.i % 3 === 0 ? 422 : 200, JSON.stringify(r));
          if (r.i % 3 === 0) assert.equal(r.body.errorCode ?? (r.body as { error?: string }).error, 'FACE_TOO_SMALL');
        }
        assert.equal(a.face.calls + b.face.calls, N, 'each check ran once');
        assert.equal(ca.jobsDone + cb.jobsDone, N);
        const left = await q.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_jobs`);
        assert.equal(Number(left!.n), 0);
      } finally {
        await q.close();
      }
    });

    test('/ready: 503 until a consumer is alive, 200 while one is, 503 again once it stopped; /metrics shows the shared queue', async () => {
      const q = await sharedQueueNodes(postgres, 1);
      try {
        const app = q.nodes[0]!.app;
        const before = await app.inject('/ready');
        assert.equal(before.statusCode, 503);
        assert.equal(before.json().error, 'SERVICE_NOT_READY');
        const c = await q.consumer(q.store, fakes(), { threads: 3 });
        await q.waitLive(1);
        assert.equal((await app.inject('/ready')).statusCode, 200);
        const metrics = (await app.inject('/metrics')).body;
        assert.match(metrics, /^idv_vision_consumers_live 1$/m);
        assert.match(metrics, /^idv_vision_consumer_threads_live 3$/m);
        assert.match(metrics, /^idv_vision_shared_queued 0$/m);
        await c.close(); // removes its heartbeat
        for (let i = 0; i < 100 && q.remotes[0]!.ready(); i++) await new Promise((res) => setTimeout(res, 50));
        assert.equal((await app.inject('/ready')).statusCode, 503);
      } finally {
        await q.close();
      }
    });

    test('nobody claims the check: SERVICE_BUSY with Retry-After after the wait, the job withdrawn; a full queue refuses at once', async () => {
      const q = await sharedQueueNodes(postgres, 1, { waitMs: 300, maxQueued: 1 });
      try {
        const { tokens, selfie } = await q.faceSessions(2);
        const first = selfie(tokens[0]!);
        for (let i = 0; i < 100; i++) {
          if (Number((await q.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_jobs`))!.n) === 1) break;
          await new Promise((res) => setTimeout(res, 10));
        }
        const t0 = Date.now();
        const full = await selfie(tokens[1]!);
        assert.equal(full.statusCode, 503);
        assert.equal(full.json().error, 'SERVICE_BUSY');
        assert.ok(Date.now() - t0 < 250, 'a full queue answers at once');
        const waited = await first;
        assert.equal(waited.statusCode, 503);
        assert.equal(waited.json().error, 'SERVICE_BUSY');
        assert.equal(waited.headers['retry-after'], '5');
        assert.equal(Number((await q.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_jobs`))!.n), 0);
        // A consumer arrives: the same session's capture goes through.
        await q.consumer(q.store, fakes());
        assert.equal((await selfie(tokens[0]!)).statusCode, 200);
      } finally {
        await q.close();
      }
    });

    test('a consumer that stops answering loses its job to the next one after its lease; its late answer is ignored', async () => {
      const q = await sharedQueueNodes(postgres, 1);
      try {
        const { tokens, selfie } = await q.faceSessions(1);
        const held = heldEngines();
        const lost: string[] = [];
        await q.consumer(q.store, held.engines, { leaseMs: 300, threads: 1, onJob: (j) => lost.push(j.outcome) });
        const answer = selfie(tokens[0]!);
        await held.started;
        const healthy = fakes();
        await q.consumer(q.store, healthy, { leaseMs: 300 });
        const res = await answer;
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(healthy.face.calls, 1);
        held.release();
        for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(lost, ['lost']);
      } finally {
        await q.close();
      }
    });

    test('a job lost as many times as allowed fails (INTERNAL_ERROR), instead of going round', async () => {
      const q = await sharedQueueNodes(postgres, 1);
      try {
        const { tokens, selfie } = await q.faceSessions(1);
        const held = heldEngines();
        await q.consumer(q.store, held.engines, { leaseMs: 200, maxAttempts: 1, threads: 1 });
        const res = await selfie(tokens[0]!);
        assert.equal(res.statusCode, 500);
        assert.equal(res.json().error, 'INTERNAL_ERROR');
        held.release();
      } finally {
        await q.close();
      }
    });

    test('coded errors cross the queue as themselves; the queued image is sealed and cleared once answered', async () => {
      const q = await sharedQueueNodes(postgres, 1);
      try {
        const engines = q.remotes[0]!.engines;
        const local = new FakeFaceEngine();
        const garbage = Buffer.from('not an image at all');
        const expected = await local.checkFace(garbage).then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(expected instanceof CodedError);
        const png = await fakeFaceImage(null);
        const pending = engines.face.checkFace(png);
        let row: { payload: Buffer } | undefined;
        for (let i = 0; i < 100 && !row; i++) {
          row = await q.store.db.get<{ payload: Buffer }>(`SELECT payload FROM vision_jobs`);
          if (!row) await new Promise((r) => setTimeout(r, 10));
        }
        assert.ok(row && Keyring.isSealed(Buffer.from(row.payload)), 'sealed while queued');
        assert.equal(Buffer.from(row.payload).indexOf(png.subarray(0, 64)), -1);
        await q.consumer(q.store, fakes());
        assert.equal((await pending).code, null);
        await assert.rejects(engines.face.checkFace(garbage), (e: unknown) => e instanceof CodedError && e.code === expected.code);
        assert.equal(Number((await q.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_jobs`))!.n), 0);
      } finally {
        await q.close();
      }
    });
  });
}
