/**
 * Runs vision jobs (CPU-bound, ~0.3–0.8 s each for a 12 MP photo) at most `concurrency` at a
 * time, with at most `maxQueued` waiting; beyond that a request gets SERVICE_BUSY (503) at once
 * instead of piling up memory. Between jobs the event loop gets a turn (setImmediate), so
 * /health, token checks and reads are answered within one job's time even when the engines run
 * on the main thread (VISION_WORKERS=0); with the worker pool (vision-pool.ts) the queue keeps
 * one job per worker and bounds the backlog (docs/adr/0002-concurrency.md).
 */
import { CodedError } from '../../shared/errors.js';

export interface VisionQueue {
  run<T>(job: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
  /** Jobs allowed to run at once, and to wait. */
  readonly concurrency: number;
  readonly maxQueued: number;
  /** Every slot runs and the queue is full: the next job gets SERVICE_BUSY (readiness says so). */
  readonly saturated: boolean;
}

export function createVisionQueue(concurrency: number, maxQueued: number): VisionQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      setImmediate(next);
    }
  };
  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (waiting.length >= maxQueued) throw new CodedError('SERVICE_BUSY', 'vision queue full', { retryAfterS: 2 });
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    concurrency,
    maxQueued,
    get saturated() {
      return running >= concurrency && waiting.length >= maxQueued;
    },
  };
}
