import type { Dialect } from '../db.js';

/**
 * Issue #17 (vision capacity that can grow): the shared vision queue of `VISION_QUEUE=database`
 * (store/vision-jobs.ts, docs/adr/0008-vision-queue.md).
 *  - `vision_jobs`: one row per face or document check waiting for, or being run by, a vision
 *    consumer (an API node's own worker threads or a separate `npm run vision-worker` process).
 *    The image is sealed (encryption.ts) and cleared when the job finishes; the sealed result is
 *    read and the row deleted by the node that asked. `locked_until` is the lease of the consumer
 *    running it (a consumer that dies leaves it to the next one, at most `attempts` times).
 *  - `vision_workers`: each consumer's heartbeat (readiness of API nodes: some consumer alive).
 */
export function up(dialect: Dialect): string[] {
  const bytes = dialect === 'postgres' ? 'BYTEA' : 'BLOB';
  return [
    `CREATE TABLE vision_jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL,
      payload ${bytes},
      result TEXT,
      error_code TEXT,
      error_message TEXT,
      worker_id TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      locked_until BIGINT NOT NULL DEFAULT 0,
      finished_at BIGINT
    )`,
    `CREATE INDEX vision_jobs_open ON vision_jobs (created_at) WHERE state IN ('QUEUED', 'RUNNING')`,
    `CREATE TABLE vision_workers (
      id TEXT PRIMARY KEY,
      host TEXT NOT NULL,
      threads INTEGER NOT NULL,
      started_at BIGINT NOT NULL,
      seen_at BIGINT NOT NULL,
      jobs_done BIGINT NOT NULL DEFAULT 0
    )`,
  ];
}
