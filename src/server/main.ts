/**
 * Starts the service: config → store (migrated) → HTTP listening at once (/health 200, /ready 503)
 * → models loaded once → engines installed (/ready 200). SIGINT/SIGTERM: stop accepting, let
 * in-flight requests finish (up to SHUTDOWN_GRACE_MS), close the store, exit; a second signal
 * while draining exits at once. `npm start` runs this file's bundle (dist/server/main.js, built by
 * scripts/build-server.ts) with plain node, exec'd by npm's shell so signals reach it; `npm run
 * dev` runs it under tsx.
 */
import { randomUUID } from 'node:crypto';
import { buildApp, createServices } from './app.js';
import { loadConfigOrExit } from './config.js';
import { quickStart } from './quick-start.js';
import { processConsumerOptions, startVisionConsumer, type VisionConsumer } from './session/vision-consumer.js';
import { startVisionPool, workerEntryNextTo, type VisionPool } from './session/vision-pool.js';
import { REMOTE_VISION_DEFAULTS, startRemoteVision, type RemoteVision } from './session/vision-remote.js';
import { visionJobsRepo } from './store/vision-jobs.js';
import { keyringFrom } from './store/encryption.js';
import { openStore } from './store/index.js';
import { createFaceEngine, loadFaceModels } from './vision/face/index.js';
import { createDocumentEngine, loadDocumentModels } from './vision/document/index.js';

const WORKER_ENTRY = workerEntryNextTo(import.meta.url);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize, keyring: keyringFrom(config.dataKeys) });
  const services = await createServices(config, store);
  const app = await buildApp(services, { level: config.logLevel });

  let pool: VisionPool | null = null;
  let remote: RemoteVision | null = null;
  let consumer: VisionConsumer | null = null;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      // A second Ctrl-C (or TERM) while draining: stop now.
      if (signal === 'SIGINT' || signal === 'SIGTERM') process.exit(1);
      return;
    }
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.warn('grace period over; exiting with requests in flight');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    // server.close() drops the connections idle at that moment; a keep-alive connection whose
    // request finishes later would otherwise hold the close until its keep-alive timeout.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
      clearInterval(sweep);
      // The requests drained (their vision jobs answered): stop taking jobs, finish the running ones.
      await consumer?.close();
      await remote?.close();
      await pool?.close();
      await store.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const base = config.publicBaseUrl;
  const db = config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : 'PostgreSQL (DATABASE_URL)';
  process.stderr.write(
    [
      '',
      `idv-enrolment listening on ${config.host}:${config.port} — public URL ${base}`,
      `  store: ${db}; images: ${store.db.dialect === 'sqlite' ? `${config.dataDir}/images` : 'PostgreSQL table image_blobs'}; encrypted with key ${store.keyring.currentId}` +
        ('file' in config.dataKeys ? ` (${config.dataKeys.file}: back it up apart from the data)` : ''),
      `  API document: ${base}/api/v1/openapi.json   readiness: ${base}/ready (503 until the models are loaded)`,
      ...(config.webDemo ? [`  try it: ${base}/web-enrolment/demo (a whole enrolment in the iframe and by redirect, with your webcam)`] : []),
      '  next, in another terminal in the repository, with passport.jpg and selfie.jpg there: a whole session by curl',
      ...quickStart(base).trimEnd().split('\n').map((line) => `    ${line}`),
      '',
    ].join('\n'),
  );

  const t0 = performance.now();
  try {
    if (config.visionQueue === 'database') {
      // Checks go through the shared queue; this node's threads (if any) are one of its consumers.
      const repo = visionJobsRepo(store.db);
      remote = await startRemoteVision(repo, store.db, {
        ...REMOTE_VISION_DEFAULTS,
        maxQueued: config.visionMaxQueued,
        waitMs: config.visionQueueWaitMs,
        timeoutMs: config.visionJobTimeoutMs,
        now: Date.now,
        newId: randomUUID,
      });
      services.setEngines(remote.engines, remote);
      if (config.visionWorkers > 0) {
        pool = await startVisionPool(config.visionWorkers, WORKER_ENTRY);
        consumer = await startVisionConsumer(repo, store.db, pool.engines, processConsumerOptions(config.visionWorkers, { onError: (err) => app.log.error({ err }, 'vision consumer') }));
      }
      app.log.info({ ms: Math.round(performance.now() - t0), workers: config.visionWorkers, queue: 'database' }, 'shared vision queue; ready once a consumer is alive');
    } else if (config.visionWorkers > 0) {
      pool = await startVisionPool(config.visionWorkers, WORKER_ENTRY);
      services.setEngines(pool.engines);
    } else {
      const [faceModels, documentModels] = await Promise.all([loadFaceModels(), loadDocumentModels()]);
      services.setEngines({ face: createFaceEngine(faceModels), document: createDocumentEngine(documentModels) });
    }
    if (!remote) app.log.info({ ms: Math.round(performance.now() - t0), workers: config.visionWorkers }, 'models loaded; ready');
  } catch (err) {
    // Without models we cannot serve captures: fail loudly rather than answer 503 forever.
    app.log.fatal({ err }, 'models failed to load');
    await shutdown('models-failed');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
