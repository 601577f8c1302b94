/** Region statistics the occlusion evidence is built on (pure, on synthetic pixels). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedImage } from '../../src/server/vision/decode-image.js';
import { regionStats, rgbToLab } from '../../src/server/vision/face/image-stats.js';

/** A width × height image whose pixel x has grey level 10·x (columns 0…9 → 0…90). */
function ramp(width = 10, height = 4): DecodedImage {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.fill(10 * x, (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { rgb, width, height, originalWidth: width, originalHeight: height, scale: 1, format: 'raw' };
}

test('regionStats: the darkest tenth, median and brightest tenth of L* are the sorted samples at 10, 50 and 90 %', () => {
  const st = regionStats(ramp(), { x: 0, y: 0, width: 10, height: 4 });
  assert.equal(st.samples, 40);
  // 40 samples, four of each grey level: index floor(q·40) of the sorted L*.
  assert.equal(st.lumP10, rgbToLab(10, 10, 10).L);
  assert.equal(st.median.L, rgbToLab(50, 50, 50).L);
  assert.equal(st.lumP90, rgbToLab(90, 90, 90).L);
  assert.ok(st.lumP10 < st.median.L && st.median.L < st.lumP90);
  // Grey: no chroma, no redness.
  assert.ok(Math.abs(st.median.a) < 0.05 && Math.abs(st.median.b) < 0.05);
  assert.ok(Math.abs(st.logRedGreen) < 1e-6);
});

test('regionStats: a region outside the image has no samples and NaN statistics', () => {
  const st = regionStats(ramp(), { x: 20, y: 20, width: 5, height: 5 });
  assert.equal(st.samples, 0);
  assert.ok(Number.isNaN(st.lumP10) && Number.isNaN(st.median.L));
});
