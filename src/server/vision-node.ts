/**
 * `npm run vision-worker`: a vision consumer process of the shared queue (VISION_QUEUE=database on
 * the API nodes; docs/operations.md "Vision workers"). It serves no HTTP: it opens the same
 * database with the same key (DATABASE_URL, DATA_ENCRYPTION_KEY / _FILE), loads the models in
 * `VISION_WORKERS` threads (default 1; each ≈ 0.5 GB), claims face and document checks while a
 * thread is free and writes their outcomes. Add these processes on any machine that reaches the
 * database to add vision capacity without adding API nodes.
 *
 * SIGINT/SIGTERM: stop claiming, let the running checks finish (up to SHUTDOWN_GRACE_MS), remove
 * the heartbeat, exit. A process killed outright leaves its jobs to the next consumer once their
 * lease lapses (session/vision-consumer.ts).
 */
import pino from 'pino';
import { loadConfigOrExit } from './config.js';
import { processConsumerOptions, startVisionConsumer } from './session/vision-consumer.js';
import { startVisionPool, workerEntryNextTo } from './session/vision-pool.js';
import { keyringFrom } from './store/encryption.js';
import { openStore } from './store/index.js';
import { visionJobsRepo } from './store/vision-jobs.js';

const WORKER_ENTRY = workerEntryNextTo(import.meta.url);

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = pino({ level: config.logLevel, base: { role: 'vision-worker', pid: process.pid } });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: Math.min(config.databasePoolSize, 4), keyring: keyringFrom(config.dataKeys) });
  const threads = Math.max(1, config.visionWorkers);
  const t0 = performance.now();
  const pool = await startVisionPool(threads, WORKER_ENTRY);
  const consumer = await startVisionConsumer(
    visionJobsRepo(store.db),
    store.db,
    pool.engines,
    processConsumerOptions(threads, {
      onJob: (j) => log.debug(j, 'vision job'),
      onError: (err) => log.error({ err }, 'vision consumer'),
    }),
  );
  log.info({ threads, ms: Math.round(performance.now() - t0), store: store.db.dialect }, 'models loaded; claiming vision jobs');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal: now
    stopping = true;
    log.info({ signal, running: consumer.running }, 'stopping: finishing the running checks');
    const force = setTimeout(() => {
      log.warn('grace period over; exiting with checks running (their jobs go to another consumer)');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await consumer.close();
      await pool.close();
      await store.close();
      log.info({ jobsDone: consumer.jobsDone }, 'stopped');
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
