/**
 * Face engine speed and memory: a 1280-px selfie JPEG and a 12 MP JPEG (both made here from the
 * MIT-licensed face-api demo photo, in memory: nothing large is committed), engine median/p95 ms
 * (decode included), the decode-only floor on the same bytes in the same run, and peak RSS.
 */
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { createFaceEngine, DEFAULT_FACE_CONFIG, loadFaceModels } from '../src/server/vision/face/index.js';
import { selfie } from '../test/helpers/face-images.js';
import { median, p95, peakRssMb, timeRuns } from './stats.js';

/**
 * CPU time (user + system, all threads) per run, ms. Wall time is what the targets are about;
 * on a shared machine CPU time shows how much of a slow wall time is waiting for a core.
 */
async function cpuRuns(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    out.push((c.user + c.system) / 1000);
  }
  return out;
}

const RUNS = Number(process.env.FACE_BENCH_RUNS ?? 15);

export async function run(): Promise<void> {
  const base = await selfie(); // 520 × 640, one face
  const portrait = await sharp(base).extract({ left: 20, top: 0, width: 480, height: 640 }).toBuffer();
  const images = {
    '1280px selfie (960×1280)': await sharp(portrait).resize(960, 1280, { kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer(),
    '12 MP photo (3000×4000)': await sharp(portrait).resize(3000, 4000, { kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer(),
  };
  const t0 = performance.now();
  const models = await loadFaceModels();
  console.log(`model load: ${Math.round(performance.now() - t0)} ms (once per process)`);
  const engine = createFaceEngine(models);
  // The first requests after start-up are slower while the WASM runtime settles: shown, not timed.
  const first: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const check = await engine.checkFace(images['1280px selfie (960×1280)']);
    first.push(performance.now() - t);
    if (check.code !== null) throw new Error(`bench image should be accepted, got ${check.code}`);
  }
  console.log(`first 5 requests after start-up: ${first.map((t) => t.toFixed(0)).join(', ')} ms`);
  for (const [name, bytes] of Object.entries(images)) {
    const check = await engine.checkFace(bytes);
    if (check.code !== null) throw new Error(`bench image "${name}" should be accepted, got ${check.code}`);
    const engineMs = await timeRuns(() => engine.checkFace(bytes), RUNS, 3);
    const decodeMs = await timeRuns(() => decodeImage(bytes, DEFAULT_FACE_CONFIG.workingMaxSidePx), RUNS);
    const engineCpuMs = await cpuRuns(() => engine.checkFace(bytes), Math.min(RUNS, 7));
    console.log(
      `${name}: ${(bytes.length / 1024).toFixed(0)} KiB · engine median ${median(engineMs).toFixed(0)} ms, p95 ${p95(engineMs).toFixed(0)} ms · ` +
        `decode-only floor median ${median(decodeMs).toFixed(0)} ms · engine / floor ${(median(engineMs) / median(decodeMs)).toFixed(1)}× · ` +
        `engine CPU median ${median(engineCpuMs).toFixed(0)} ms · runs ${RUNS}`,
    );
  }
  console.log(`peak RSS: ${peakRssMb().toFixed(0)} MB · load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
}
