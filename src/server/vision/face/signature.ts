/**
 * A coarse picture of a face and its surroundings, to recognise a selfie that is the document's own
 * portrait shown again (a replay): the region SIGNATURE_GEOMETRY gives, turned so the eyes are
 * level, in grey, averaged down to 32 × 32 (integers 0–255). Two signatures are compared by their best normalised correlation
 * over small shifts and scales (the mesh places the eyes of one picture a few per cent apart at
 * different resolutions): ≈ 1 for the same picture whatever a print or a screen did to its
 * brightness and contrast, lower for two captures of one person (pose, expression, light).
 * Measured in docs/face-verification.md. Biometric data: stored for the decision, never served.
 * Pure.
 */
import { faceChip, type ChipGeometry } from './face-chip.js';
import type { Point } from './types.js';

/** Side of the signature's grid: length = side². */
export const SIGNATURE_SIDE = 32;
/** Side of the window compared, cells (the grid's centre; the rest is room to shift). */
const WINDOW = 24;
/** Scales and shifts (cells) searched when comparing. */
const SCALES = [0.92, 0.96, 1, 1.04, 1.08];
const SHIFTS = [-1, -0.5, 0, 0.5, 1];

/**
 * The region the signature covers, in the face's own frame: a square 3.6 eye distances wide
 * centred just below the eyes — the face with the hair, the ears, the chin and the background
 * beside the head, where a portrait shown again is identical to itself and a new capture is not.
 */
export const SIGNATURE_GEOMETRY: ChipGeometry = { sidePx: SIGNATURE_SIDE, padding: 0.434, centreBelowEyes: 0.1 };

interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The signature of a face from its eye centres (image-left eye first); null without geometry. */
export function faceSignature(image: RgbImage, imageLeftEye: Point, imageRightEye: Point): number[] | null {
  const chip = faceChip(image, imageLeftEye, imageRightEye, SIGNATURE_GEOMETRY);
  if (!chip) return null;
  const out = new Array<number>(SIGNATURE_SIDE * SIGNATURE_SIDE);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(0.299 * chip[i * 3]! + 0.587 * chip[i * 3 + 1]! + 0.114 * chip[i * 3 + 2]!);
  return out;
}

function sample(g: readonly number[], x: number, y: number): number {
  const n = SIGNATURE_SIDE;
  const x0 = Math.max(0, Math.min(n - 2, Math.floor(x)));
  const y0 = Math.max(0, Math.min(n - 2, Math.floor(y)));
  const fx = Math.min(1, Math.max(0, x - x0));
  const fy = Math.min(1, Math.max(0, y - y0));
  const i = y0 * n + x0;
  return g[i]! * (1 - fx) * (1 - fy) + g[i + 1]! * fx * (1 - fy) + g[i + n]! * (1 - fx) * fy + g[i + n + 1]! * fx * fy;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let d = 0, va = 0, vb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma, y = b[i]! - mb;
    d += x * y;
    va += x * x;
    vb += y * y;
  }
  return va > 0 && vb > 0 ? d / Math.sqrt(va * vb) : 0;
}

/** Best correlation of two signatures over the searched shifts and scales, −1…1; null when not comparable. */
export function signatureCorrelation(a: readonly number[], b: readonly number[]): number | null {
  const n = SIGNATURE_SIDE;
  if (a.length !== n * n || b.length !== n * n) return null;
  const c = (n - 1) / 2, off = (n - WINDOW) / 2;
  const av = new Float64Array(WINDOW * WINDOW);
  for (let y = 0; y < WINDOW; y++) for (let x = 0; x < WINDOW; x++) av[y * WINDOW + x] = a[(y + off) * n + x + off]!;
  const bv = new Float64Array(WINDOW * WINDOW);
  let best = -1;
  for (const s of SCALES) {
    for (const dx of SHIFTS) {
      for (const dy of SHIFTS) {
        for (let y = 0; y < WINDOW; y++) {
          for (let x = 0; x < WINDOW; x++) bv[y * WINDOW + x] = sample(b, c + (x + off - c) * s + dx, c + (y + off - c) * s + dy);
        }
        best = Math.max(best, correlation(av, bv));
      }
    }
  }
  return best;
}
