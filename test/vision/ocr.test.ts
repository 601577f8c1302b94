/** The shared OCR runtime on generated images: finds and reads lines at any rotation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { loadOcr, type TextLine } from '../../src/server/vision/ocr/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mrz');
const load = (file: string) => decodeImage(readFileSync(join(dir, file)), 2000);
const angleDiff = (a: number, b: number) => Math.abs((((a - b) % 360) + 540) % 360 - 180);
const find = (lines: TextLine[], text: string) => lines.find((l) => l.text.replace(/\s+/g, '') === text);

test('loadOcr loads the models once', async () => {
  const [a, b] = await Promise.all([loadOcr(), loadOcr()]);
  assert.equal(a, b);
});

for (const [file, angle] of [
  ['td3_scan.jpg', 0],
  ['td3_rot90_blur.jpg', 90],
  ['td3_rot183.jpg', -177],
  ['td2_rot270.jpg', -90],
] as const) {
  test(`readLines reads the header of ${file} in its reading direction (${angle}°)`, async () => {
    const ocr = await loadOcr();
    const image = await load(file);
    const lines = await ocr.readLines(image);
    const header = find(lines, 'UTOPIA');
    assert.ok(header, `UTOPIA among: ${lines.map((l) => l.text).join(' | ')}`);
    assert.ok(angleDiff(header.angle ?? 0, angle) <= 5, `angle ${header.angle}`);
    assert.ok(header.confidence > 0.8 && header.confidence <= 1);
    const { x, y, width, height } = header.box;
    assert.ok(x >= 0 && y >= 0 && x + width <= image.width && y + height <= image.height && width > 0 && height > 0);
    assert.equal(header.quad?.length, 4);
  });
}

test('readLines on a region returns boxes in whole-image pixels; alphabet restricts output', async () => {
  const ocr = await loadOcr();
  const image = await load('td3_scan.jpg');
  const region = { x: 0, y: Math.round(image.height * 0.75), width: image.width, height: image.height - Math.round(image.height * 0.75) };
  const lines = await ocr.readLines(image, { region, alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<' });
  assert.ok(lines.length >= 2);
  for (const l of lines) {
    assert.ok(l.box.y >= region.y - 2, `box ${JSON.stringify(l.box)} inside the region`);
    assert.match(l.text, /^[A-Z0-9<]+$/);
  }
  assert.ok(lines.some((l) => l.text.startsWith('P<UTOERIKSSON')));
});

test('an image without text gives no lines', async () => {
  const ocr = await loadOcr();
  const blank = { rgb: Buffer.alloc(400 * 300 * 3, 235), width: 400, height: 300 };
  assert.deepEqual(await ocr.readLines(blank), []);
});

test('minReadAspect: short lines come back unread (geometry only), long ones read', async () => {
  const ocr = await loadOcr();
  const image = await load('td3_scan.jpg');
  const lines = await ocr.readLines(image, { minReadAspect: 10 });
  const unread = lines.filter((l) => l.text === '');
  const read = lines.filter((l) => l.text !== '');
  assert.ok(unread.length > 0 && read.length >= 2);
  for (const l of unread) assert.equal(l.confidence, 0);
  assert.ok(read.some((l) => l.text.replace(/\s/g, '').startsWith('L898902C36UT')));
});

test('lines across the page\'s direction are read their own way: an open booklet, one page turned', async () => {
  // A page turned 90° (its lines dominate) beside a smaller upright one: before, every box was
  // turned to the dominant direction and the upright page's lines were read across.
  const turned = readFileSync(join(dir, 'td3_rot90_blur.jpg'));
  const upright = await sharp(readFileSync(join(dir, 'td3_scan.jpg'))).resize({ width: 560 }).toBuffer();
  const both = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#fff' } })
    .composite([{ input: turned, left: 0, top: 0 }, { input: upright, left: 630, top: 250 }])
    .jpeg({ quality: 92 })
    .toBuffer();
  const ocr = await loadOcr();
  const lines = await ocr.readLines(await decodeImage(both, 2000));
  const mrz1 = lines.filter((l) => /^P<UT[O0]ERIKSS[O0]N<</.test(l.text.replace(/\s+/g, '')));
  assert.equal(mrz1.length, 2, lines.map((l) => `${l.angle}° ${l.text}`).join(' | '));
  const [a, b] = mrz1.map((l) => l.angle!).sort((x, y) => Math.abs(x) - Math.abs(y));
  assert.ok(angleDiff(a!, 0) < 5 && angleDiff(b!, 90) < 5, `angles ${a}, ${b}`);
});
