/**
 * Golden tests: the real OCR models read the MRZ of generated document images (see
 * test/fixtures/mrz/README.md) in every format, at 90°/180°/270°, tilted, in perspective, blurred
 * and downscaled. The transcription must equal what is printed, character for character.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { loadOcr } from '../../src/server/vision/ocr/index.js';
import { readMrz } from '../../src/server/vision/mrz/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mrz');
interface Expected {
  format: string;
  lines: string[] | null;
  valid: boolean;
  rotation: number | null;
  what: string;
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;

const angleDiff = (a: number, b: number) => Math.abs((((a - b) % 360) + 540) % 360 - 180);

for (const [file, want] of Object.entries(expected)) {
  test(`readMrz: ${file} (${want.what})`, async () => {
    const ocr = await loadOcr();
    const image = await decodeImage(readFileSync(join(dir, file)), 2000);
    const got = await readMrz(ocr, image);
    if (!want.lines) {
      assert.equal(got, null);
      return;
    }
    assert.ok(got, 'an MRZ was found');
    assert.deepEqual(got.lines, want.lines);
    assert.equal(got.format, want.format);
    assert.equal(got.valid, want.valid);
    assert.ok(angleDiff(got.rotation, want.rotation!) <= 5, `rotation ${got.rotation}, expected ≈ ${want.rotation}`);
    assert.ok(got.box.x >= 0 && got.box.y >= 0 && got.box.x + got.box.width <= image.width && got.box.y + got.box.height <= image.height);
    assert.ok(got.textLines.length > got.lines.length, 'the other text lines are returned too');
  });
}

test('readMrz reuses text lines passed as a hint', async () => {
  const ocr = await loadOcr();
  const image = await decodeImage(readFileSync(join(dir, 'td1_tilt_small.jpg')), 2000);
  const lines = await ocr.readLines(image);
  const got = await readMrz(ocr, image, { lines });
  assert.ok(got);
  assert.equal(got.textLines, lines);
  assert.deepEqual(got.lines, expected['td1_tilt_small.jpg']!.lines);
});

test('the wrong check digit is transcribed as printed and reported', async () => {
  const ocr = await loadOcr();
  const image = await decodeImage(readFileSync(join(dir, 'td3_wrong_check_digit.jpg')), 2000);
  const got = await readMrz(ocr, image);
  assert.ok(got);
  assert.equal(got.valid, false);
  assert.equal(got.fields.checks.birthDate!.valid, false);
  assert.equal(got.fields.checks.documentNumber!.valid, true);
});

test('blank and tiny images give null, not an error', async () => {
  const ocr = await loadOcr();
  assert.equal(await readMrz(ocr, { rgb: Buffer.alloc(640 * 480 * 3, 240), width: 640, height: 480 }), null);
  const noise = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  assert.equal(await readMrz(ocr, { rgb: noise, width: 64, height: 64 }), null);
});

test('a TD1 whose name line the detector missed is still read in full', async () => {
  const ocr = await loadOcr();
  const image = await decodeImage(readFileSync(join(dir, 'td1_tilt_small.jpg')), 2000);
  const lines = await ocr.readLines(image);
  const withoutNames = lines.filter((l) => !l.text.includes('SMITH'));
  assert.equal(withoutNames.length, lines.length - 1, 'the name line was found, then removed');
  const got = await readMrz(ocr, image, { lines: withoutNames });
  assert.ok(got);
  assert.deepEqual(got.lines, expected['td1_tilt_small.jpg']!.lines);
  assert.ok(Object.values(got.fields.checks).every((c) => c.valid), 'every check digit verifies');
  // Read from a line placed by geometry alone, a name may come back doubtful: valid says so.
  assert.equal(got.valid, got.doubtfulFields.length === 0);
});
