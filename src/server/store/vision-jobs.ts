/**
 * The shared vision queue (`VISION_QUEUE=database`; migration 0800, docs/adr/0008-vision-queue.md):
 * an API node enqueues a face or document check, any vision consumer claims it, runs it and writes
 * the outcome, and the node that asked reads it and deletes the row.
 *
 * Claims are one conditional UPDATE … RETURNING, as the maintenance claims (store/jobs.ts): on
 * PostgreSQL the inner SELECT skips rows another consumer is claiming (`FOR UPDATE SKIP LOCKED`)
 * and the outer WHERE re-checks the row; on SQLite the statement runs under the one write lock. A
 * claim is a lease (`locked_until`): a consumer that dies leaves its job to the next claim once the
 * lease lapses, at most `maxAttempts` times in all (then the job fails: an image that kills every
 * consumer does not go round for ever). A finish applies only to the claim that still holds the
 * job (same worker, still RUNNING).
 *
 * The image is sealed under the data key while queued (context `vision-job:<id>`) and cleared when
 * the job finishes; the result (which holds a face embedding) is sealed until it is read.
 * Wake-ups: PostgreSQL NOTIFY on `idv_vision_jobs` (a job was queued) and `idv_vision_done` (payload:
 * the job id); every reader also polls, so a lost notification only costs a poll interval.
 */
import type { VisionJobKind } from '../vision/contract.js';
import type { Db } from './db.js';
import { keyringOf } from './encryption.js';

export const VISION_JOBS_CHANNEL = 'idv_vision_jobs';
export const VISION_DONE_CHANNEL = 'idv_vision_done';

export interface ClaimedVisionJob {
  id: string;
  kind: VisionJobKind;
  bytes: Buffer;
  attempts: number;
}

export type VisionOutcome =
  | { state: 'QUEUED' | 'RUNNING' }
  | { state: 'DONE'; result: unknown }
  | { state: 'FAILED'; code: string | null; message: string };

export interface VisionWorkerBeat {
  id: string;
  host: string;
  threads: number;
  startedAt: number;
  jobsDone: number;
}

export interface VisionQueueStats {
  queued: number;
  running: number;
  /** Age of the oldest job not yet claimed, ms (0 when none). */
  oldestQueuedMs: number;
  /** Consumers whose heartbeat is recent, and their worker threads. */
  liveWorkers: number;
  liveThreads: number;
}

export interface VisionJobsRepo {
  /** Queues a job unless `maxQueued` jobs already wait unclaimed; false when the queue is full. */
  enqueue(job: { id: string; kind: VisionJobKind; bytes: Uint8Array }, now: number, maxQueued: number): Promise<boolean>;
  /** The oldest claimable job (queued, or its lease lapsed with attempts left), leased to `workerId`. */
  claim(workerId: string, now: number, leaseMs: number, maxAttempts: number): Promise<ClaimedVisionJob | null>;
  /** Jobs whose lease lapsed after `maxAttempts` claims: failed (returns their ids, to notify). */
  failAbandoned(now: number, maxAttempts: number): Promise<string[]>;
  /** Writes the outcome if `workerId` still holds the job; false when it no longer does. */
  finish(id: string, workerId: string, outcome: { result: unknown } | { code: string | null; message: string }, now: number): Promise<boolean>;
  /** The outcome of each of `ids` still in the queue (absent ids: gone). */
  outcomes(ids: string[]): Promise<Map<string, VisionOutcome>>;
  /** Deletes the job whatever its state (its asker has read it or given up). */
  remove(id: string): Promise<void>;
  /** Deletes the job only if no consumer has claimed it yet; true when it did. */
  withdraw(id: string): Promise<boolean>;
  heartbeat(beat: VisionWorkerBeat, now: number): Promise<void>;
  removeWorker(id: string): Promise<void>;
  stats(now: number, liveWithinMs: number): Promise<VisionQueueStats>;
  /** Deletes jobs older than `before` (askers gone) and consumers not seen since `workersBefore`. */
  sweep(before: number, workersBefore: number): Promise<number>;
  /** PostgreSQL: NOTIFY `channel` (SQLite: nothing; readers poll). */
  notify(channel: string, payload: string): Promise<void>;
}

const payloadContext = (id: string) => `vision-job:${id}`;
const resultContext = (id: string) => `vision-job-result:${id}`;
const CLAIMABLE = `(state = 'QUEUED' OR (state = 'RUNNING' AND locked_until <= ? AND attempts < ?))`;

export function visionJobsRepo(db: Db): VisionJobsRepo {
  const keyring = keyringOf(db);
  return {
    async enqueue(job, now, maxQueued) {
      const sealed = keyring.seal(job.bytes, payloadContext(job.id));
      const n = await db.run(
        `INSERT INTO vision_jobs (id, kind, state, payload, created_at)
         SELECT ?, ?, 'QUEUED', ?, ? WHERE (SELECT COUNT(*) FROM vision_jobs WHERE state = 'QUEUED') < ?`,
        [job.id, job.kind, sealed, now, maxQueued],
      );
      return n === 1;
    },
    async claim(workerId, now, leaseMs, maxAttempts) {
      // PostgreSQL: the candidate is chosen once, in a materialised CTE. As `id IN (SELECT … LIMIT 1
      // FOR UPDATE SKIP LOCKED)` the planner may run the sub-select once per scanned row and lease
      // several jobs to one claim, of which only the first would run.
      const sql =
        db.dialect === 'postgres'
          ? `WITH next AS MATERIALIZED (SELECT id FROM vision_jobs WHERE ${CLAIMABLE} ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
             UPDATE vision_jobs SET state = 'RUNNING', worker_id = ?, attempts = attempts + 1, locked_until = ?
             FROM next WHERE vision_jobs.id = next.id AND ${CLAIMABLE}
             RETURNING vision_jobs.id, kind, payload, attempts`
          : `UPDATE vision_jobs SET state = 'RUNNING', worker_id = ?, attempts = attempts + 1, locked_until = ?
             WHERE id IN (SELECT id FROM vision_jobs WHERE ${CLAIMABLE} ORDER BY created_at LIMIT 1) AND ${CLAIMABLE}
             RETURNING id, kind, payload, attempts`;
      const params = db.dialect === 'postgres' ? [now, maxAttempts, workerId, now + leaseMs, now, maxAttempts] : [workerId, now + leaseMs, now, maxAttempts, now, maxAttempts];
      const row = await db.get<{ id: string; kind: VisionJobKind; payload: Buffer; attempts: number }>(sql, params);
      if (!row) return null;
      return { id: row.id, kind: row.kind, attempts: Number(row.attempts), bytes: keyring.open(Buffer.from(row.payload), payloadContext(row.id)) };
    },
    async failAbandoned(now, maxAttempts) {
      const rows = await db.all<{ id: string }>(
        `UPDATE vision_jobs SET state = 'FAILED', payload = NULL, error_message = ?, finished_at = ?
         WHERE state = 'RUNNING' AND locked_until <= ? AND attempts >= ? RETURNING id`,
        [`vision consumers lost the job ${maxAttempts} times (died or timed out while running it)`, now, now, maxAttempts],
      );
      return rows.map((r) => r.id);
    },
    async finish(id, workerId, outcome, now) {
      const done = 'result' in outcome;
      const n = await db.run(
        `UPDATE vision_jobs SET state = ?, payload = NULL, result = ?, error_code = ?, error_message = ?, finished_at = ?
         WHERE id = ? AND worker_id = ? AND state = 'RUNNING'`,
        [
          done ? 'DONE' : 'FAILED',
          done ? keyring.sealText(JSON.stringify(outcome.result), resultContext(id)) : null,
          done ? null : outcome.code,
          done ? null : outcome.message.slice(0, 1000),
          now,
          id,
          workerId,
        ],
      );
      return n === 1;
    },
    async outcomes(ids) {
      const out = new Map<string, VisionOutcome>();
      if (ids.length === 0) return out;
      const rows = await db.all<{ id: string; state: string; result: string | null; error_code: string | null; error_message: string | null }>(
        `SELECT id, state, result, error_code, error_message FROM vision_jobs WHERE id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const r of rows) {
        if (r.state === 'DONE') out.set(r.id, { state: 'DONE', result: JSON.parse(keyring.openText(r.result ?? 'null', resultContext(r.id))) as unknown });
        else if (r.state === 'FAILED') out.set(r.id, { state: 'FAILED', code: r.error_code, message: r.error_message ?? 'vision job failed' });
        else out.set(r.id, { state: r.state === 'RUNNING' ? 'RUNNING' : 'QUEUED' });
      }
      return out;
    },
    async remove(id) {
      await db.run(`DELETE FROM vision_jobs WHERE id = ?`, [id]);
    },
    async withdraw(id) {
      return (await db.run(`DELETE FROM vision_jobs WHERE id = ? AND state = 'QUEUED'`, [id])) === 1;
    },
    async heartbeat(beat, now) {
      await db.run(
        `INSERT INTO vision_workers (id, host, threads, started_at, seen_at, jobs_done) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at, jobs_done = excluded.jobs_done, threads = excluded.threads`,
        [beat.id, beat.host, beat.threads, beat.startedAt, now, beat.jobsDone],
      );
    },
    async removeWorker(id) {
      await db.run(`DELETE FROM vision_workers WHERE id = ?`, [id]);
    },
    async stats(now, liveWithinMs) {
      const q = await db.get<{ queued: number | null; running: number | null; oldest: number | null }>(
        `SELECT SUM(CASE WHEN state = 'QUEUED' THEN 1 ELSE 0 END) AS queued, SUM(CASE WHEN state = 'RUNNING' THEN 1 ELSE 0 END) AS running,
                MIN(CASE WHEN state = 'QUEUED' THEN created_at END) AS oldest
         FROM vision_jobs WHERE state IN ('QUEUED', 'RUNNING')`,
      );
      const w = await db.get<{ n: number; threads: number | null }>(`SELECT COUNT(*) AS n, SUM(threads) AS threads FROM vision_workers WHERE seen_at > ?`, [now - liveWithinMs]);
      return {
        queued: Number(q?.queued ?? 0),
        running: Number(q?.running ?? 0),
        oldestQueuedMs: q?.oldest == null ? 0 : Math.max(0, now - Number(q.oldest)),
        liveWorkers: Number(w?.n ?? 0),
        liveThreads: Number(w?.threads ?? 0),
      };
    },
    async sweep(before, workersBefore) {
      const n = await db.run(`DELETE FROM vision_jobs WHERE created_at < ?`, [before]);
      await db.run(`DELETE FROM vision_workers WHERE seen_at < ?`, [workersBefore]);
      return n;
    },
    async notify(channel, payload) {
      if (db.dialect === 'postgres') await db.get(`SELECT pg_notify(?, ?)`, [channel, payload]);
    },
  };
}
