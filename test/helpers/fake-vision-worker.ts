/**
 * TEST FAKE vision worker for the pool's tests: speaks the pool's protocol without models.
 * First byte of the job: 1 → accepted face, 2 → CodedError IMAGE_UNDECODABLE, 3 → plain Error,
 * 4 → the worker dies mid-job, 5 → busy-loops 1.5 s first (blocks only this thread).
 */
import { parentPort } from 'node:worker_threads';
import { CodedError } from '../../src/shared/errors.js';
import type { VisionReply, VisionRequest } from '../../src/server/session/vision-pool.js';

const port = parentPort!;
const reply = (m: VisionReply) => port.postMessage(m);
port.on('message', (job: VisionRequest) => {
  try {
    const op = job.bytes[0];
    if (op === 4) process.exit(3);
    if (op === 5) {
      const until = Date.now() + 1500;
      while (Date.now() < until);
    }
    if (op === 2) throw new CodedError('IMAGE_UNDECODABLE');
    if (op === 3) throw new Error('boom');
    reply({ type: 'result', id: job.id, result: { code: null, problems: [], embedding: [job.bytes.length], embeddingModel: 'fake', measurements: {}, ms: 0 } });
  } catch (err) {
    reply({ type: 'error', id: job.id, code: err instanceof CodedError ? err.code : null, message: (err as Error).message });
  }
});
reply({ type: 'ready', loadMs: 0 });
