/**
 * Colour and texture statistics of small image regions, used as occlusion and plausibility
 * evidence. Pure functions over a DecodedImage; regions are axis-aligned rectangles clipped to
 * the image. Colours are CIE L*a*b* (D65) so differences are in roughly perceptual units.
 */
import type { DecodedImage } from '../decode-image.js';
import type { Box } from './types.js';

export interface Lab {
  L: number;
  a: number;
  b: number;
}

export interface RegionStats {
  /** Pixels sampled (0 when the region is outside the image). */
  samples: number;
  /** Fraction (0–1) of the region that lies inside the image. */
  insideFraction: number;
  /** Per-channel medians, Lab. */
  median: Lab;
  /** Standard deviation of L*, Lab units. */
  lumStd: number;
  /** 90th percentile of L* (the brightest tenth: an eye's sclera and catch-lights). */
  lumP90: number;
  /** 10th percentile of L* (the darkest tenth: an open eye's iris, pupil and lashes). */
  lumP10: number;
  /** Mean absolute L* difference between neighbouring samples: texture/edge energy, Lab units. */
  texture: number;
  /** Fraction (0–1) of samples whose colour is skin-like (YCbCr rule of Chai & Ngan 1999). */
  skinFraction: number;
  /**
   * Median of ln(R/G) on linear RGB: redness that a colour cast of the light (which scales R and
   * G by constant factors) shifts equally everywhere, so differences between regions cancel it.
   */
  logRedGreen: number;
}

const srgbToLinear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const LIN = Array.from({ length: 256 }, (_, i) => srgbToLinear(i));
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);

export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = LIN[r]!, G = LIN[g]!, B = LIN[b]!;
  const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const fx = f(x), fy = f(y), fz = f(z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

/** Chai & Ngan (1999) skin rule in YCbCr: 77 ≤ Cb ≤ 127 and 133 ≤ Cr ≤ 173. */
export function isSkinRgb(r: number, g: number, b: number): boolean {
  const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
  const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
  return cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173;
}


/** Statistics of `box` (decoded px), sampled on a grid of at most ~`maxSide`² points. */
export function regionStats(image: DecodedImage, box: Box, maxSide = 48): RegionStats {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  const area = Math.max(1, box.width * box.height);
  const insideFraction = Math.max(0, (x1 - x0) * (y1 - y0)) / area;
  const empty: RegionStats = {
    samples: 0,
    insideFraction,
    median: { L: Number.NaN, a: Number.NaN, b: Number.NaN },
    lumStd: Number.NaN,
    lumP90: Number.NaN,
    lumP10: Number.NaN,
    texture: Number.NaN,
    skinFraction: 0,
    logRedGreen: Number.NaN,
  };
  if (x1 - x0 < 2 || y1 - y0 < 2) return empty;
  const step = Math.max(1, Math.ceil(Math.max(x1 - x0, y1 - y0) / maxSide));
  const Ls: number[] = [], As: number[] = [], Bs: number[] = [], RGs: number[] = [];
  let skin = 0, texSum = 0, texN = 0;
  const cols = Math.ceil((x1 - x0) / step);
  let prevRow: number[] = [];
  for (let y = y0; y < y1; y += step) {
    const row: number[] = [];
    for (let x = x0; x < x1; x += step) {
      const i = (y * image.width + x) * 3;
      const r = image.rgb[i]!, g = image.rgb[i + 1]!, b = image.rgb[i + 2]!;
      const lab = rgbToLab(r, g, b);
      Ls.push(lab.L); As.push(lab.a); Bs.push(lab.b);
      RGs.push(Math.log((LIN[r]! + 1e-3) / (LIN[g]! + 1e-3)));
      if (isSkinRgb(r, g, b)) skin++;
      const k = row.length;
      if (k > 0) { texSum += Math.abs(lab.L - row[k - 1]!); texN++; }
      if (prevRow.length === cols && prevRow[k] !== undefined) { texSum += Math.abs(lab.L - prevRow[k]!); texN++; }
      row.push(lab.L);
    }
    prevRow = row;
  }
  const n = Ls.length;
  const meanL = Ls.reduce((s, v) => s + v, 0) / n;
  const lumStd = Math.sqrt(Ls.reduce((s, v) => s + (v - meanL) ** 2, 0) / n);
  // Typed-array sorts (numeric, no comparator), L* sorted once for its three quantiles.
  const sortedL = Float64Array.from(Ls).sort();
  const at = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const med = (v: number[]) => at(Float64Array.from(v).sort(), 0.5);
  return {
    samples: n,
    insideFraction,
    median: { L: at(sortedL, 0.5), a: med(As), b: med(Bs) },
    lumStd,
    lumP90: at(sortedL, 0.9),
    lumP10: at(sortedL, 0.1),
    // Normalise to a per-pixel gradient so that the sampling step does not change the figure.
    texture: texN > 0 ? texSum / texN / step : 0,
    skinFraction: skin / n,
    logRedGreen: med(RGs),
  };
}

export const deltaE = (p: Lab, q: Lab) => Math.hypot(p.L - q.L, p.a - q.a, p.b - q.b);

/**
 * Colour difference without lightness, √(Δa*² + Δb*²), Lab units: shading and shadows change L*
 * far more than a* and b*, so two parts of one surface under one light stay close here.
 */
export const chromaDelta = (p: Lab, q: Lab) => Math.hypot(p.a - q.a, p.b - q.b);

/**
 * Sharpness: mean absolute Laplacian of luminance over `box`, after sampling the box to about
 * 128 px across so faces of any size compare. Higher = sharper. Brightness: mean luma 0–255.
 */
export function sharpnessAndBrightness(image: DecodedImage, box: Box): { sharpness: number; brightness: number } {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width)), y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  if (x1 - x0 < 8 || y1 - y0 < 8) return { sharpness: 0, brightness: 0 };
  const step = Math.max(1, Math.round((x1 - x0) / 128));
  const luma = (x: number, y: number) => {
    const i = (y * image.width + x) * 3;
    return 0.299 * image.rgb[i]! + 0.587 * image.rgb[i + 1]! + 0.114 * image.rgb[i + 2]!;
  };
  let lap = 0, n = 0, sum = 0, m = 0;
  for (let y = y0 + step; y < y1 - step; y += step) {
    for (let x = x0 + step; x < x1 - step; x += step) {
      const c = luma(x, y);
      sum += c; m++;
      lap += Math.abs(4 * c - luma(x - step, y) - luma(x + step, y) - luma(x, y - step) - luma(x, y + step));
      n++;
    }
  }
  return { sharpness: n ? lap / n : 0, brightness: m ? sum / m : 0 };
}

