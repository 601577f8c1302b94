/**
 * Vision through the shared queue (`VISION_QUEUE=database`): the `Engines` an API node uses when
 * its face and document checks may run on any vision consumer — its own worker threads or a
 * separate `npm run vision-worker` process on another machine (session/vision-consumer.ts). Each
 * check becomes a row of `vision_jobs` (store/vision-jobs.ts); the node waits for its outcome
 * (woken by NOTIFY on PostgreSQL, polling every `pollMs` in any case), reads it and deletes the row.
 *
 * Bounds, so that a request never waits without limit:
 *  - the shared queue holds at most `maxQueued` unclaimed jobs (all nodes together): beyond that
 *    the check answers SERVICE_BUSY (503, Retry-After) at once, and /ready says so;
 *  - a job no consumer has claimed after `waitMs` is withdrawn: SERVICE_BUSY;
 *  - a job not finished `timeoutMs` after it was queued is abandoned: INTERNAL_ERROR.
 * Readiness: some consumer's heartbeat is recent (`liveWithinMs`), read every `statsMs`.
 * docs/adr/0008-vision-queue.md.
 */
import { CodedError, isErrorCode } from '../../shared/errors.js';
import type { DocumentResult, FaceCheckResult, VisionJobKind } from '../vision/contract.js';
import type { Db } from '../store/db.js';
import { VISION_DONE_CHANNEL, VISION_JOBS_CHANNEL, type VisionJobsRepo, type VisionQueueStats } from '../store/vision-jobs.js';
import { enginesOver, type Engines } from './deps.js';

export interface RemoteVisionOptions {
  maxQueued: number;
  waitMs: number;
  timeoutMs: number;
  /** How often outstanding jobs are checked without a notification. */
  pollMs: number;
  /** How often queue depth and live consumers are read (readiness, metrics). */
  statsMs: number;
  /** A consumer seen within this long is alive. */
  liveWithinMs: number;
  now: () => number;
  newId: () => string;
}

export const REMOTE_VISION_DEFAULTS = { pollMs: 250, statsMs: 2000, liveWithinMs: 15_000 } as const;

export interface RemoteVision {
  engines: Engines;
  /** Some consumer is alive (as of the last stats read). */
  ready(): boolean;
  /** The shared queue is full (as of the last stats read). */
  saturated(): boolean;
  /** The last stats read. */
  stats(): VisionQueueStats;
  close(): Promise<void>;
}

interface Outstanding {
  kind: VisionJobKind;
  queuedAt: number;
  resolve: (v: FaceCheckResult | DocumentResult) => void;
  reject: (e: Error) => void;
}

export async function startRemoteVision(repo: VisionJobsRepo, db: Db, opts: RemoteVisionOptions): Promise<RemoteVision> {
  const outstanding = new Map<string, Outstanding>();
  let last: VisionQueueStats = { queued: 0, running: 0, oldestQueuedMs: 0, liveWorkers: 0, liveThreads: 0 };
  let closed = false;

  /** Takes `id` off the outstanding jobs (then no other check settles it), or undefined if gone. */
  const take = (id: string): Outstanding | undefined => {
    const o = outstanding.get(id);
    if (!o) return undefined;
    outstanding.delete(id);
    if (outstanding.size === 0) poll.unref();
    return o;
  };
  const settle = (id: string, fn: (o: Outstanding) => void) => {
    const o = take(id);
    if (o) fn(o);
  };
  /** Takes the job, deletes its row, then answers: a concurrent check never sees it outstanding and gone. */
  const finish = async (id: string, fn: (o: Outstanding) => void) => {
    const o = take(id);
    if (!o) return;
    await repo.remove(id).catch(() => {}); // else the consumers' sweep does
    fn(o);
  };

  /** Reads the outcome of `ids`; settles finished, withdrawn and timed-out jobs. */
  const check = async (ids: string[]) => {
    if (ids.length === 0) return;
    const outcomes = await repo.outcomes(ids);
    const now = opts.now();
    for (const id of ids) {
      const o = outstanding.get(id);
      if (!o) continue;
      const out = outcomes.get(id);
      if (!out) {
        settle(id, (p) => p.reject(new Error('vision job vanished from the queue')));
      } else if (out.state === 'DONE') {
        await finish(id, (p) => p.resolve(out.result as FaceCheckResult | DocumentResult));
      } else if (out.state === 'FAILED') {
        await finish(id, (p) => p.reject(out.code && isErrorCode(out.code) ? new CodedError(out.code) : new Error(`vision job failed: ${out.message}`)));
      } else if (out.state === 'QUEUED' && now - o.queuedAt > opts.waitMs && (await repo.withdraw(id))) {
        settle(id, (p) => p.reject(new CodedError('SERVICE_BUSY', `no vision consumer claimed the ${o.kind} job within ${opts.waitMs} ms`, { retryAfterS: 5 })));
      } else if (now - o.queuedAt > opts.timeoutMs) {
        await finish(id, (p) => p.reject(new Error(`vision job not finished within ${opts.timeoutMs} ms`)));
      }
    }
  };

  // Checks run one after another: a notification's check and the poll's sweep never interleave
  // (one could otherwise see a row another is deleting as vanished).
  let tail: Promise<void> = Promise.resolve();
  let sweepQueued = false;
  const queueCheck = (ids: () => string[]) => {
    tail = tail.then(() => check(ids())).catch(() => {}); // database unreachable: the next poll tries again; the timeouts still apply
    return tail;
  };
  const checkAll = () => {
    if (sweepQueued) return tail;
    sweepQueued = true;
    return queueCheck(() => {
      sweepQueued = false;
      return [...outstanding.keys()];
    });
  };

  const readStats = async () => {
    try {
      last = await repo.stats(opts.now(), opts.liveWithinMs);
    } catch {
      // keep the last figures; /ready checks the database itself
    }
  };
  await readStats();

  const listener = db.listen
    ? await db.listen(VISION_DONE_CHANNEL, (id) => {
        if (outstanding.has(id)) void queueCheck(() => [id]);
      })
    : null;
  const poll = setInterval(() => void checkAll(), opts.pollMs);
  const statsTimer = setInterval(() => void readStats(), opts.statsMs);
  // The poll keeps the process alive only while a job is outstanding.
  poll.unref();
  statsTimer.unref();

  const run = async (kind: VisionJobKind, bytes: Uint8Array): Promise<FaceCheckResult | DocumentResult> => {
    if (closed) throw new CodedError('SERVICE_NOT_READY', 'vision queue closed');
    const id = opts.newId();
    const queuedAt = opts.now();
    if (!(await repo.enqueue({ id, kind, bytes }, queuedAt, opts.maxQueued))) {
      last = { ...last, queued: Math.max(last.queued, opts.maxQueued) };
      throw new CodedError('SERVICE_BUSY', 'shared vision queue full', { retryAfterS: 2 });
    }
    const done = new Promise<FaceCheckResult | DocumentResult>((resolve, reject) => outstanding.set(id, { kind, queuedAt, resolve, reject }));
    poll.ref();
    await repo.notify(VISION_JOBS_CHANNEL, id).catch(() => {}); // consumers poll as well
    return done;
  };

  return {
    engines: enginesOver(run),
    ready: () => last.liveWorkers > 0,
    saturated: () => last.queued >= opts.maxQueued,
    stats: () => last,
    async close() {
      closed = true;
      clearInterval(poll);
      clearInterval(statsTimer);
      await listener?.close();
      await tail;
      for (const id of [...outstanding.keys()]) {
        await repo.remove(id).catch(() => {});
        settle(id, (p) => p.reject(new CodedError('SERVICE_NOT_READY', 'shutting down')));
      }
    },
  };
}
