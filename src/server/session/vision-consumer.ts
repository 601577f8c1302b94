/**
 * A vision consumer of the shared queue (`VISION_QUEUE=database`; store/vision-jobs.ts): claims
 * jobs while it has a free worker thread, runs them on its engines (a vision pool: one job per
 * thread), writes each outcome and notifies the node waiting for it. It runs inside an API node
 * (its own `VISION_WORKERS` threads) or alone (`npm run vision-worker`, src/server/vision-node.ts).
 *
 * Wakes on NOTIFY `idv_vision_jobs` (PostgreSQL) and polls every `pollMs` otherwise. Writes a
 * heartbeat every `heartbeatMs` (API nodes are ready while one is recent), fails jobs whose lease
 * lapsed `maxAttempts` times, and sweeps rows older than `sweepAfterMs` (their askers are gone).
 * close() stops claiming, lets the running jobs finish, and removes the heartbeat.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CodedError } from '../../shared/errors.js';
import type { Db } from '../store/db.js';
import { VISION_DONE_CHANNEL, VISION_JOBS_CHANNEL, type ClaimedVisionJob, type VisionJobsRepo } from '../store/vision-jobs.js';
import { runCheck, type Engines } from './deps.js';

export interface VisionConsumerOptions {
  workerId: string;
  /** Jobs run at once (the engines' worker threads). */
  threads: number;
  /** A claim's lease: longer than any one check takes (a 12 MP document ≈ 1–3 s). */
  leaseMs: number;
  maxAttempts: number;
  pollMs: number;
  heartbeatMs: number;
  sweepAfterMs: number;
  now: () => number;
  /** Told of every job's end (logs, tests). */
  onJob?: (job: { id: string; kind: string; ms: number; outcome: 'done' | 'failed' | 'lost'; code?: string | null }) => void;
  /** Told of a database error in the loop (it goes on after a pause). */
  onError?: (err: unknown) => void;
}

export const VISION_CONSUMER_DEFAULTS = { leaseMs: 60_000, maxAttempts: 2, pollMs: 500, heartbeatMs: 5000, sweepAfterMs: 15 * 60_000 } as const;

/** The options of a consumer in this process (main.ts, vision-node.ts): the defaults, a fresh id. */
export function processConsumerOptions(threads: number, log: Pick<VisionConsumerOptions, 'onJob' | 'onError'> = {}): VisionConsumerOptions {
  return { ...VISION_CONSUMER_DEFAULTS, workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, threads, now: Date.now, ...log };
}

export interface VisionConsumer {
  readonly running: number;
  readonly jobsDone: number;
  close(): Promise<void>;
}

export async function startVisionConsumer(repo: VisionJobsRepo, db: Db, engines: Engines, opts: VisionConsumerOptions): Promise<VisionConsumer> {
  const startedAt = opts.now();
  const host = hostname();
  let running = 0;
  let jobsDone = 0;
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  let wake: (() => void) | null = null;
  let nudged = false;
  const nudge = () => {
    const w = wake;
    wake = null;
    if (w) w();
    else nudged = true; // the loop is between a claim and its wait: it claims again
  };

  const beat = () => repo.heartbeat({ id: opts.workerId, host, threads: opts.threads, startedAt, jobsDone }, opts.now());
  await beat();

  const runJob = async (job: ClaimedVisionJob) => {
    const t0 = performance.now();
    let outcome: { result: unknown } | { code: string | null; message: string };
    try {
      outcome = { result: await runCheck(engines, job.kind, job.bytes) };
    } catch (err) {
      outcome = { code: err instanceof CodedError ? err.code : null, message: err instanceof Error ? err.message : String(err) };
    }
    const ms = Math.round(performance.now() - t0);
    const held = await repo.finish(job.id, opts.workerId, outcome, opts.now());
    if (held) {
      jobsDone++;
      await repo.notify(VISION_DONE_CHANNEL, job.id).catch(() => {});
    }
    opts.onJob?.({ id: job.id, kind: job.kind, ms, outcome: !held ? 'lost' : 'result' in outcome ? 'done' : 'failed', ...('code' in outcome ? { code: outcome.code } : {}) });
  };

  const loop = async () => {
    while (!closed) {
      try {
        if (running < opts.threads) {
          const job = await repo.claim(opts.workerId, opts.now(), opts.leaseMs, opts.maxAttempts);
          if (job) {
            running++;
            const p = runJob(job)
              .catch((err: unknown) => opts.onError?.(err))
              .finally(() => {
                running--;
                inFlight.delete(p);
                nudge();
              });
            inFlight.add(p);
            continue; // another thread may be free: claim again at once
          }
        }
      } catch (err) {
        opts.onError?.(err);
      }
      if (nudged) {
        nudged = false;
        continue;
      }
      // All threads busy (a job's end nudges), or nothing to claim (a NOTIFY or the poll does).
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, opts.pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  };

  const listener = db.listen ? await db.listen(VISION_JOBS_CHANNEL, () => nudge()) : null;
  let lastSweep = 0;
  const housekeeping = setInterval(() => {
    void (async () => {
      await beat();
      const now = opts.now();
      for (const id of await repo.failAbandoned(now, opts.maxAttempts)) await repo.notify(VISION_DONE_CHANNEL, id).catch(() => {});
      if (now - lastSweep > opts.sweepAfterMs / 3) {
        lastSweep = now;
        await repo.sweep(now - opts.sweepAfterMs, now - 86_400_000);
      }
    })().catch((err: unknown) => opts.onError?.(err));
  }, opts.heartbeatMs);
  housekeeping.unref();
  const looping = loop();

  return {
    get running() {
      return running;
    },
    get jobsDone() {
      return jobsDone;
    },
    async close() {
      closed = true;
      clearInterval(housekeeping);
      nudge();
      await looping;
      await Promise.all(inFlight);
      await listener?.close();
      await repo.removeWorker(opts.workerId).catch(() => {});
    },
  };
}
