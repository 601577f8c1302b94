/**
 * "Is there a document in the frame?" (src/web/live-document.ts) without a browser, on the canvas
 * the page measures (the guide region, 240 × 151): the committed card photos and scans fitted in
 * the guide on a plain surface are documents; plain surfaces (noisy, shaded, dark, light) and a
 * card far out of focus are not; the automatic photo waits for a document. The browser wiring is
 * in e2e-guided.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import sharp from 'sharp';
import { DOCUMENT_MIN_EDGE_SHARE, documentPresent, edgeShare } from '../../src/web/live-document.js';
import { autoCaptureFollower, AUTO_CAPTURE_STEADY_CHECKS } from '../../src/web/live-guide.js';
import { darkened } from '../helpers/document-images.js';

const W = 240, H = 151;
const docs = ['uto_id_front_photo_tilt.jpg', 'fra_id_front_scan.jpg', 'usa_dl_back_photo.jpg', 'uto_passport_scan.jpg', 'uto_id_back_render.png'];
const load = (f: string) => readFileSync(new URL(`../fixtures/documents/${f}`, import.meta.url));

/** The card fitted into 90 % of the guide region on a plain grey surface, blurred by `blur`, RGBA. */
async function inGuide(card: Buffer, blur: number): Promise<Buffer> {
  const fitted = await sharp(card).rotate().removeAlpha().resize(Math.round(W * 0.9), Math.round(H * 0.9), { fit: 'inside' }).toBuffer({ resolveWithObject: true });
  const composed = await sharp({ create: { width: W, height: H, channels: 3, background: { r: 150, g: 150, b: 150 } } })
    .composite([{ input: fitted.data, left: Math.round((W - fitted.info.width) / 2), top: Math.round((H - fitted.info.height) / 2) }])
    .png()
    .toBuffer();
  return sharp(composed).blur(blur).ensureAlpha().raw().toBuffer();
}

/** A plain surface: `level` grey, shaded by `shade` levels across, with ±`noise` uniform noise, RGBA. */
function surface(level: number, shade: number, noise: number, seed = 1): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * H * 4);
  let s = seed;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const v = level - shade / 2 + (shade * x) / W + ((s / 0x7fffffff) * 2 - 1) * noise;
    px.set([v, v, v, 255], (y * W + x) * 4);
  }
  return px;
}

test('committed card photos and scans inside the guide: a document', async () => {
  for (const f of docs) {
    const share = edgeShare(await inGuide(load(f), 0.8), W, H, 4);
    assert.ok(documentPresent(share), `${f}: edge share ${share.toFixed(4)} < ${DOCUMENT_MIN_EDGE_SHARE}`);
  }
});

test('a card in dim light (60 % and 40 % of its light: down to where TOO_DARK starts) is still a document', async () => {
  for (const f of docs.slice(0, 4)) for (const k of [0.6, 0.4]) {
    const share = edgeShare(await inGuide(await darkened(load(f), k), 0.8), W, H, 4);
    assert.ok(documentPresent(share), `${f} at ${k}: ${share.toFixed(4)}`);
  }
});

test('plain surfaces and a card far out of focus: no document', async () => {
  for (const level of [40, 120, 200, 245]) for (const noise of [0, 6, 12]) {
    const share = edgeShare(surface(level, 60, noise), W, H, 4);
    assert.ok(!documentPresent(share), `level ${level} noise ${noise}: ${share}`);
  }
  const share = edgeShare(await inGuide(load('uto_id_front_photo_tilt.jpg'), 8), W, H, 4);
  assert.ok(!documentPresent(share), `blurred card: ${share}`);
});

test('RGB and RGBA give the same share; a canvas too small to measure gives 0', async () => {
  const rgba = await inGuide(load('fra_id_front_scan.jpg'), 0.8);
  const rgb = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
  assert.equal(edgeShare(rgb, W, H, 3), edgeShare(rgba, W, H, 4));
  assert.equal(edgeShare(new Uint8Array(4 * 4 * 4), 4, 4, 4), 0);
});

test('the automatic photo waits for a document in the frame; the steadiness counts from then', () => {
  const follow = autoCaptureFollower();
  for (let i = 0; i < 3 * AUTO_CAPTURE_STEADY_CHECKS; i++) assert.equal(follow({ mad: 1, lightOk: true, framed: false }), 'steady');
  for (let i = 1; i < AUTO_CAPTURE_STEADY_CHECKS; i++) assert.equal(follow({ mad: 1, lightOk: true, framed: true }), 'steady');
  assert.equal(follow({ mad: 1, lightOk: true, framed: true }), 'capture');
  // Without `framed` (the face step): as before.
  const face = autoCaptureFollower();
  const states = Array.from({ length: AUTO_CAPTURE_STEADY_CHECKS }, () => face({ mad: 1, lightOk: true }));
  assert.equal(states.at(-1), 'capture');
});
