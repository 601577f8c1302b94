/**
 * "Is there a document in the frame?" for guided capture's document steps, on the same small
 * canvas as the light hint (live-light.ts: the guide region drawn 240 px wide twice a second).
 *
 * A document held in the guide frame brings printed edges — text, the photo's outline, the card's
 * own border — that a plain surface (an empty table, a wall, the floor) or a blurred frame does not
 * have. The measure: the region in grey at half the canvas's size (2 × 2 averages, which also
 * smooths the sensor's noise), the central-difference gradient at every pixel, and the share of
 * pixels whose gradient is at least `EDGE_MIN_GRADIENT` luma levels (BT.601, 0–255). A document
 * is there when that share reaches `DOCUMENT_MIN_EDGE_SHARE`.
 *
 * Thresholds from scripts/document-presence-calibration.ts on the real and real2 document images
 * rendered as they would sit inside the guide, against plain, noisy, shaded and blurred stand-ins
 * for "no document" (figures and limits in docs/web-enrolment.md "Guided capture"). It is a gate
 * on the automatic photo only: "Take photo" always works.
 */

/** A pixel is an edge when its gradient (max of |gx|, |gy| over two half-size pixels) is at least this. */
export const EDGE_MIN_GRADIENT = 40;
/** Share of edge pixels (0–1) from which the frame is judged to hold a document. Lower: more lenient. */
export const DOCUMENT_MIN_EDGE_SHARE = 0.03;

/** Share of edge pixels in an RGBA (or RGB) image, row by row without padding. */
export function edgeShare(pixels: ArrayLike<number>, width: number, height: number, channels: 3 | 4 = 4): number {
  const w = width >> 1;
  const h = height >> 1;
  if (w < 3 || h < 3) return 0;
  const grey = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let t = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const p = ((2 * y + dy) * width + 2 * x + dx) * channels;
          t += 0.299 * pixels[p]! + 0.587 * pixels[p + 1]! + 0.114 * pixels[p + 2]!;
        }
      }
      grey[y * w + x] = t / 4;
    }
  }
  let edges = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx = Math.abs(grey[i + 1]! - grey[i - 1]!);
      const gy = Math.abs(grey[i + w]! - grey[i - w]!);
      if (Math.max(gx, gy) >= EDGE_MIN_GRADIENT) edges++;
    }
  }
  return edges / ((w - 2) * (h - 2));
}

export const documentPresent = (share: number): boolean => share >= DOCUMENT_MIN_EDGE_SHARE;
