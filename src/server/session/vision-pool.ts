/**
 * Vision in worker threads: each worker loads the models once and runs the engines, so the main
 * thread's event loop (health, auth, reads, complete) never waits for inference. The pool
 * exposes the same `Engines` interface as in-process engines; the vision queue in front of it
 * bounds how many jobs run (one per worker) and wait (docs/adr/0002-concurrency.md).
 *
 * Only contract types cross this module: the worker entry (a composition root like main.ts)
 * decides which engines to load.
 */
import { Worker } from 'node:worker_threads';
import { CodedError, isErrorCode } from '../../shared/errors.js';
import type { DocumentResult, FaceCheckResult, VisionJobKind } from '../vision/contract.js';
import { enginesOver, type Engines } from './deps.js';


/**
 * The worker thread entry next to an entry point (main.ts, vision-node.ts), given that entry's own
 * `import.meta.url`, in whichever form it runs (.ts under tsx, .js built: scripts/build-server.ts).
 */
export function workerEntryNextTo(entryUrl: string): URL {
  return new URL(`./vision-worker${entryUrl.endsWith('.ts') ? '.ts' : '.js'}`, entryUrl);
}

/** main → worker */
export interface VisionRequest {
  id: number;
  kind: VisionJobKind;
  bytes: Uint8Array;
}

/** worker → main */
export type VisionReply =
  | { type: 'ready'; loadMs: number }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: FaceCheckResult | DocumentResult }
  | { type: 'error'; id: number; code: string | null; message: string };

export interface VisionPool {
  engines: Engines;
  /** Milliseconds each worker took to load its models. */
  loadMs: number[];
  close(): Promise<void>;
}

interface Pending {
  resolve: (v: FaceCheckResult | DocumentResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

/**
 * Starts `size` workers running `entry` (a module calling serveVisionJobs) and resolves once every
 * worker has loaded its models; rejects if any fails to. A worker that dies later fails its
 * in-flight jobs (INTERNAL_ERROR for those requests) and is replaced.
 */
export async function startVisionPool(size: number, entry: URL): Promise<VisionPool> {
  if (size < 1) throw new Error('pool size must be ≥ 1');
  let nextId = 1;
  let closing = false;
  const loadMs: number[] = [];

  // Under tsx (.ts entry) the worker registers tsx's loader before importing the entry.
  const spawnWorker = (): Worker => {
    if (entry.pathname.endsWith('.ts')) {
      const api = import.meta.resolve('tsx/esm/api');
      const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
      return new Worker(code, { eval: true });
    }
    return new Worker(entry);
  };

  const start = (): Slot => {
    const worker = spawnWorker();
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let markFailed!: (e: Error) => void;
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      markFailed = rej;
    });
    ready.catch(() => {}); // observed by the caller of startVisionPool or by run()
    const slot: Slot = { worker, ready, pending };
    worker.on('message', (m: VisionReply) => {
      if (m.type === 'ready') {
        loadMs.push(m.loadMs);
        markReady();
      } else if (m.type === 'failed') {
        markFailed(new Error(`vision worker failed to load: ${m.message}`));
      } else {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(m.code && isErrorCode(m.code) ? new CodedError(m.code) : new Error(`vision job failed: ${m.message}`));
      }
    });
    const fail = (why: string) => {
      markFailed(new Error(why));
      for (const p of pending.values()) p.reject(new Error(why));
      pending.clear();
      if (!closing) {
        const i = slots.indexOf(slot);
        if (i >= 0) slots[i] = start();
      }
    };
    worker.on('error', (err) => fail(`vision worker error: ${err.message}`));
    worker.on('exit', (code) => fail(`vision worker exited (${code})`));
    return slot;
  };

  const slots: Slot[] = Array.from({ length: size }, start);
  try {
    await Promise.all(slots.map((s) => s.ready));
  } catch (err) {
    closing = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw err;
  }

  const run = async (kind: VisionJobKind, bytes: Uint8Array) => {
    // The least busy worker (the queue in front keeps it at one job per worker).
    const slot = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    await slot.ready;
    const id = nextId++;
    // A copy to transfer: the caller keeps its bytes (stored after the verdict). Not bytes.slice():
    // on a Buffer that is a view of the same memory, and transferring would detach it.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Promise<FaceCheckResult | DocumentResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, kind, bytes: copy } satisfies VisionRequest, [copy.buffer]);
    });
  };

  return {
    engines: enginesOver(run),
    loadMs,
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
