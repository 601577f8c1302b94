/**
 * Photos are made smaller in the page before upload: a phone's 12 MP still is 3–6 MB of JPEG (4–8
 * MB as base64), the engines never look at more than a 1600-px (documents) or 1280-px (faces) long
 * side (src/server/vision/document/config.ts, face/config.ts `workingMaxSidePx`). The page sends
 * at most `UPLOAD_MAX_SIDE_PX` on the long side (a margin over the engines' sizes, and enough for a
 * reviewer's zoom), JPEG at `UPLOAD_JPEG_QUALITY`; when that is still above `UPLOAD_TARGET_BYTES`
 * (very detailed or noisy photos) the quality, then the size, steps down until it fits.
 * Accuracy measured on the evaluation sets, downscaled the same way: docs/web-enrolment.md.
 * A photo already small enough is sent as it is; one the browser cannot decode is sent as it is
 * too (the server's verdict decides).
 */

/** Long side of the uploaded photo, px. Lower: smaller uploads, less detail for the engines. */
export const UPLOAD_MAX_SIDE_PX = 2048;
/** JPEG quality of the uploaded photo. */
export const UPLOAD_JPEG_QUALITY = 0.9;
/**
 * Largest JPEG the page aims to send, bytes: 440 000 bytes are ≈ 587 000 as base64, so the
 * request stays ≤ 600 KB.
 */
export const UPLOAD_TARGET_BYTES = 440_000;

/** The qualities and scales tried, in order, until the JPEG fits UPLOAD_TARGET_BYTES. */
const STEPS: readonly { quality: number; scale: number }[] = [
  { quality: UPLOAD_JPEG_QUALITY, scale: 1 },
  { quality: 0.85, scale: 1 },
  { quality: 0.85, scale: 0.85 },
  { quality: 0.85, scale: 0.7 },
  { quality: 0.8, scale: 0.6 },
];

/** Width and height fitting `maxSide` on the long side (never enlarged). */
export function fitInside(width: number, height: number, maxSide: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const k = maxSide / long;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

const SENDABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

export async function prepareUpload(photo: Blob): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    // EXIF orientation applied: the pixels drawn are upright, as the server would turn them.
    bitmap = await createImageBitmap(photo, { imageOrientation: 'from-image' });
  } catch {
    return photo;
  }
  try {
    const long = Math.max(bitmap.width, bitmap.height);
    if (long <= UPLOAD_MAX_SIDE_PX && photo.size <= UPLOAD_TARGET_BYTES && SENDABLE.has(photo.type)) return photo;
    let best: Blob | null = null;
    for (const step of STEPS) {
      const size = fitInside(bitmap.width, bitmap.height, Math.round(UPLOAD_MAX_SIDE_PX * step.scale));
      const canvas = document.createElement('canvas');
      canvas.width = size.width;
      canvas.height = size.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) return photo;
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, size.width, size.height);
      const jpeg = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', step.quality));
      if (!jpeg) return photo;
      best = jpeg;
      if (jpeg.size <= UPLOAD_TARGET_BYTES) break;
    }
    return best && best.size < photo.size ? best : photo;
  } finally {
    bitmap.close();
  }
}
