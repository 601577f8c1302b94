/** The face chip's geometry (dlib's convention from the eye centres) and the replay signature. Pure, no models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DLIB_CHIP, faceChip } from '../../src/server/vision/face/face-chip.js';
import { mirrorChip } from '../../src/server/vision/face/embedding.js';
import { SIGNATURE_SIDE, faceSignature, signatureCorrelation } from '../../src/server/vision/face/signature.js';

/** A grey image with two white 3 × 3 "eyes" at the given points. */
function eyesImage(w: number, h: number, eyes: Array<{ x: number; y: number }>) {
  const rgb = new Uint8Array(w * h * 3).fill(40);
  for (const e of eyes) {
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) rgb.fill(255, ((Math.round(e.y) + dy) * w + Math.round(e.x) + dx) * 3, ((Math.round(e.y) + dy) * w + Math.round(e.x) + dx) * 3 + 3);
  }
  return { rgb, width: w, height: h };
}

/** Centroid of the bright pixels of the chip's left and right halves. */
function brightCentroids(chip: Uint8Array, side: number) {
  const acc = [
    { x: 0, y: 0, n: 0 },
    { x: 0, y: 0, n: 0 },
  ];
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const v = chip[(y * side + x) * 3]!;
    if (v < 100) continue;
    const a = acc[x < side / 2 ? 0 : 1]!;
    a.x += x * v;
    a.y += y * v;
    a.n += v;
  }
  return acc.map((a) => ({ x: a.x / a.n, y: a.y / a.n }));
}

test('faceChip: the eyes land where dlib puts them, level, whatever the tilt and the size of the face', () => {
  // In a 150-px chip with padding 0.25 the eye distance is 150 / (2 × 0.963 × 1.5) ≈ 51.9 px and the
  // eyes sit 0.524 eye distances above the centre.
  const d = 150 / (2 * 0.963365 * 1.5);
  const expected = [
    { x: 75 - d / 2, y: 75 - 0.524 * d },
    { x: 75 + d / 2, y: 75 - 0.524 * d },
  ];
  for (const [a, b] of [
    [{ x: 300, y: 400 }, { x: 420, y: 400 }],
    [{ x: 300, y: 400 }, { x: 400, y: 460 }], // tilted 31°
    [{ x: 500, y: 300 }, { x: 540, y: 302 }], // a small face
  ] as const) {
    const chip = faceChip(eyesImage(800, 800, [a, b]), a, b)!;
    const [l, r] = brightCentroids(chip, DLIB_CHIP.sidePx);
    for (const [got, want] of [[l!, expected[0]!], [r!, expected[1]!]] as const) {
      assert.ok(Math.abs(got.x - want.x) < 1.5 && Math.abs(got.y - want.y) < 1.5, `${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
    }
  }
  assert.equal(faceChip(eyesImage(50, 50, []), { x: 10, y: 10 }, { x: 10, y: 10 }), null);
});

test('mirrorChip flips left and right, twice is the identity', () => {
  const side = 4;
  const chip = Uint8Array.from({ length: side * side * 3 }, (_, i) => i);
  const m = mirrorChip(chip, side);
  assert.deepEqual([...m.slice(0, 3)], [...chip.slice(9, 12)]);
  assert.deepEqual(mirrorChip(m, side), chip);
});

test('signature: the same picture correlates ≈ 1 even a little shifted, scaled or re-lit; another picture does not', () => {
  // A textured "photo": smooth blobs, so a coarse picture of it has structure.
  const w = 600, h = 600;
  const photo = (shiftX: number, gain: number) => {
    const rgb = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const v = 128 + 60 * Math.sin((x + shiftX) / 23) * Math.cos(y / 31) + 40 * Math.sin((x + y + shiftX) / 47);
      rgb.fill(Math.max(0, Math.min(255, Math.round(v * gain))), (y * w + x) * 3, (y * w + x) * 3 + 3);
    }
    return { rgb, width: w, height: h };
  };
  const eyes = [{ x: 250, y: 260 }, { x: 350, y: 260 }] as const;
  const a = faceSignature(photo(0, 1), eyes[0], eyes[1])!;
  assert.equal(a.length, SIGNATURE_SIDE * SIGNATURE_SIDE);
  assert.ok(signatureCorrelation(a, a)! > 0.999);
  // The eyes found 3 % further apart and 2 px lower, on a darker print of the same picture.
  const b = faceSignature(photo(0, 0.8), { x: 248.5, y: 262 }, { x: 351.5, y: 262 })!;
  assert.ok(signatureCorrelation(a, b)! > 0.97, String(signatureCorrelation(a, b)));
  // Another picture.
  const c = faceSignature(photo(40, 1), eyes[0], eyes[1])!;
  assert.ok(signatureCorrelation(a, c)! < 0.9, String(signatureCorrelation(a, c)));
  assert.equal(signatureCorrelation(a, [1, 2, 3]), null);
});
