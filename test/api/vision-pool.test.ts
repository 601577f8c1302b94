/** The worker pool: results and coded errors cross threads, a dead worker is replaced, the main loop stays free. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startVisionPool, type VisionPool } from '../../src/server/session/vision-pool.js';

let pool: VisionPool;
before(async () => {
  pool = await startVisionPool(1, new URL('../helpers/fake-vision-worker.ts', import.meta.url));
});
after(() => pool.close());

test('results and coded errors cross the thread boundary; the caller keeps its bytes', async () => {
  const bytes = Buffer.from([1, 0, 0, 0]);
  const r = await pool.engines.face.checkFace(bytes);
  assert.deepEqual(r.embedding, [4]);
  assert.deepEqual([...bytes], [1, 0, 0, 0], 'not detached by the transfer');
  await assert.rejects(pool.engines.face.checkFace(Buffer.from([2])), (e: { code?: string }) => e.code === 'IMAGE_UNDECODABLE');
  await assert.rejects(pool.engines.face.checkFace(Buffer.from([3])), /vision job failed: boom/);
});

test('a worker that dies fails its job and is replaced', async () => {
  await assert.rejects(pool.engines.face.checkFace(Buffer.from([4])), /vision worker exited/);
  const r = await pool.engines.face.checkFace(Buffer.from([1, 1]));
  assert.deepEqual(r.embedding, [2]);
});

test('a job that blocks its worker does not block the main event loop', async () => {
  // A 20 ms timer set when a 1.5 s blocking job starts fires before the job ends — impossible if
  // the job ran on this thread.
  const order: string[] = [];
  const job = pool.engines.face.checkFace(Buffer.from([5])).then(() => order.push('job'));
  const timer = new Promise<void>((r) => setTimeout(() => r(void order.push('timer')), 20));
  await Promise.all([job, timer]);
  assert.deepEqual(order, ['timer', 'job']);
});

test('a worker that fails to load rejects the start', async () => {
  await assert.rejects(startVisionPool(1, new URL('../helpers/no-such-worker.ts', import.meta.url)), /vision worker/);
});
