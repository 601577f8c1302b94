/** Pixel helpers for the OCR stages: packed RGB images, resizing, and warping a quad to a strip. */
import sharp from 'sharp';

/** Packed RGB, 3 bytes per pixel, row-major. `DecodedImage` satisfies it. */
export interface RgbImage {
  rgb: Buffer;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * A text region as four corners in reading order: top-left, top-right, bottom-right,
 * bottom-left of the text as a reader sees it (so a line rotated 180° starts at the bottom right).
 */
export type Quad = [Point, Point, Point, Point];

/** Resize (any direction) to exactly width × height; sharp's Lanczos-3 kernel. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (width === image.width && height === image.height) return image;
  const rgb = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return { rgb, width, height };
}

/** Homography mapping the unit rectangle corners (0,0),(1,0),(1,1),(0,1) onto a quad. */
function squareToQuad(q: Quad): number[] {
  const [p0, p1, p2, p3] = q;
  const dx1 = p1.x - p2.x;
  const dx2 = p3.x - p2.x;
  const dx3 = p0.x - p1.x + p2.x - p3.x;
  const dy1 = p1.y - p2.y;
  const dy2 = p3.y - p2.y;
  const dy3 = p0.y - p1.y + p2.y - p3.y;
  let g = 0;
  let h = 0;
  if (Math.abs(dx3) > 1e-9 || Math.abs(dy3) > 1e-9) {
    const den = dx1 * dy2 - dx2 * dy1;
    g = (dx3 * dy2 - dx2 * dy3) / den;
    h = (dx1 * dy3 - dx3 * dy1) / den;
  }
  const a = p1.x - p0.x + g * p1.x;
  const b = p3.x - p0.x + h * p3.x;
  const c = p0.x;
  const d = p1.y - p0.y + g * p1.y;
  const e = p3.y - p0.y + h * p3.y;
  const f = p0.y;
  return [a, b, c, d, e, f, g, h];
}

/** Cubic convolution weight, a = -0.75 (OpenCV's INTER_CUBIC; sharper than Catmull-Rom). */
function cubic(x: number): number {
  const A = -0.75;
  const ax = x < 0 ? -x : x;
  if (ax <= 1) return ((A + 2) * ax - (A + 3)) * ax * ax + 1;
  if (ax < 2) return ((A * ax - 5 * A) * ax + 8 * A) * ax - 4 * A;
  return 0;
}

/** Cubic weights tabulated at 1/1024 px: the 4 taps for a fractional offset t are
 * CUBIC_LUT[k*4 .. k*4+3] with k = round(t·1024) (weights for t+1, t, 1−t, 2−t). The warp needs
 * 8 weights per output pixel; the table makes them one lookup (≤ 0.001 from the exact weight). */
const LUT_STEPS = 1024;
const CUBIC_LUT = (() => {
  const lut = new Float64Array((LUT_STEPS + 1) * 4);
  for (let k = 0; k <= LUT_STEPS; k++) {
    const t = k / LUT_STEPS;
    lut[k * 4] = cubic(t + 1);
    lut[k * 4 + 1] = cubic(t);
    lut[k * 4 + 2] = cubic(1 - t);
    lut[k * 4 + 3] = cubic(2 - t);
  }
  return lut;
})();

/**
 * Sample the quad into an upright `outWidth` × `outHeight` RGB strip (perspective-correct,
 * bicubic). Pixels outside the source repeat the nearest edge pixel.
 */
export function warpQuad(image: RgbImage, quad: Quad, outWidth: number, outHeight: number): RgbImage {
  const [a, b, c, d, e, f, g, h] = squareToQuad(quad) as [number, number, number, number, number, number, number, number];
  const out = Buffer.alloc(outWidth * outHeight * 3);
  const { rgb, width, height } = image;
  const maxX = width - 1;
  const maxY = height - 1;
  let o = 0;
  for (let oy = 0; oy < outHeight; oy++) {
    const v = (oy + 0.5) / outHeight;
    for (let ox = 0; ox < outWidth; ox++) {
      const u = (ox + 0.5) / outWidth;
      const den = g * u + h * v + 1;
      const sx = (a * u + b * v + c) / den - 0.5;
      const sy = (d * u + e * v + f) / den - 0.5;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const tx = sx - ix;
      const ty = sy - iy;
      const kx = ((tx * LUT_STEPS + 0.5) | 0) * 4;
      const ky = ((ty * LUT_STEPS + 0.5) | 0) * 4;
      const wx0 = CUBIC_LUT[kx]!;
      const wx1 = CUBIC_LUT[kx + 1]!;
      const wx2 = CUBIC_LUT[kx + 2]!;
      const wx3 = CUBIC_LUT[kx + 3]!;
      let r = 0;
      let gg = 0;
      let bb = 0;
      if (ix >= 1 && iy >= 1 && ix + 2 <= maxX && iy + 2 <= maxY) {
        // Interior (nearly every pixel): the same sums without the edge clamping.
        let p = ((iy - 1) * width + ix - 1) * 3;
        const stride = width * 3;
        for (let j = 0; j < 4; j++, p += stride) {
          const wy = CUBIC_LUT[ky + j]!;
          r += wy * (wx0 * rgb[p]! + wx1 * rgb[p + 3]! + wx2 * rgb[p + 6]! + wx3 * rgb[p + 9]!);
          gg += wy * (wx0 * rgb[p + 1]! + wx1 * rgb[p + 4]! + wx2 * rgb[p + 7]! + wx3 * rgb[p + 10]!);
          bb += wy * (wx0 * rgb[p + 2]! + wx1 * rgb[p + 5]! + wx2 * rgb[p + 8]! + wx3 * rgb[p + 11]!);
        }
        out[o++] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5;
        out[o++] = gg < 0 ? 0 : gg > 255 ? 255 : gg + 0.5;
        out[o++] = bb < 0 ? 0 : bb > 255 ? 255 : bb + 0.5;
        continue;
      }
      for (let j = 0; j < 4; j++) {
        const yy = iy - 1 + j;
        const row = (yy < 0 ? 0 : yy > maxY ? maxY : yy) * width;
        const wy = CUBIC_LUT[ky + j]!;
        const x0 = ix - 1;
        const p0 = (row + (x0 < 0 ? 0 : x0 > maxX ? maxX : x0)) * 3;
        const p1 = (row + (x0 + 1 < 0 ? 0 : x0 + 1 > maxX ? maxX : x0 + 1)) * 3;
        const p2 = (row + (x0 + 2 < 0 ? 0 : x0 + 2 > maxX ? maxX : x0 + 2)) * 3;
        const p3 = (row + (x0 + 3 < 0 ? 0 : x0 + 3 > maxX ? maxX : x0 + 3)) * 3;
        r += wy * (wx0 * rgb[p0]! + wx1 * rgb[p1]! + wx2 * rgb[p2]! + wx3 * rgb[p3]!);
        gg += wy * (wx0 * rgb[p0 + 1]! + wx1 * rgb[p1 + 1]! + wx2 * rgb[p2 + 1]! + wx3 * rgb[p3 + 1]!);
        bb += wy * (wx0 * rgb[p0 + 2]! + wx1 * rgb[p1 + 2]! + wx2 * rgb[p2 + 2]! + wx3 * rgb[p3 + 2]!);
      }
      out[o++] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5;
      out[o++] = gg < 0 ? 0 : gg > 255 ? 255 : gg + 0.5;
      out[o++] = bb < 0 ? 0 : bb > 255 ? 255 : bb + 0.5;
    }
  }
  return { rgb: out, width: outWidth, height: outHeight };
}

export function distance(p: Point, q: Point): number {
  return Math.hypot(p.x - q.x, p.y - q.y);
}

/** Axis-aligned bounding box of a quad, clipped to the image. */
export function quadBounds(q: Quad, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const xs = q.map((p) => p.x);
  const ys = q.map((p) => p.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(width, Math.ceil(Math.max(...xs)));
  const y1 = Math.min(height, Math.ceil(Math.max(...ys)));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
