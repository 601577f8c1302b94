/** Fabric periodicity (vision/face/fabric.ts): a repeat scores high, noise and edges do not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FABRIC_IPD_PX, patchPeriodicity, type FabricPatch } from '../../src/server/vision/face/fabric.js';

/** Deterministic uniform noise in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (1664525 * s + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

function patch(w: number, h: number, at: (x: number, y: number) => number): FabricPatch {
  const g = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = at(x, y);
  return { name: 'test', g, w, h };
}

/** The same figure by direct sums over the overlap (what the FFT path must reproduce). */
function direct(p: FabricPatch): number {
  const { g, w, h } = p;
  const r = (dx: number, dy: number) => {
    let num = 0, d0 = 0, d1 = 0;
    for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) for (let x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
      const a = g[y * w + x]!, b = g[(y + dy) * w + x + dx]!;
      num += a * b; d0 += a * a; d1 += b * b;
    }
    return num / Math.sqrt(d0 * d1 + 1e-12);
  };
  const lo = FABRIC_IPD_PX / 25, hi = Math.min(FABRIC_IPD_PX / 6, Math.min(w, h) / 2), L = Math.floor(hi);
  let best = Number.NaN;
  for (let dy = 0; dy <= L; dy++) for (let dx = -L; dx <= L; dx++) {
    if ((dy === 0 && dx <= 0) || Math.hypot(dx, dy) < lo || Math.hypot(dx, dy) > hi) continue;
    const v = r(dx, dy);
    if (v <= 0) continue;
    const s = (v - r(Math.round(dx / 2), Math.round(dy / 2))) / 2;
    if (!(s <= best)) best = s;
  }
  return best;
}

test('fabric: ribs (a grating at a knit period, with noise) repeat; skin-like noise and an edge do not', () => {
  const rnd = noise(7);
  // Vertical ribs 12 px apart (IPD / 13 at 160 px), knit-like V stitches every 10 px down them.
  const knit = patch(48, 48, (x, y) => 20 * Math.cos((2 * Math.PI * x) / 12) + 8 * Math.cos((2 * Math.PI * (y + Math.abs((x % 12) - 6))) / 10) + 5 * rnd());
  const skin = patch(48, 48, () => 5 * rnd());
  const edge = patch(48, 48, (x, y) => (x + 0.3 * y > 24 ? 30 : -30) + 3 * rnd());
  const k = patchPeriodicity(knit), s = patchPeriodicity(skin), e = patchPeriodicity(edge);
  assert.ok(k > 0.5, `knit ${k}`);
  assert.ok(s < 0.1, `noise ${s}`);
  assert.ok(e < 0.1, `edge ${e}`);
});

test('fabric: the FFT and summed-area sums give the direct overlap-normalised figure', () => {
  const rnd = noise(3);
  for (const [w, h] of [[48, 48], [112, 48], [64, 40]] as const) {
    const p = patch(w, h, (x, y) => 10 * Math.sin(x / 3 + y / 5) + 4 * rnd());
    assert.ok(Math.abs(patchPeriodicity(p) - direct(p)) < 1e-9, `${w}×${h}`);
  }
});

test('fabric: a patch too small for the shortest period has no figure', () => {
  assert.ok(Number.isNaN(patchPeriodicity(patch(10, 10, () => 1))));
});
