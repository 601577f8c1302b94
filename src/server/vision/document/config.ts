import { DEFAULT_NAME_CHECK, type NameCheckConfig } from './viz-names.js';

/**
 * Thresholds of the document engine. Each says what it measures, its unit, and which way is
 * stricter. docs/vision-documents.md explains the rules that use them.
 */
export interface DocumentConfig {
  /** Long side of the working image the engine decodes to, px. Higher: slower, reads smaller text. */
  workingMaxSidePx: number;
  /**
   * Smallest detector score (0–1) for a face to count as a portrait. Printed portraits are small,
   * often grey and overprinted: the detector scores them 0.4–0.85 where selfies score above 0.9
   * (dev set). Stricter: higher (fewer portraits found, more FACE_QUALITY_LOW).
   */
  portraitMinScore: number;
  /**
   * Smallest portrait face height (forehead to chin, px of the ORIGINAL image) usable for face
   * recognition. Stricter: higher.
   */
  portraitMinFaceHeightPx: number;
  /**
   * Face height / MRZ line length above which a face on an MRZ side is the PRIMARY portrait (so
   * the MRZ side is the front). ICAO 9303 part 3: primary portrait 32–45 mm tall on a card whose
   * MRZ line is ~80 mm (ratio of the face proper ≈ 0.25–0.4); secondary "ghost" portraits are
   * ~10–15 mm (≈ 0.1). Higher: fewer MRZ sides called FRONT.
   */
  primaryPortraitMinRatio: number;
  /**
   * Smallest OCR confidence (0–1) of a text line used for headers and country names. Stricter:
   * higher.
   */
  textMinConfidence: number;
  /**
   * Largest edit distance allowed when matching a header or country name of ≥ 8 letters, per
   * 8 letters (OCR slips: "IDENTITV CARD"). Stricter: lower (0 = exact words only).
   */
  fuzzyEditsPer8Chars: number;
  /**
   * A side with no MRZ, no barcode and no type header is taken for a card front only if it shows a
   * national name, a portrait and at least this many text lines (a card front prints name, dates,
   * numbers; a selfie in a team shirt does not). Stricter: higher.
   */
  minTextLinesWithoutHeader: number;
  /**
   * Which detected text lines are recognised (read-text.ts): the long lines (width ≥
   * `longLineMinAspect` × height, at most `maxLongLines`, longest first: MRZ lines and their
   * pieces, whose first read lets the MRZ reader rank its candidate blocks — without it, it missed
   * 3 dev-set MRZs) and the `maxTallLines` tallest others at least `tallLineMinAspect` times wider
   * than high (headers, country names are printed large; squarer boxes are fragments). More: slower, more VIZ text in details. `readAllLines` reads every line with
   * ocr.readLines instead.
   */
  textBudget: { longLineMinAspect: number; maxLongLines: number; maxTallLines: number; tallLineMinAspect: number; readAllLines: boolean };
  /**
   * MRZ names ↔ printed names cross-check (viz-names.ts: thresholds, units, strictness there). The
   * tall text lines are read for it only when an MRZ name field is doubtful (its posterior below
   * `MRZ_DEFAULTS.doubtBelow.names`) and they were not read anyway (a passport page): only then can it change
   * anything. Where they were read (card sides) it costs nothing and always runs. `enabled: false`
   * turns it off. `secondTallRead`: when a name is still doubtful after that, the next
   * `textBudget.maxTallLines` tallest lines are read once and the names checked again (the
   * printed name may be smaller than a signature or the portrait's fragments that took the
   * first budget; costs those reads on such pages only).
   */
  nameCheck: NameCheckConfig & { enabled: boolean; secondTallRead: boolean };
  /**
   * A second look when nothing was read (no MRZ, barcode, header or national name) on an image
   * whose long side is under `maxImageSidePx` (px): the detector runs again on a copy upscaled to
   * `detMinSidePx` (px; the first look upscales small images to the OCR's 640). Costs one more
   * OCR pass on such images only. Larger `maxImageSidePx`: more images get it.
   */
  closerLook: { maxImageSidePx: number; detMinSidePx: number };
  /** For tools only: keep the recogniser's output of every read of the MRZ chosen
   * (`DocumentAnalysis.mrzReading.reads`), so decoding can be replayed without the models. */
  keepMrzReads?: boolean;
}

export const DEFAULT_DOCUMENT_CONFIG: DocumentConfig = {
  workingMaxSidePx: 1600,
  portraitMinScore: 0.3,
  portraitMinFaceHeightPx: 40,
  primaryPortraitMinRatio: 0.16,
  textMinConfidence: 0.5,
  fuzzyEditsPer8Chars: 1,
  minTextLinesWithoutHeader: 6,
  textBudget: { longLineMinAspect: 14, maxLongLines: 6, maxTallLines: 12, tallLineMinAspect: 2, readAllLines: false },
  nameCheck: { ...DEFAULT_NAME_CHECK, enabled: true, secondTallRead: true },
  closerLook: { maxImageSidePx: 1000, detMinSidePx: 960 },
};
