/**
 * Spectral measures of the face's skin patches on the ORIGINAL pixels, beside the engine's own
 * fabric periodicity (src/server/vision/face/fabric.ts), for
 * `scripts/face-cover-calibration.ts --fullres` (docs/vision-faces.md "Fabric over the face").
 * The patches are fabric.ts's: the face box cut from the original bytes, resized to
 * FABRIC_IPD_PX between the pupils, luma high-passed (σ = IPD / 12). Per patch, on the Hann-windowed,
 * zero-padded 2-D power spectrum over periods IPD / 25 … IPD / 6:
 *  - `peak`: the largest band power over the median band power;
 *  - `ringPeak`: the largest band power over the median power of its own ring (same |f|), so a
 *    steep 1/f skin spectrum does not count as a peak;
 * and `acf`, fabric.ts's periodicity. Each is the median over the patches.
 */
import type { DecodedImage } from '../src/server/vision/decode-image.js';
import { FABRIC_IPD_PX, fabricPatches, fft2, MAX_PERIOD_IPD, median, MIN_PERIOD_IPD, patchPeriodicity, type FabricPatch } from '../src/server/vision/face/fabric.js';
import type { DetectedFace } from '../src/server/vision/face/types.js';


export interface FullResFabric {
  nativeIpd: number;
  peak: number;
  ringPeak: number;
  acf: number;
  /** Period (target px) of the ring peak on the forehead, for reading. */
  foreheadPeriodPx: number | null;
  patches: number;
}


/** Spectral features of one high-passed patch. */
function spectrum(p: FabricPatch, ipd: number) {
  const { g, w, h } = p;
  const N = 1 << Math.ceil(Math.log2(Math.max(w, h) * 2));
  const re = new Float64Array(N * N), im = new Float64Array(N * N);
  let mean = 0;
  for (const v of g) mean += v;
  mean /= g.length;
  const hann = (n: number, L: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (n + 0.5)) / L);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) re[y * N + x] = (g[y * w + x]! - mean) * hann(x, w) * hann(y, h);
  fft2(re, im, N, N);
  const fMin = 1 / (MAX_PERIOD_IPD * ipd), fMax = 1 / (MIN_PERIOD_IPD * ipd);
  const bins: Array<{ p: number; ring: number; f: number }> = [];
  for (let v = 0; v <= N / 2; v++) for (let u = -N / 2 + 1; u <= N / 2; u++) {
    if (v === 0 && u <= 0) continue; // half plane (the spectrum is symmetric)
    const f = Math.hypot(u, v) / N;
    if (f < fMin || f > fMax) continue;
    const i = ((v + N) % N) * N + ((u + N) % N);
    bins.push({ p: re[i]! ** 2 + im[i]! ** 2, ring: Math.round(f * N), f });
  }
  if (bins.length < 8) return null;
  const med = median(bins.map((b) => b.p));
  const rings = new Map<number, number[]>();
  for (const b of bins) rings.set(b.ring, [...(rings.get(b.ring) ?? []), b.p]);
  const ringMed = new Map([...rings].map(([k, v]) => [k, median(v)]));
  let peak = 0, ringPeak = 0, period = Number.NaN;
  for (const b of bins) {
    peak = Math.max(peak, b.p / (med + 1e-12));
    const rp = b.p / ((ringMed.get(b.ring) ?? 0) + 1e-12);
    if (rp > ringPeak) { ringPeak = rp; period = 1 / b.f; }
  }
  return { peak, ringPeak, period };
}

/** fabric.ts's patches of `face`, measured three ways; null when the face box falls outside the original. */
export async function fullResFabric(bytes: Uint8Array, image: DecodedImage, face: DetectedFace): Promise<FullResFabric | null> {
  const cut = await fabricPatches(bytes, image, face);
  if (!cut) return null;
  const results = cut.patches.flatMap((p) => {
    const sp = spectrum(p, FABRIC_IPD_PX);
    return sp ? [{ name: p.name, ...sp, acf: patchPeriodicity(p) }] : [];
  });
  if (results.length === 0) return null;
  const fh = results.find((r) => r.name === 'forehead');
  return {
    nativeIpd: cut.nativeInterPupilPx,
    peak: median(results.map((r) => r.peak)),
    ringPeak: median(results.map((r) => r.ringPeak)),
    acf: median(results.map((r) => r.acf)),
    foreheadPeriodPx: fh ? fh.period : null,
    patches: results.length,
  };
}
