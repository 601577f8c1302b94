/**
 * Live light hint while the applicant frames a document or their face: twice a second, the part of
 * the preview inside the guide frame is drawn small onto a canvas and measured with the same rules
 * as the server's advice on a refused photo (shared/capture-light.ts): too dark, or (documents
 * only) a reflection on the document. A hint, never a gate: the photo can always be taken.
 *
 * Focus is not judged here: the preview is a downscaled video stream whose sharpness says little
 * about the still the camera will take (docs/web-enrolment.md "Before the photo: live hints").
 */
import { isTooDark, lightAdvice, measureLight, type LightHint } from '../shared/capture-light.js';
import { documentPresent, edgeShare } from './live-document.js';

export type { LightHint } from '../shared/capture-light.js';

/** How often the preview is measured, ms. Lower: quicker hints, more CPU on the phone. */
export const LIVE_CHECK_INTERVAL_MS = 500;
/** Consecutive measurements that must agree before the hint changes (shown or cleared): ≈ 1 s, so
 * that a passing shadow or a hand moving through the frame does not make it flicker. */
export const LIVE_CHECK_AGREE = 2;
/** Longest side of the canvas the guide region is drawn onto, px. */
export const LIVE_CHECK_SIDE_PX = 240;

/** The preview region under the guide frame, in the video's own pixels (`object-fit: cover`). */
export function guideRegion(
  video: { width: number; height: number; left: number; top: number; intrinsicWidth: number; intrinsicHeight: number },
  guide: { width: number; height: number; left: number; top: number },
): { sx: number; sy: number; sw: number; sh: number } | null {
  const { intrinsicWidth: vw, intrinsicHeight: vh } = video;
  if (vw <= 0 || vh <= 0 || video.width <= 0 || video.height <= 0) return null;
  const scale = Math.max(video.width / vw, video.height / vh);
  const offsetX = (video.width - vw * scale) / 2;
  const offsetY = (video.height - vh * scale) / 2;
  const x0 = Math.max(0, (guide.left - video.left - offsetX) / scale);
  const y0 = Math.max(0, (guide.top - video.top - offsetY) / scale);
  const x1 = Math.min(vw, (guide.left + guide.width - video.left - offsetX) / scale);
  const y1 = Math.min(vh, (guide.top + guide.height - video.top - offsetY) / scale);
  if (x1 - x0 < 8 || y1 - y0 < 8) return null;
  return { sx: x0, sy: y0, sw: x1 - x0, sh: y1 - y0 };
}

/** `guideRegion` of a playing preview and the guide frame laid over it, as the page shows them now. */
export function previewGuideRegion(video: HTMLVideoElement, guide: HTMLElement): { sx: number; sy: number; sw: number; sh: number } | null {
  const v = video.getBoundingClientRect();
  const r = guide.getBoundingClientRect();
  return guideRegion(
    { width: v.width, height: v.height, left: v.left, top: v.top, intrinsicWidth: video.videoWidth, intrinsicHeight: video.videoHeight },
    { width: r.width, height: r.height, left: r.left, top: r.top },
  );
}

/** Follows measurements and changes its answer only when `agree` in a row say the same. */
export function steadyHint<T = LightHint>(agree = LIVE_CHECK_AGREE): (seen: T | null) => { hint: T | null; changed: boolean } {
  let shown: T | null = null;
  let candidate: T | null = null;
  let run = 0;
  return (seen) => {
    if (seen === shown) {
      run = 0;
      return { hint: shown, changed: false };
    }
    run = seen === candidate ? run + 1 : 1;
    candidate = seen;
    if (run < agree) return { hint: shown, changed: false };
    shown = seen;
    run = 0;
    return { hint: shown, changed: true };
  };
}

/**
 * Starts watching; `onChange` gets the hint to show (null: none). Returns the function that stops.
 * `subject` 'face': darkness only — the glare rule looks for a reflection on paper, and a face's
 * oval holds skin, hair and background. For a document, `onDocument` (if given) hears whether the
 * same canvas holds a document (live-document.ts), when `LIVE_CHECK_AGREE` checks in a row agree
 * and it changes (first answer: after the first agreeing checks).
 */
export function watchLight(
  video: HTMLVideoElement,
  guide: HTMLElement,
  subject: 'document' | 'face',
  onChange: (hint: LightHint | null) => void,
  onDocument?: (present: boolean) => void,
): () => void {
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  if (!g) return () => undefined;
  const follow = steadyHint();
  const followDocument = steadyHint<'present' | 'absent'>();
  const timer = setInterval(() => {
    if (document.hidden || video.readyState < 2) return;
    const region = previewGuideRegion(video, guide);
    if (!region) return;
    const k = LIVE_CHECK_SIDE_PX / Math.max(region.sw, region.sh);
    const w = Math.max(1, Math.round(region.sw * k));
    const h = Math.max(1, Math.round(region.sh * k));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    try {
      g.drawImage(video, region.sx, region.sy, region.sw, region.sh, 0, 0, w, h);
      const pixels = g.getImageData(0, 0, w, h).data;
      const measures = measureLight(pixels, w, h, 4);
      const { hint, changed } = follow(subject === 'document' ? lightAdvice(measures) : isTooDark(measures) ? 'TOO_DARK' : null);
      if (changed) onChange(hint);
      if (subject === 'document' && onDocument) {
        const seen = followDocument(documentPresent(edgeShare(pixels, w, h, 4)) ? 'present' : 'absent');
        if (seen.changed) onDocument(seen.hint === 'present');
      }
    } catch {
      // A frame that cannot be read (the stream just ended): no hint from it.
    }
  }, LIVE_CHECK_INTERVAL_MS);
  return () => clearInterval(timer);
}
