/**
 * The light rules of capture advice — too dark, a reflection — in one place for both sides:
 * - the document engine's advice on a refused photo (server/vision/document/capture-advice.ts);
 * - the capture page's live hint while the applicant frames the document (web/live-light.ts).
 *
 * Both measure a document region the same way: luma (BT.601) percentiles, and the share of
 * clipped, colourless pixels over the region and in the worst cell of a 6 × 4 grid. A reflection
 * is a clipped spot on paper that is otherwise not clipped (a scan's paper is clipped everywhere,
 * and is not glare). Thresholds were set on the committed specimens photographed synthetically
 * (docs/vision-documents.md "Capture advice").
 */

import type { CaptureAdvice } from './embed.js';

export const LIGHT_RULES = {
  /** Paper white (95th-percentile luma, 0–255) below this: too dark. Stricter (more TOO_DARK): higher. */
  minBrightness: 95,
  /** A grid cell at least this share clipped (0–1) … */
  glareCellShare: 0.3,
  /** … while the whole region is clipped less than this share: a glare spot. */
  glareRegionMaxShare: 0.25,
  /** The paper's own white (80th-percentile luma) must be below this for a clipped spot to count
   * as glare: scans and renders have paper clipped everywhere. */
  maxPaperWhiteForGlare: 245,
  /** A pixel is clipped when its luma is at least this (0–255) … */
  clippedMinLuma: 250,
  /** … and its channels differ by at most this (colourless: a reflection, not a white print). */
  clippedMaxSpread: 24,
  gridColumns: 6,
  gridRows: 4,
} as const;

/** The advice codes the light rules give (shared/embed.ts CAPTURE_ADVICE). */
export type LightHint = Extract<CaptureAdvice, 'TOO_DARK' | 'GLARE'>;

export interface LightMeasures {
  /** 95th-percentile luma of the region, 0–255: the white of the paper. */
  brightness: number;
  /** 80th-percentile luma of the region, 0–255: the paper's own white. */
  paperWhite: number;
  /** Share of the region's pixels clipped and colourless, 0–1. */
  glareShare: number;
  /** The same share in the region's worst grid cell, 0–1. */
  glareWorstCellShare: number;
}

export const isTooDark = (m: LightMeasures): boolean => m.brightness < LIGHT_RULES.minBrightness;

export const hasGlare = (m: LightMeasures): boolean =>
  m.paperWhite < LIGHT_RULES.maxPaperWhiteForGlare && m.glareWorstCellShare >= LIGHT_RULES.glareCellShare && m.glareShare < LIGHT_RULES.glareRegionMaxShare;

/** The light problem to fix first, if any: light, then a reflection. */
export function lightAdvice(m: LightMeasures): LightHint | null {
  if (isTooDark(m)) return 'TOO_DARK';
  if (hasGlare(m)) return 'GLARE';
  return null;
}

/**
 * The measures over a whole pixel array: RGBA (a canvas's ImageData) or RGB, row by row without
 * padding.
 */
export function measureLight(pixels: ArrayLike<number>, width: number, height: number, channels: 3 | 4): LightMeasures {
  const { gridColumns: cols, gridRows: rows } = LIGHT_RULES;
  const hist = new Uint32Array(256);
  const cells = new Uint32Array(cols * rows);
  const cellTotals = new Uint32Array(cols * rows);
  let clipped = 0;
  for (let y = 0; y < height; y++) {
    const cy = Math.min(rows - 1, Math.floor((y * rows) / height));
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * channels;
      const r = pixels[p]!;
      const g = pixels[p + 1]!;
      const b = pixels[p + 2]!;
      const luma = (r * 77 + g * 150 + b * 29) >> 8;
      hist[luma]!++;
      const cell = cy * cols + Math.min(cols - 1, Math.floor((x * cols) / width));
      cellTotals[cell]!++;
      if (luma >= LIGHT_RULES.clippedMinLuma && Math.max(r, g, b) - Math.min(r, g, b) <= LIGHT_RULES.clippedMaxSpread) {
        clipped++;
        cells[cell]!++;
      }
    }
  }
  const n = Math.max(1, width * height);
  return {
    brightness: histogramPercentile(hist, n, 0.95),
    paperWhite: histogramPercentile(hist, n, 0.8),
    glareShare: clipped / n,
    glareWorstCellShare: worstCellShare(cells, cellTotals),
  };
}

/** The value below which a share `q` (0–1) of the `total` counts of a 256-bin histogram lie. */
export function histogramPercentile(hist: Uint32Array, total: number, q: number): number {
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v]!;
    if (acc >= q * total) return v;
  }
  return 255;
}

/** The largest clipped share over the grid's cells (cells without pixels left out). */
export function worstCellShare(clipped: Uint32Array, totals: Uint32Array): number {
  let worst = 0;
  for (let c = 0; c < clipped.length; c++) if (totals[c]! > 0) worst = Math.max(worst, clipped[c]! / totals[c]!);
  return worst;
}
