/**
 * MRZ reader speed, on the committed generated MRZ images (test/fixtures/mrz/). Per image:
 * readMrz median/p95 wall ms given the text lines (what the document engine does: it passes its
 * own OCR lines), its process CPU ms per run (all threads; moves less than wall time when other
 * work shares the machine), the strips it recognised, and as the baseline in the same process the
 * text detector alone on the same image (one network run on a ≤ 960-px copy) with the ratio.
 */
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { loadOcr } from '../src/server/vision/ocr/index.js';
import { readMrz } from '../src/server/vision/mrz/index.js';
import { median, p95, timeRuns } from './stats.js';

const RUNS = Number(process.env.MRZ_BENCH_RUNS ?? 8);
const FILES = ['td3_scan.jpg', 'td1_tilt_small.jpg', 'td3_rot90_blur.jpg', 'td3_wrong_check_digit.jpg', 'no_mrz.jpg'];

export async function run(): Promise<void> {
  const t0 = performance.now();
  const ocr = await loadOcr();
  console.log(`OCR model load: ${Math.round(performance.now() - t0)} ms (once per process)`);
  for (const file of FILES) {
    const bytes = await readFile(new URL(`../test/fixtures/mrz/${file}`, import.meta.url));
    const image = await decodeImage(bytes, 1600);
    const lines = await ocr.readLines(image);
    const check = await readMrz(ocr, image, { lines });
    const cpu: number[] = [];
    const wall = await timeRuns(async () => {
      const c0 = process.cpuUsage();
      await readMrz(ocr, image, { lines });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }, RUNS, 1);
    const detect = await timeRuns(() => ocr.detect(image), RUNS, 1);
    console.log(
      `${file} (${image.width}×${image.height}): readMrz median ${median(wall).toFixed(0)} ms, p95 ${p95(wall).toFixed(0)} ms · ` +
        `CPU per run median ${median(cpu.slice(-RUNS)).toFixed(0)} ms · strips ${check?.stripsRead ?? 0} · ` +
        `detector-only baseline median ${median(detect).toFixed(0)} ms · readMrz / detector ${(median(wall) / median(detect)).toFixed(1)}× · ` +
        `read: ${check ? `${check.format} ${check.valid ? 'valid' : 'INVALID'}` : 'none'} · runs ${RUNS} · load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    );
  }
}
