/**
 * Guided capture: while the applicant frames the photo, the page watches the guide region of the
 * preview twice a second (with the light hint, live-light.ts) for **steadiness** — the mean
 * absolute difference of two 48 × 30 grey thumbnails of the region, one check apart — and shows
 * "Hold the camera still" while it moves. When the light is right, (document steps) a document is
 * seen in the frame (live-document.ts), and the picture has stayed still for
 * `AUTO_CAPTURE_STEADY_CHECKS` checks in a row (≈ 2 s), the photo is taken
 * automatically (said on screen and in the polite live region first); "Take photo" stays.
 *
 * Threshold (`STEADY_MAX_MAD`, luma levels 0–255), measured on the real and real2 document images
 * (52 usable) by a script that shifts each card between two thumbnails: sensor-like noise
 * (σ 2 and 4 levels per thumbnail pixel, more than a downscaled preview keeps) gives 2.3 and 4.7;
 * a shift of 2 % of the region's width gives 6.4 at the 5th percentile, 11.0 at the median; 1 %:
 * 4.4 / 6.8. The threshold 6 lets noise through and calls ≥ 2 % moves "moving" for ~95 % of
 * documents (docs/web-enrolment.md "Guided capture").
 */
import { LIVE_CHECK_INTERVAL_MS, previewGuideRegion } from './live-light.js';

/** Thumbnail the steadiness is measured on, px. */
export const GUIDE_THUMB_W = 48;
export const GUIDE_THUMB_H = 30;
/** Largest mean absolute luma difference between two checks still called steady. Higher: more lenient. */
export const STEADY_MAX_MAD = 6;
/** Steady checks in a row (with no light hint) before the photo is taken automatically. */
export const AUTO_CAPTURE_STEADY_CHECKS = 4;

/** Grey (BT.601 luma) thumbnail of an RGBA image, by area averaging. */
export function greyThumb(rgba: Uint8ClampedArray | Uint8Array, w: number, h: number, tw = GUIDE_THUMB_W, th = GUIDE_THUMB_H): Float32Array {
  const out = new Float32Array(tw * th);
  const count = new Float32Array(tw * th);
  for (let y = 0; y < h; y++) {
    const ty = Math.min(th - 1, Math.floor((y * th) / h));
    for (let x = 0; x < w; x++) {
      const tx = Math.min(tw - 1, Math.floor((x * tw) / w));
      const i = (y * w + x) * 4;
      out[ty * tw + tx]! += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
      count[ty * tw + tx]! += 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = count[i]! > 0 ? out[i]! / count[i]! : 0;
  return out;
}

export function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) return Infinity;
  let t = 0;
  for (let i = 0; i < a.length; i++) t += Math.abs(a[i]! - b[i]!);
  return t / a.length;
}

export type GuideState = 'moving' | 'steady' | 'capture';

/**
 * Follows the checks: `moving` while the picture moves; `steady` while it is still but not for
 * long enough (or the light is wrong, or — document steps — no document is seen in the frame,
 * live-document.ts); `capture` once, after `need` steady checks in a row with the light right and
 * the subject framed. After `capture` it answers `steady` (one automatic photo per screen).
 */
export function autoCaptureFollower(need = AUTO_CAPTURE_STEADY_CHECKS): (check: { mad: number; lightOk: boolean; framed?: boolean }) => GuideState {
  let run = 0;
  let fired = false;
  return ({ mad, lightOk, framed = true }) => {
    if (!(mad <= STEADY_MAX_MAD)) {
      run = 0;
      return 'moving';
    }
    run = lightOk && framed ? run + 1 : 0;
    if (!fired && run >= need) {
      fired = true;
      return 'capture';
    }
    return 'steady';
  };
}

/**
 * Starts the steadiness checks on the guide region of `video` (every LIVE_CHECK_INTERVAL_MS);
 * `onCheck` gets each difference to the previous check. Returns the function that stops.
 */
export function watchSteadiness(video: HTMLVideoElement, guide: HTMLElement, onCheck: (mad: number) => void): () => void {
  const canvas = document.createElement('canvas');
  canvas.width = GUIDE_THUMB_W * 2;
  canvas.height = GUIDE_THUMB_H * 2;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) return () => undefined;
  let previous: Float32Array | null = null;
  const timer = setInterval(() => {
    if (document.hidden || video.readyState < 2) return;
    const region = previewGuideRegion(video, guide);
    if (!region) return;
    try {
      g.drawImage(video, region.sx, region.sy, region.sw, region.sh, 0, 0, canvas.width, canvas.height);
      const thumb = greyThumb(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      if (previous) onCheck(meanAbsDiff(previous, thumb));
      previous = thumb;
    } catch {
      previous = null; // a frame that cannot be read: start over
    }
  }, LIVE_CHECK_INTERVAL_MS);
  return () => clearInterval(timer);
}
