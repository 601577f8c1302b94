/**
 * Records what the recogniser returns for every read of the MRZ of the repository's generated
 * MRZ images (test/fixtures/mrz/, this repository's own), so that the decoder's tests run on real
 * recogniser outputs without loading the models:
 *
 *   npx tsx scripts/record-mrz-reads.ts      # writes test/fixtures/mrz/recorded-reads.json
 *
 * Per image: the format and lines printed (expected.json) and, per line, every read readMrz made
 * (greedy text and per-step probabilities, src/server/vision/mrz/recorded.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { loadOcr } from '../src/server/vision/ocr/index.js';
import { readMrz } from '../src/server/vision/mrz/index.js';
import { recordFrames } from '../src/server/vision/mrz/recorded.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/mrz');
const FILES = ['td3_scan.jpg', 'td1_tilt_small.jpg', 'td2_rot270.jpg', 'mrvb_tilt2.jpg', 'td3_wrong_check_digit.jpg'];

const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as Record<string, { format: string; lines: string[] }>;
const ocr = await loadOcr();
const out: Record<string, unknown> = {};
for (const file of FILES) {
  const image = await decodeImage(await readFile(join(dir, file)), 2000);
  const got = await readMrz(ocr, image, { keepReads: true });
  if (!got?.reads) throw new Error(`${file}: no MRZ read`);
  out[file] = { format: expected[file]!.format, printed: expected[file]!.lines, reads: got.reads.map((line) => line.map((r) => recordFrames(r.text, r.frames))) };
  console.log(`${file}: ${got.reads.map((l) => l.length).join('+')} reads, read ${got.lines.join('|')}`);
}
await writeFile(join(dir, 'recorded-reads.json'), JSON.stringify(out, null, 0) + '\n');
process.exit(0);
