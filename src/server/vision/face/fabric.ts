/**
 * Knitted or woven fabric over the face: its stitches repeat, skin does not
 * (docs/vision-faces.md, "Fabric over the face").
 *
 * Measured on the ORIGINAL pixels, not on the ≤ 1280-px working image, where a knit's ribs can sit
 * at the resolution limit: the face box (working px / `scale`, upright as `decodeImage` makes it)
 * is decoded again from the bytes with sharp `extract` (cut from the working image when that is
 * the original at full size) and resized so that the pupils are
 * `FABRIC_IPD_PX` apart, so the same fabric gives the same periods on a near and on a far face.
 * Luma only (independent of the cover's colour), high-passed by subtracting a Gaussian blur
 * (σ = IPD / 12). On each skin patch (forehead, upper and lower cheeks, chin: the centres of the
 * occlusion patches, larger boxes, only those wholly inside the image) the periodicity is the
 * largest (r(v) − r(v/2)) / 2 over 2-D lags v with IPD / 25 ≤ |v| ≤ IPD / 6 (≈ 2.5–10 mm at a 63-mm
 * IPD, where stitches fall), r being the normalised autocorrelation over the overlap: a repeat
 * brings r back up at its period after a trough at half of it (≈ 1 for a pure sinusoid), noise
 * and pores give ≈ 0, and an edge (hair, a wrinkle) a ridge that does not rise again. The face's
 * figure is the median over the patches, so one patch on hair or a collar does not decide it.
 */
import sharp from 'sharp';
import type { DecodedImage } from '../decode-image.js';
import { decodeBmp } from '../bmp.js';
import type { Box, DetectedFace, Point } from './types.js';

/** Inter-pupil distance the face crop is resized to, px. */
export const FABRIC_IPD_PX = 160;
/** Periods looked at, in IPDs (≈ 2.5–10 mm at a 63-mm IPD, where stitches fall). */
export const MIN_PERIOD_IPD = 1 / 25;
export const MAX_PERIOD_IPD = 1 / 6;

export interface FabricEvidence {
  /** Median over the patches of the largest (r(v) − r(v/2)) / 2 (dimensionless, ≈ 0 on skin). */
  periodicity: number;
  /** Inter-pupil distance in the original image, px: below FABRIC_IPD_PX the crop is upscaled. */
  nativeInterPupilPx: number;
  /** Patches measured (≤ 6). */
  patches: number;
}

/** A high-passed luma patch of the normalised crop. */
export interface FabricPatch { name: string; g: Float64Array; w: number; h: number }

/** Median of the finite values (NaN when none). */
export const median = (v: number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};

/** In-place radix-2 complex FFT of length re.length (a power of 2). */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const a = ((inverse ? 2 : -2) * Math.PI) / len, wr = Math.cos(a), wi = Math.sin(a);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const p = i + k, q = p + len / 2;
        const tr = re[q]! * cr - im[q]! * ci, ti = re[q]! * ci + im[q]! * cr;
        re[q] = re[p]! - tr; im[q] = im[p]! - ti; re[p] = re[p]! + tr; im[p] = im[p]! + ti;
        const ncr = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = ncr;
      }
    }
  }
}

/** 2-D FFT of an nx × ny row-major grid, in place. */
export function fft2(re: Float64Array, im: Float64Array, nx: number, ny: number, inverse = false): void {
  const rr = new Float64Array(nx), ri = new Float64Array(nx);
  for (let y = 0; y < ny; y++) {
    rr.set(re.subarray(y * nx, y * nx + nx)); ri.set(im.subarray(y * nx, y * nx + nx));
    fft(rr, ri, inverse); re.set(rr, y * nx); im.set(ri, y * nx);
  }
  const cr = new Float64Array(ny), ci = new Float64Array(ny);
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) { cr[y] = re[y * nx + x]!; ci[y] = im[y * nx + x]!; }
    fft(cr, ci, inverse);
    for (let y = 0; y < ny; y++) { re[y * nx + x] = cr[y]!; im[y * nx + x] = ci[y]!; }
  }
}

/** Normalised Gaussian kernel, radius ⌈3σ⌉. */
function gaussian(sigma: number): Float64Array {
  const r = Math.ceil(3 * sigma), k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = 0; i < k.length; i++) sum += k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  return k;
}

/**
 * `g` minus its Gaussian blur (separable, the image's edges clamped) on the box x0–x1 × y0–y1 of
 * a w × h grid only: the blur of the whole crop would cost several times the rest.
 */
function highPassBox(g: Float64Array, w: number, h: number, k: Float64Array, x0: number, y0: number, x1: number, y1: number): Float64Array {
  const r = (k.length - 1) / 2, pw = x1 - x0, ph = y1 - y0;
  const ry0 = y0 - r, rows = ph + 2 * r;
  // Horizontal pass over the patch's columns, on the rows the vertical pass reads.
  const tmp = new Float64Array(pw * rows);
  for (let j = 0; j < rows; j++) {
    const row = Math.min(h - 1, Math.max(0, ry0 + j)) * w;
    for (let x = 0; x < pw; x++) {
      const cx = x0 + x;
      let s = 0;
      if (cx - r >= 0 && cx + r < w) for (let i = 0; i < k.length; i++) s += k[i]! * g[row + cx - r + i]!;
      else for (let i = 0; i < k.length; i++) s += k[i]! * g[row + Math.min(w - 1, Math.max(0, cx - r + i))]!;
      tmp[j * pw + x] = s;
    }
  }
  const out = new Float64Array(pw * ph);
  for (let y = 0; y < ph; y++) for (let x = 0; x < pw; x++) {
    let s = 0;
    for (let i = 0; i < k.length; i++) s += k[i]! * tmp[(y + i) * pw + x]!;
    out[y * pw + x] = g[(y0 + y) * w + x0 + x]! - s;
  }
  return out;
}

/**
 * The high-passed patches of `face` (found on `image`) cut from the original `bytes`, resized to
 * FABRIC_IPD_PX between the pupils; null when the face box does not reach into the original.
 */
export async function fabricPatches(bytes: Uint8Array, image: DecodedImage, face: DetectedFace): Promise<{ patches: FabricPatch[]; nativeInterPupilPx: number } | null> {
  const s = image.scale;
  const { leftEye, rightEye } = face.landmarks;
  const ipd = Math.hypot(rightEye.x - leftEye.x, rightEye.y - leftEye.y);
  if (!(ipd > 0) || !(s > 0)) return null;
  const nativeInterPupilPx = ipd / s;
  const fb = face.box, pad = 0.1 * Math.max(fb.width, fb.height);
  const left = Math.max(0, Math.floor((fb.x - pad) / s)), top = Math.max(0, Math.floor((fb.y - pad) / s));
  const right = Math.min(image.originalWidth, Math.ceil((fb.x + fb.width + pad) / s));
  const bottom = Math.min(image.originalHeight, Math.ceil((fb.y + fb.height + pad) / s));
  if (right - left < 16 || bottom - top < 16) return null;
  const k = FABRIC_IPD_PX / nativeInterPupilPx;
  const W = Math.max(1, Math.round((right - left) * k)), H = Math.max(1, Math.round((bottom - top) * k));
  // A working image at full size (scale 1) holds the original pixels already, upright: cut from
  // it rather than decode the bytes again.
  // A Windows bitmap is decoded by bmp.ts (sharp does not read it); it has no EXIF orientation.
  const bmp = s !== 1 && image.format === 'bmp' ? decodeBmp(bytes) : null;
  const source =
    s === 1
      ? sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
      : bmp
        ? sharp(bmp.rgb, { raw: { width: bmp.width, height: bmp.height, channels: 3 } })
        : sharp(bytes, { limitInputPixels: false, failOn: 'truncated' }).rotate(); // as decodeImage reads them
  const { data, info } = await source
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize(W, H, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cw = info.width, ch = info.height, n = cw * ch;
  const luma = new Float64Array(n);
  for (let i = 0; i < n; i++) luma[i] = 0.299 * data[i * info.channels]! + 0.587 * data[i * info.channels + 1]! + 0.114 * data[i * info.channels + 2]!;
  const kernel = gaussian(FABRIC_IPD_PX / 12);
  const sx = cw / (right - left), sy = ch / (bottom - top);
  const at = (i: number): Point => ({ x: (face.mesh[i]![0] / s - left) * sx, y: (face.mesh[i]![1] / s - top) * sy });
  const box = (c: Point, w: number, h: number): Box => ({ x: c.x - (w * FABRIC_IPD_PX) / 2, y: c.y - (h * FABRIC_IPD_PX) / 2, width: w * FABRIC_IPD_PX, height: h * FABRIC_IPD_PX });
  const boxes: Array<[string, Box]> = [
    ['forehead', box(at(151), 0.7, 0.3)],
    ['cheekUpperImageLeft', box(at(117), 0.3, 0.3)],
    ['cheekUpperImageRight', box(at(346), 0.3, 0.3)],
    ['cheekLowerImageLeft', box(at(205), 0.3, 0.3)],
    ['cheekLowerImageRight', box(at(425), 0.3, 0.3)],
    ['chin', box(at(175), 0.4, 0.25)],
  ];
  const patches: FabricPatch[] = [];
  for (const [name, b] of boxes) {
    const x0 = Math.round(b.x), y0 = Math.round(b.y), x1 = Math.round(b.x + b.width), y1 = Math.round(b.y + b.height);
    // Only patches wholly inside the image: an image edge is not a texture.
    if (x0 < 0 || y0 < 0 || x1 > cw || y1 > ch) continue;
    patches.push({ name, g: highPassBox(luma, cw, ch, kernel, x0, y0, x1, y1), w: x1 - x0, h: y1 - y0 });
  }
  return { patches, nativeInterPupilPx };
}

/**
 * max over lags v, IPD / 25 ≤ |v| ≤ min(IPD / 6, half the patch's short side), of (r(v) − r(v/2)) / 2,
 * r(v) = Σ a·b / √(Σ a² · Σ b²) over the overlap of the patch and its copy shifted by v. The sums
 * come from one zero-padded FFT (Σ a·b) and a summed-area table of a² (the two energies): the
 * same figure as the direct sums, in a few ms. NaN when no lag fits.
 */
export function patchPeriodicity(p: FabricPatch, ipdPx = FABRIC_IPD_PX): number {
  const { g, w, h } = p;
  const lo = MIN_PERIOD_IPD * ipdPx, hi = Math.min(MAX_PERIOD_IPD * ipdPx, Math.min(w, h) / 2);
  if (hi < lo) return Number.NaN;
  const L = Math.floor(hi);
  const nx = 1 << Math.ceil(Math.log2(w + L + 1)), ny = 1 << Math.ceil(Math.log2(h + L + 1));
  const re = new Float64Array(nx * ny), im = new Float64Array(nx * ny);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) re[y * nx + x] = g[y * w + x]!;
  fft2(re, im, nx, ny);
  for (let i = 0; i < re.length; i++) { re[i] = re[i]! * re[i]! + im[i]! * im[i]!; im[i] = 0; }
  fft2(re, im, nx, ny, true); // re[(dy, dx)] · nx·ny = Σ a(x, y)·a(x + dx, y + dy)
  const norm = nx * ny;
  // Summed-area table of a².
  const sat = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    sat[(y + 1) * (w + 1) + x + 1] = g[y * w + x]! ** 2 + sat[y * (w + 1) + x + 1]! + sat[(y + 1) * (w + 1) + x]! - sat[y * (w + 1) + x]!;
  }
  const energy = (x0: number, y0: number, x1: number, y1: number) => sat[y1 * (w + 1) + x1]! - sat[y0 * (w + 1) + x1]! - sat[y1 * (w + 1) + x0]! + sat[y0 * (w + 1) + x0]!;
  const r = (dx: number, dy: number) => {
    // Overlap: a at (x, y), b = a at (x + dx, y + dy).
    const ax0 = Math.max(0, -dx), ax1 = Math.min(w, w - dx), ay0 = Math.max(0, -dy), ay1 = Math.min(h, h - dy);
    const num = re[((dy + ny) % ny) * nx + ((dx + nx) % nx)]! / norm;
    return num / Math.sqrt(energy(ax0, ay0, ax1, ay1) * energy(ax0 + dx, ay0 + dy, ax1 + dx, ay1 + dy) + 1e-12);
  };
  let best = Number.NaN;
  for (let dy = 0; dy <= L; dy++) for (let dx = -L; dx <= L; dx++) {
    if (dy === 0 && dx <= 0) continue;
    const d = Math.hypot(dx, dy);
    if (d < lo || d > hi) continue;
    const v = r(dx, dy);
    if (v <= 0) continue;
    const s = (v - r(Math.round(dx / 2), Math.round(dy / 2))) / 2;
    if (!(s <= best)) best = s;
  }
  return best;
}

/** The face's fabric periodicity (median over its patches); null when no patch is measurable. */
export async function measureFabric(bytes: Uint8Array, image: DecodedImage, face: DetectedFace): Promise<FabricEvidence | null> {
  const cut = await fabricPatches(bytes, image, face);
  if (!cut) return null;
  const values = cut.patches.map((p) => patchPeriodicity(p)).filter(Number.isFinite);
  if (values.length === 0) return null;
  return { periodicity: median(values), nativeInterPupilPx: cut.nativeInterPupilPx, patches: values.length };
}
