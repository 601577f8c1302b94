/**
 * Document engine speed and memory. Inputs are made here, in memory, from the committed generated
 * specimens (nothing large is committed):
 *   - a 12 MP photo (4000×3000) of a TD1 card back: the lossless render scaled to ~55 % of the
 *     frame width, tilted 4°, on a textured background, JPEG q90;
 *   - a 12 MP photo of a passport data page (same treatment);
 *   - a 1600-px scan of the passport data page (JPEG q90).
 * Per input: engine median/p95 ms (decode included), the decode-only floor on the same bytes in
 * the same run and their ratio, the process CPU time per run (user + system: a figure that moves
 * less than wall time when other work shares the machine), and `readMrz` alone given the
 * engine's first text lines (median/p95); then peak RSS of the process.
 *
 * `DOCUMENT_BENCH_BASELINE=<dir>`: a checkout of another version of this repository (e.g.
 * `git worktree add /tmp/base <commit>`, its node_modules linked): its document engine and its
 * readMrz run in the same process, alternating run by run with ours on the same inputs, and the
 * ratios are printed (the machine's load moves both alike). A checkout as old as f3603ef no
 * longer loads its face models beside ours (tfjs: "Found more than one (2) load handlers"):
 * alternate whole `npm run bench -- documents` processes instead (docs/vision-documents.md).
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { createDocumentEngine, DEFAULT_DOCUMENT_CONFIG, loadDocumentModels } from '../src/server/vision/document/index.js';
import { background } from '../scripts/make-specimens.js';
import { createOcrModels, loadOcr, ocrOver } from '../src/server/vision/ocr/index.js';
import { MRZ_ALPHABET, readMrz } from '../src/server/vision/mrz/index.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, p95, peakRssMb, timeRuns } from './stats.js';

const RUNS = Number(process.env.DOCUMENT_BENCH_RUNS ?? 12);
const fixture = (name: string) => readFile(new URL(`../test/fixtures/documents/${name}`, import.meta.url));

async function photo12mp(doc: Buffer, seed: number): Promise<Buffer> {
  const W = 4000;
  const H = 3000;
  const card = await sharp(doc)
    .resize({ width: Math.round(W * 0.55), kernel: 'lanczos3' })
    .rotate(4, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const meta = await sharp(card).metadata();
  return sharp(await background(W, H, seed))
    .composite([{ input: card, left: Math.round((W - meta.width!) / 2), top: Math.round((H - meta.height!) / 2) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Per run: wall ms and process CPU ms (all threads: onnxruntime runs its own). */
async function timeWallAndCpu(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<{ wall: number[]; cpu: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall, cpu };
}

export async function run(): Promise<void> {
  const idBack = await fixture('uto_id_back_render.png');
  const passport = await fixture('uto_passport_scan.jpg');
  const images: Record<string, Buffer> = {
    '12 MP photo of a TD1 card back (4000×3000)': await photo12mp(idBack, 11),
    '12 MP photo of a passport page (4000×3000)': await photo12mp(passport, 12),
    '1600-px scan of a passport page (1600×1126)': await sharp(passport).resize({ width: 1600, kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer(),
  };
  const t0 = performance.now();
  const engine = createDocumentEngine(await loadDocumentModels());
  console.log(`model load: ${Math.round(performance.now() - t0)} ms (once per process)`);
  const ocr = await loadOcr();
  for (const [name, bytes] of Object.entries(images)) {
    const check = await engine.analyze(bytes);
    // Report what was read so a fast-but-wrong run is visible next to its figures.
    const read = `read: ${check.error ?? 'ok'} ${check.type} ${check.country} ${check.pageSide}, MRZ ${check.mrz ? (check.mrz.valid ? 'valid' : 'INVALID') : 'NONE'}`;
    const { wall: engineMs, cpu: cpuMs } = await timeWallAndCpu(() => engine.analyze(bytes), RUNS);
    const decodeMs = await timeRuns(() => decodeImage(bytes, DEFAULT_DOCUMENT_CONFIG.workingMaxSidePx), RUNS);
    const stages = (check.details as { timings: Record<string, number> }).timings;
    console.log(
      `${name}: ${(bytes.length / 1024).toFixed(0)} KiB · engine median ${median(engineMs).toFixed(0)} ms, p95 ${p95(engineMs).toFixed(0)} ms · ` +
        `decode-only floor median ${median(decodeMs).toFixed(0)} ms · engine / floor ${(median(engineMs) / median(decodeMs)).toFixed(1)}× · ` +
        `CPU per run median ${median(cpuMs).toFixed(0)} ms · runs ${RUNS} · load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores · ` +
        `${read} · stages of the check run ${JSON.stringify(stages)}`,
    );
    const mrzMs = await readMrzAlone(ocr, bytes);
    console.log(`${name}: readMrz alone, given the engine's first text lines, median ${median(mrzMs).toFixed(0)} ms, p95 ${p95(mrzMs).toFixed(0)} ms · runs ${RUNS}`);
  }
  console.log(`peak RSS: ${peakRssMb().toFixed(0)} MB`);
  const baselineDir = process.env.DOCUMENT_BENCH_BASELINE;
  if (baselineDir) await againstBaseline(baselineDir, images, engine);

  // Baselines in the same process, alternating run by run so both see the same machine load, and
  // loaded after the RSS figure above, which they would inflate:
  // - the OCR models as shipped (no load-time graph rewrite, ocr/fuse-graph.ts);
  // - idle onnxruntime threads left spinning (its default; ocr/models.ts). A spinning pool slows
  //   whatever runs next, so here every run starts after a pause long enough for any spin to end.
  const deps = await loadDocumentModels();
  const baselines = [
    { what: 'graph rewrite', baseline: 'original graphs', ours: 'rewritten', ocr: await createOcrModels({ fuse: false }), pauseMs: 0 },
    { what: 'idle OCR threads', baseline: 'spinning', ours: 'sleeping', ocr: await createOcrModels({ spinIdleThreads: true }), pauseMs: 100 },
  ];
  for (const { what, baseline, ours, ocr, pauseMs } of baselines) {
    const other = createDocumentEngine({ ...deps, ocr: ocrOver(ocr) });
    for (const name of ['1600-px scan of a passport page (1600×1126)', '12 MP photo of a TD1 card back (4000×3000)']) {
      const bytes = images[name]!;
      await other.analyze(bytes);
      const ms: { other: number[]; ours: number[] } = { other: [], ours: [] };
      for (let i = 0; i < RUNS; i++) {
        await pause(pauseMs);
        ms.other.push((await other.analyze(bytes)).ms);
        await pause(pauseMs);
        ms.ours.push((await engine.analyze(bytes)).ms);
      }
      console.log(
        `${what}, same process, ${name}: ${baseline} median ${median(ms.other).toFixed(0)} ms · ${ours} ${median(ms.ours).toFixed(0)} ms · ` +
          `ratio ${(median(ms.ours) / median(ms.other)).toFixed(2)} · runs ${RUNS} each, alternating`,
      );
    }
  }
}

type Ocr = Awaited<ReturnType<typeof loadOcr>>;

/**
 * What readMrz is given in the engine: the working copy and the engine's first OCR pass over it
 * (the long lines read, with their per-step output over the MRZ alphabet, which the decoder reads
 * first); `lines()` a fresh copy for each run (readMrz writes into them).
 */
async function mrzInput(ocr: Ocr, bytes: Buffer) {
  const image = await decodeImage(bytes, DEFAULT_DOCUMENT_CONFIG.workingMaxSidePx);
  const read = await ocr.readLines(image, { minReadAspect: 6, framesFor: MRZ_ALPHABET });
  return { image, lines: () => read.map((l) => ({ ...l })) };
}

/** readMrz alone, given the same text lines each run (mrzInput): wall ms per run. */
async function readMrzAlone(ocr: Ocr, bytes: Buffer): Promise<number[]> {
  const { image, lines } = await mrzInput(ocr, bytes);
  await readMrz(ocr, image, { lines: lines() });
  return timeRuns(() => readMrz(ocr, image, { lines: lines() }), RUNS);
}

/** Ours against a baseline checkout's engine and readMrz (same inputs, alternating runs). */
async function againstBaseline(dir: string, images: Record<string, Buffer>, engine: ReturnType<typeof createDocumentEngine>): Promise<void> {
  const src = (p: string) => pathToFileURL(join(dir, p)).href;
  const base = (await import(src('src/server/vision/document/index.ts'))) as typeof import('../src/server/vision/document/index.js');
  const baseMrz = (await import(src('src/server/vision/mrz/index.ts'))) as typeof import('../src/server/vision/mrz/index.js');
  const baseEngine = base.createDocumentEngine(await base.loadDocumentModels());
  const ocr = await loadOcr();
  for (const [name, bytes] of Object.entries(images)) {
    await baseEngine.analyze(bytes);
    await engine.analyze(bytes);
    const ms: { base: number[]; ours: number[] } = { base: [], ours: [] };
    for (let i = 0; i < RUNS; i++) {
      ms.base.push((await baseEngine.analyze(bytes)).ms);
      ms.ours.push((await engine.analyze(bytes)).ms);
    }
    // readMrz alone, given the same text lines (mrzInput; the baseline may ignore their
    // per-step output).
    const { image, lines } = await mrzInput(ocr, bytes);
    const mrz: { base: number[]; ours: number[] } = { base: [], ours: [] };
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await baseMrz.readMrz(ocr, image, { lines: lines() });
      mrz.base.push(performance.now() - t);
      t = performance.now();
      await readMrz(ocr, image, { lines: lines() });
      mrz.ours.push(performance.now() - t);
    }
    const ours = await engine.analyze(bytes);
    console.log(
      `baseline ${dir}, same process, ${name}: engine baseline median ${median(ms.base).toFixed(0)} ms · ours ${median(ms.ours).toFixed(0)} ms · ratio ${(median(ms.ours) / median(ms.base)).toFixed(2)} · ` +
        `readMrz alone baseline median ${median(mrz.base).toFixed(0)} ms · ours ${median(mrz.ours).toFixed(0)} ms · ratio ${(median(mrz.ours) / median(mrz.base)).toFixed(2)} · ` +
        `ours read ${ours.mrz ? `${ours.mrz.format} ${ours.mrz.valid ? 'valid' : 'INVALID'}` : 'no MRZ'} · runs ${RUNS} each, alternating · load ${loadavg()[0]!.toFixed(1)}`,
    );
  }
}

const pause = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
