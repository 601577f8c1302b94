/**
 * Issue #17, vision capacity that can grow, with the real models: an API node on PostgreSQL with
 * VISION_QUEUE=database and no vision threads of its own, and a separate vision worker process
 * (`src/server/vision-node.ts`, what `npm run vision-worker` runs built) on the same database and
 * key. The node is not ready until the worker's heartbeat arrives; a real passport page and a real
 * selfie are checked by the worker; SIGTERM stops it cleanly and the node stops being ready.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { complete, createTestTenant, openSession, postImage, startTestService, TEST_DATABASE_URL } from '../helpers/service.js';
import { selfie } from '../helpers/face-images.js';
import { REMOTE_VISION_DEFAULTS, startRemoteVision } from '../../src/server/session/vision-remote.js';
import { visionJobsRepo } from '../../src/server/store/vision-jobs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('an API node without vision threads gets its checks done by a separate vision worker process', { timeout: 300_000 }, async () => {
  const svc = await startTestService({ postgres: true, engines: null, env: { VISION_QUEUE: 'database', VISION_WORKERS: '0' } });
  const repo = visionJobsRepo(svc.store.db);
  const remote = await startRemoteVision(repo, svc.store.db, {
    ...REMOTE_VISION_DEFAULTS,
    statsMs: 200,
    maxQueued: 16,
    waitMs: 60_000,
    timeoutMs: 100_000,
    now: Date.now,
    newId: randomUUID,
  });
  svc.services.setEngines(remote.engines, remote);
  const schema = (await svc.store.db.get<{ s: string }>(`SELECT current_schema() AS s`))!.s;
  const worker = spawn(process.execPath, ['--import', 'tsx', 'src/server/vision-node.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      DATA_ENCRYPTION_KEY_FILE: join(svc.config.dataDir, 'keys', 'data-encryption.keys'),
      DATA_DIR: svc.config.dataDir,
      VISION_WORKERS: '1',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  worker.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  worker.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
  try {
    assert.equal((await svc.app.inject('/ready')).statusCode, 503, 'no consumer yet');
    for (let i = 0; i < 240 && (await svc.app.inject('/ready')).statusCode !== 200; i++) {
      assert.equal(worker.exitCode, null, log.slice(-2000));
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal((await svc.app.inject('/ready')).statusCode, 200, log.slice(-2000));

    const t = await createTestTenant(svc.store, { steps: ['document', 'face'] });
    const s = await openSession(svc.app, t);
    const page = await postImage(svc.app, s.accessToken, 'document', readFileSync(join(root, 'test/fixtures/documents/uto_passport_scan.jpg')));
    assert.equal(page.statusCode, 200, page.body);
    assert.equal(page.json().type, 'PASSPORT');
    const face = await postImage(svc.app, s.accessToken, 'face', await selfie());
    assert.equal(face.statusCode, 200, face.body);
    assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
    const jobs = log.split('\n').filter((l) => l.includes('"msg":"vision job"'));
    assert.equal(jobs.length, 2, log.slice(-2000));
    assert.ok(jobs.every((l) => l.includes('"outcome":"done"')));
    assert.equal(Number((await svc.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_jobs`))!.n), 0);

    worker.kill('SIGTERM');
    assert.equal(await exited, 0, log.slice(-2000));
    assert.equal(Number((await svc.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM vision_workers`))!.n), 0);
    for (let i = 0; i < 50 && remote.ready(); i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await svc.app.inject('/ready')).statusCode, 503);
  } finally {
    if (worker.exitCode === null) worker.kill('SIGKILL');
    await remote.close();
    await svc.close();
  }
});
