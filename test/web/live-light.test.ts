/**
 * The capture page's live light hint, without a browser: the shared light rules on the committed
 * card photo as taken, darkened and with a reflection (the same conditions the engine's capture
 * advice is tested on); where the guide frame falls in the video; and the hysteresis that keeps
 * the hint from flickering. The browser wiring is in e2e-live-light.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import sharp from 'sharp';
import { lightAdvice, measureLight } from '../../src/shared/capture-light.js';
import { guideRegion, steadyHint } from '../../src/web/live-light.js';
import { darkened, withGlare } from '../helpers/document-images.js';

const card = readFileSync(new URL('../fixtures/documents/uto_id_front_photo_tilt.jpg', import.meta.url));

/** As the page measures it: the image drawn small (240 px long side), RGBA. */
async function measured(bytes: Buffer) {
  const { data, info } = await sharp(bytes).resize({ width: 240, height: 240, fit: 'inside' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return measureLight(data, info.width, info.height, 4);
}

test('light rules on a card photo: none as taken, TOO_DARK darkened, GLARE with a reflection', async () => {
  assert.equal(lightAdvice(await measured(card)), null);
  const dark = await measured(await darkened(card));
  assert.equal(lightAdvice(dark), 'TOO_DARK', JSON.stringify(dark));
  const glare = await measured(await withGlare(card));
  assert.equal(lightAdvice(glare), 'GLARE', JSON.stringify(glare));
});

test('light rules: white paper everywhere (a scan) is not glare; RGB and RGBA give the same measures', async () => {
  const white = new Uint8Array(64 * 48 * 3).fill(255);
  const m = measureLight(white, 64, 48, 3);
  assert.deepEqual([m.glareShare, m.glareWorstCellShare, lightAdvice(m)], [1, 1, null]);
  const { data, info } = await sharp(card).resize({ width: 120 }).raw().toBuffer({ resolveWithObject: true });
  const rgba = await sharp(card).resize({ width: 120 }).ensureAlpha().raw().toBuffer();
  assert.deepEqual(measureLight(data, info.width, info.height, 3), measureLight(rgba, info.width, info.height, 4));
});

test('the guide region in video pixels under object-fit: cover', () => {
  // A 1280×720 video shown in a 400×300 box (4:3): scale 300/720, 133 px cropped on each side.
  const video = { width: 400, height: 300, left: 0, top: 0, intrinsicWidth: 1280, intrinsicHeight: 720 };
  const r = guideRegion(video, { left: 32, top: 49, width: 336, height: 202 })!;
  const k = 720 / 300;
  const offset = (1280 - 400 * k) / 2;
  assert.ok(Math.abs(r.sx - (offset + 32 * k)) < 1e-6 && Math.abs(r.sy - 49 * k) < 1e-6);
  assert.ok(Math.abs(r.sw - 336 * k) < 1e-6 && Math.abs(r.sh - 202 * k) < 1e-6);
  // Clipped to the video; nothing before the video has a size.
  assert.deepEqual(guideRegion(video, { left: -100, top: -100, width: 50, height: 50 }), null);
  assert.equal(guideRegion({ ...video, intrinsicWidth: 0, intrinsicHeight: 0 }, { left: 32, top: 49, width: 336, height: 202 }), null);
});

test('the hint changes only when two measurements in a row agree', () => {
  const follow = steadyHint(2);
  const seq = ['TOO_DARK', null, 'TOO_DARK', 'TOO_DARK', 'GLARE', 'TOO_DARK', null, null, null] as const;
  const shown = seq.map((s) => follow(s).hint);
  assert.deepEqual(shown, [null, null, null, 'TOO_DARK', 'TOO_DARK', 'TOO_DARK', 'TOO_DARK', null, null]);
});
