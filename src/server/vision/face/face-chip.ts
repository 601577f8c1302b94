/**
 * The face chip the recognition net was trained on: dlib's `get_face_chip` convention (size 150,
 * padding 0.25), rebuilt from the two eye centres. The chip is a square turned so the eyes are
 * level; its side is 2 × 0.963 × (1 + 2 × padding) eye distances and its centre lies 0.524 eye
 * distances below the eyes' midpoint (dlib's mean face: the eyes sit at 24 % and 76 % of the
 * unpadded square's width). Sampled bilinearly; pixels outside the image are black, as in dlib.
 * Pure: no I/O, no state.
 */
import type { Point } from './types.js';

export interface ChipGeometry {
  /** Output side, px. */
  sidePx: number;
  /** dlib's padding around the unpadded face square, fraction of its side. */
  padding: number;
  /** How far below the eyes' midpoint the square's centre lies, in eye distances. */
  centreBelowEyes: number;
}

/** Half the unpadded face square's side, in eye distances (dlib's mean face shape). */
const HALF_SIDE_PER_EYE_DISTANCE = 0.963365;

export const DLIB_CHIP: ChipGeometry = { sidePx: 150, padding: 0.25, centreBelowEyes: 0.524 };

interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * Cut the chip around a face from its eye centres (image-left eye first), as packed RGB.
 * Returns null when the eyes coincide (no geometry to align on).
 */
export function faceChip(image: RgbImage, imageLeftEye: Point, imageRightEye: Point, geometry: ChipGeometry = DLIB_CHIP): Uint8Array | null {
  const vx = imageRightEye.x - imageLeftEye.x;
  const vy = imageRightEye.y - imageLeftEye.y;
  const d = Math.hypot(vx, vy);
  if (!(d > 0.5)) return null;
  // Unit vectors of the chip's x (along the eyes) and y (down the face) axes, in image pixels.
  const ux = vx / d, uy = vy / d;
  const nx = -uy, ny = ux;
  const cx = (imageLeftEye.x + imageRightEye.x) / 2 + geometry.centreBelowEyes * d * nx;
  const cy = (imageLeftEye.y + imageRightEye.y) / 2 + geometry.centreBelowEyes * d * ny;
  const half = HALF_SIDE_PER_EYE_DISTANCE * (1 + 2 * geometry.padding) * d;
  const n = geometry.sidePx;
  const step = (2 * half) / n;
  // Downscaling: average k × k bilinear samples per chip pixel (k ≈ the step), against aliasing.
  const k = Math.max(1, Math.min(4, Math.round(step)));
  const out = new Uint8Array(n * n * 3);
  const acc = [0, 0, 0];
  const { rgb, width: w, height: h } = image;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      acc[0] = acc[1] = acc[2] = 0;
      for (let sj = 0; sj < k; sj++) {
        const oy = -half + (j + (sj + 0.5) / k) * step;
        for (let si = 0; si < k; si++) {
          const ox = -half + (i + (si + 0.5) / k) * step;
          // Image position of the sample (pixel centres at +0.5).
          const x = cx + ox * ux + oy * nx - 0.5;
          const y = cy + ox * uy + oy * ny - 0.5;
          const x0 = Math.floor(x), y0 = Math.floor(y);
          const fx = x - x0, fy = y - y0;
          for (let q = 0; q < 4; q++) {
            const xx = x0 + (q & 1), yy = y0 + (q >> 1);
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
            const wgt = (q & 1 ? fx : 1 - fx) * (q >> 1 ? fy : 1 - fy);
            const p = (yy * w + xx) * 3;
            acc[0] += wgt * rgb[p]!;
            acc[1] += wgt * rgb[p + 1]!;
            acc[2] += wgt * rgb[p + 2]!;
          }
        }
      }
      const o = (j * n + i) * 3;
      const kk = k * k;
      out[o] = Math.round(acc[0]! / kk);
      out[o + 1] = Math.round(acc[1]! / kk);
      out[o + 2] = Math.round(acc[2]! / kk);
    }
  }
  return out;
}
