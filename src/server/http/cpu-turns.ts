/**
 * Main-thread work that takes tens of milliseconds (reading a 20 MB capture body, decoding its
 * base64) runs here one task per event-loop turn, in arrival order: between two tasks the loop
 * polls for I/O, so /health, token checks and small requests wait at most one task — not the sum
 * of every large body that finished arriving in the same poll (libuv runs all ready callbacks, and
 * all queued setImmediates, back to back).
 */
export type CpuTurns = <T>(task: () => T) => Promise<T>;

export function createCpuTurns(): CpuTurns {
  const queue: Array<() => void> = [];
  let scheduled = false;
  const next = () => {
    scheduled = false;
    const task = queue.shift();
    task?.();
    // Scheduled from inside the check phase, the next task runs in the next loop iteration.
    if (queue.length > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(next);
  };
  return <T>(task: () => T) =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        try {
          resolve(task());
        } catch (err) {
          reject(err as Error);
        }
      });
      schedule();
    });
}
