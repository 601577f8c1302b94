/**
 * Entry of a vision worker thread (started by session/vision-pool.ts): a composition root like
 * main.ts — it loads the face and document models once and answers jobs until terminated.
 */
import { parentPort } from 'node:worker_threads';
import { CodedError } from '../shared/errors.js';
import { runCheck } from './session/deps.js';
import type { VisionReply, VisionRequest } from './session/vision-pool.js';
import { createDocumentEngine, loadDocumentModels } from './vision/document/index.js';
import { createFaceEngine, loadFaceModels } from './vision/face/index.js';

const port = parentPort;
if (!port) throw new Error('vision-worker.ts runs only as a worker thread');
const reply = (m: VisionReply) => port.postMessage(m);

try {
  const t0 = performance.now();
  const [faceModels, documentModels] = await Promise.all([loadFaceModels(), loadDocumentModels()]);
  const face = createFaceEngine(faceModels);
  const document = createDocumentEngine(documentModels);
  port.on('message', async (job: VisionRequest) => {
    try {
      // analyzeDocument (runCheck), not the engine's richer analyze(): the contract's result crosses threads.
      const result = await runCheck({ face, document }, job.kind, job.bytes);
      reply({ type: 'result', id: job.id, result });
    } catch (err) {
      reply({
        type: 'error',
        id: job.id,
        code: err instanceof CodedError ? err.code : null,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
  reply({ type: 'ready', loadMs: Math.round(performance.now() - t0) });
} catch (err) {
  reply({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
