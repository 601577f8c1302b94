/**
 * Why a refused document photo failed, in terms the applicant can act on. Computed only for a
 * refused side (DOCUMENT_NOT_RECOGNIZED, FACE_QUALITY_LOW), from the working image and the text
 * lines the OCR already found — a few milliseconds, no model.
 *
 * Measures, on a grey copy of the document region (the box around the detected text lines, or the
 * whole image when there are too few):
 * - `brightness`: the region's 95th-percentile luminance (0–255): the white of the paper. A photo
 *   taken in the dark has no white.
 * - `glare`: share of clipped, colourless pixels (luminance ≥ 250, channel spread ≤ 24) in the
 *   region, and in its worst cell of a 6 × 4 grid. A reflection is a bright spot: one cell mostly
 *   clipped while the region as a whole is not (a scan's white paper is clipped everywhere).
 * - `edgeWidthPx`: how wide the region's sharpest edges are, px of the working image — contrast
 *   (98th − 2nd percentile of luminance) over the 99.5th percentile of the gradient magnitude.
 *   Printed text photographed in focus has edges 1–2 px wide; defocus and motion widen them.
 *   Relative to the text height (`edgeWidthPerTextHeight`), so large text is not called blurry.
 * - `textHeightPx`: median height of the detected text lines, px of the ORIGINAL image; and
 *   `regionShare`, the share of the image the text region covers. A document far from the camera
 *   has small text in a small part of the frame.
 *
 * The thresholds (`CAPTURE_ADVICE`) were set on the committed specimens photographed synthetically
 * (test/vision/document-capture-advice.test.ts makes them: sharp, Gaussian blur σ 2 and 3.5,
 * darkened to 12 %, a glare spot, the card at 12 % of a 12 MP frame) and checked against the dev
 * set's 15 documents (all readable: none gets an advice) and non-document photos (no text:
 * NO_DOCUMENT). The advice is a hint for the applicant, never a verdict: it is computed only for
 * a side already refused.
 */
import type { DecodedImage } from '../decode-image.js';
import { hasGlare, histogramPercentile, isTooDark, LIGHT_RULES, worstCellShare } from '../../../shared/capture-light.js';
import type { CaptureAdvice } from '../../../shared/embed.js';
import type { TextLine } from '../ocr/index.js';

// The codes are the web page's too (it turns them into sentences): one list, in shared/embed.ts.
export type { CaptureAdvice } from '../../../shared/embed.js';

export interface ImageQuality {
  textLines: number;
  brightness: number;
  /** 80th-percentile luminance of the region, 0–255: the paper's own white. */
  paperWhite: number;
  glareShare: number;
  glareWorstCellShare: number;
  edgeWidthPx: number;
  edgeWidthPerTextHeight: number | null;
  textHeightPx: number | null;
  regionShare: number;
}

export const CAPTURE_ADVICE = {
  /** Fewer detected text lines than this: no document in view. Stricter (more NO_DOCUMENT): higher. */
  minTextLines: 4,
  /** Light (too dark, a reflection): the rules the capture page's live hint uses too
   * (shared/capture-light.ts). */
  ...LIGHT_RULES,
  /** Blurry: edges wider than this (px of the working image; sharp print: 1.5–2.7 on the dev set
   * and specimens, Gaussian blur σ 2 on a 12 MP photo: 5.7–6.3) … Stricter (more BLURRY): lower. */
  maxEdgeWidthPx: 4.5,
  /** … and wider than this share of the text height (large text tolerates wider edges). */
  maxEdgeWidthPerTextHeight: 0.12,
  /** With too few text lines to judge a document: edges wider than this (px of the working image)
   * mean the photo is out of focus, not empty. A document blurred until its text is no longer
   * found (Gaussian σ 7–12) has edges 17–30 px wide; sharp photos of faces, groups and
   * landscapes without a document 4–8.5 px. Stricter (more BLURRY): lower. */
  blurryWithoutTextEdgePx: 12,
  /** Median text height below this (px of the original image): too far. Stricter: higher. */
  minTextHeightPx: 9,
  /** Text region covering less than this share of the image: too far. Stricter: higher. */
  minRegionShare: 0.08,
} as const;

/** Long side of the grey copy the measures run on, px. */
const ANALYSIS_SIDE_PX = 800;

export function judgeCapture(image: DecodedImage, lines: readonly TextLine[]): { quality: ImageQuality; advice: CaptureAdvice | null } {
  const k = Math.min(1, ANALYSIS_SIDE_PX / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * k));
  const h = Math.max(1, Math.round(image.height * k));
  const { grey, clipped } = greyCopy(image, w, h);

  const boxes = lines.map((l) => l.box).filter((b) => b.width > 0 && b.height > 0);
  let x0 = 0;
  let y0 = 0;
  let x1 = w;
  let y1 = h;
  if (boxes.length >= CAPTURE_ADVICE.minTextLines) {
    const pad = 0.05 * Math.max(w, h);
    x0 = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.x)) * k - pad));
    y0 = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.y)) * k - pad));
    x1 = Math.min(w, Math.ceil(Math.max(...boxes.map((b) => b.x + b.width)) * k + pad));
    y1 = Math.min(h, Math.ceil(Math.max(...boxes.map((b) => b.y + b.height)) * k + pad));
  }
  const rw = Math.max(1, x1 - x0);
  const rh = Math.max(1, y1 - y0);

  const hist = new Uint32Array(256);
  let clippedCount = 0;
  const { gridColumns: cols, gridRows: rows } = LIGHT_RULES;
  const cells = new Uint32Array(cols * rows);
  const cellTotals = new Uint32Array(cols * rows);
  for (let y = y0; y < y1; y++) {
    const cy = Math.min(rows - 1, Math.floor(((y - y0) * rows) / rh));
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      hist[grey[i]!]!++;
      const cell = cy * cols + Math.min(cols - 1, Math.floor(((x - x0) * cols) / rw));
      cellTotals[cell]!++;
      if (clipped[i]) {
        clippedCount++;
        cells[cell]!++;
      }
    }
  }
  const n = rw * rh;
  const pct = (q: number) => histogramPercentile(hist, n, q);
  const brightness = pct(0.95);
  const contrast = Math.max(1, pct(0.98) - pct(0.02));
  const worstCell = worstCellShare(cells, cellTotals);

  // Gradient magnitude (central differences) over the region; its 99.5th percentile.
  const gHist = new Uint32Array(1024);
  let gCount = 0;
  for (let y = Math.max(1, y0); y < Math.min(h - 1, y1); y++) {
    for (let x = Math.max(1, x0); x < Math.min(w - 1, x1); x++) {
      const i = y * w + x;
      const gx = (grey[i + 1]! - grey[i - 1]!) / 2;
      const gy = (grey[i + w]! - grey[i - w]!) / 2;
      gHist[Math.min(1023, (Math.sqrt(gx * gx + gy * gy) * 4 + 0.5) | 0)]!++;
      gCount++;
    }
  }
  let acc = 0;
  let g995 = 1;
  for (let v = 0; v < 1024; v++) {
    acc += gHist[v]!;
    if (acc >= 0.995 * gCount) {
      g995 = Math.max(1, v) / 4;
      break;
    }
  }
  // Edge width in analysis pixels, then in working-image pixels.
  const edgeWidthPx = contrast / g995 / k;

  const heights = lines.map(lineHeight).filter((v) => v > 0).sort((a, b) => a - b);
  const medianHeight = heights.length ? heights[Math.floor(heights.length / 2)]! : null;
  const quality: ImageQuality = {
    textLines: lines.length,
    brightness,
    paperWhite: pct(0.8),
    glareShare: round3(clippedCount / n),
    glareWorstCellShare: round3(worstCell),
    edgeWidthPx: round3(edgeWidthPx),
    edgeWidthPerTextHeight: medianHeight ? round3(edgeWidthPx / medianHeight) : null,
    textHeightPx: medianHeight ? round3(medianHeight / image.scale) : null,
    regionShare: round3(boxes.length >= CAPTURE_ADVICE.minTextLines ? (rw * rh) / (w * h) : 0),
  };
  return { quality, advice: adviceFor(quality) };
}

/** The one thing to fix, most basic first: light, then a reflection, focus, distance, framing. */
export function adviceFor(q: ImageQuality): CaptureAdvice | null {
  const c = CAPTURE_ADVICE;
  if (isTooDark(q)) return 'TOO_DARK';
  if (q.textLines < c.minTextLines) return q.edgeWidthPx > c.blurryWithoutTextEdgePx ? 'BLURRY' : 'NO_DOCUMENT';
  if ((q.textHeightPx !== null && q.textHeightPx < c.minTextHeightPx) || q.regionShare < c.minRegionShare) return 'TOO_FAR';
  // A reflection is a clipped spot on paper that is otherwise not clipped (a scan's paper is
  // clipped everywhere, and is not glare).
  if (hasGlare(q)) return 'GLARE';
  if (q.edgeWidthPx > c.maxEdgeWidthPx && (q.edgeWidthPerTextHeight === null || q.edgeWidthPerTextHeight > c.maxEdgeWidthPerTextHeight)) return 'BLURRY';
  return null;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** A line's height across its reading direction, px of the working image. */
function lineHeight(l: TextLine): number {
  if (!l.quad) return Math.min(l.box.width, l.box.height);
  const [a, , , d] = l.quad;
  return Math.hypot(d.x - a.x, d.y - a.y);
}

/** Grey (BT.601 luma) copy at w × h (mean of up to 2 × 2 source pixels each), and which pixels are
 * clipped colourless. */
function greyCopy(image: DecodedImage, w: number, h: number): { grey: Uint8Array; clipped: Uint8Array } {
  const grey = new Uint8Array(w * h);
  const clipped = new Uint8Array(w * h);
  const sx = image.width / w;
  const sy = image.height / h;
  const { rgb, width } = image;
  for (let y = 0; y < h; y++) {
    const ya = Math.floor(y * sy);
    const yb = Math.min(ya + 2, Math.max(ya + 1, Math.floor((y + 1) * sy)));
    for (let x = 0; x < w; x++) {
      const xa = Math.floor(x * sx);
      const xb = Math.min(xa + 2, Math.max(xa + 1, Math.floor((x + 1) * sx)));
      let sum = 0;
      let count = 0;
      let clip = 0;
      for (let yy = ya; yy < yb; yy++) {
        for (let xx = xa; xx < xb; xx++) {
          const p = (yy * width + xx) * 3;
          const r = rgb[p]!;
          const g = rgb[p + 1]!;
          const b = rgb[p + 2]!;
          const l = (r * 77 + g * 150 + b * 29) >> 8;
          sum += l;
          count++;
          if (l >= LIGHT_RULES.clippedMinLuma && Math.max(r, g, b) - Math.min(r, g, b) <= LIGHT_RULES.clippedMaxSpread) clip++;
        }
      }
      grey[y * w + x] = Math.round(sum / count);
      clipped[y * w + x] = clip * 2 > count ? 1 : 0;
    }
  }
  return { grey, clipped };
}
