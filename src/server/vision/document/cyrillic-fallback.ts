/**
 * Cyrillic fallback of the printed-text rule (docs/vision-documents.md "Cyrillic headers"): the
 * PaddleOCR recogniser cannot read Cyrillic, so a side whose only clue is a Cyrillic header or
 * country name ("УКРАЇНА", "РЕСПУБЛИКА БЕЛАРУСЬ") would not be recognised. When nothing else
 * classified the side, the few tallest text lines (headers are printed large) are read again with
 * the Cyrillic reader (ocr/cyrillic.ts) and those reads replace the Latin ones in the evidence, so
 * classify.ts matches them against the same tables with the same tolerance.
 */
import type { RgbImage, TextLine } from '../ocr/index.js';
import { loadCyrillicReader } from '../ocr/cyrillic.js';
import { quadToRect } from '../ocr/geometry.js';
import type { TextEvidence } from './classify.js';

export const CYRILLIC_FALLBACK = {
  /**
   * The this-many tallest detected lines are read (≈ 30–60 ms each on one core). A card front
   * prints its header and country name as its largest text; more lines: slower, more chances to
   * find a name printed small.
   */
  maxLines: 4,
  /**
   * A read replaces the line's Latin read only when at least this fraction of its letters are
   * Cyrillic (a Latin line read with the Ukrainian model comes out as Latin look-alikes or
   * noise). 0–1; stricter: higher.
   */
  minCyrillicLetterShare: 0.5,
} as const;

export interface CyrillicFallbackResult {
  /** `text` with the accepted Cyrillic reads in place of the Latin ones (same order, same boxes). */
  text: TextEvidence[];
  /** Every line read, by index into `text`, with whether it was accepted. */
  reads: Array<{ line: number; text: string; confidence: number; accepted: boolean }>;
}

/** Share of the letters of `s` that are Cyrillic (0 when it has no letter). */
export function cyrillicLetterShare(s: string): number {
  const letters = s.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 0;
  return letters.filter((c) => /\p{Script=Cyrillic}/u.test(c)).length / letters.length;
}

/** Read the tallest lines with the Cyrillic reader; `text[i]` must describe `lines[i]`. */
export async function cyrillicFallback(image: RgbImage, lines: readonly TextLine[], text: readonly TextEvidence[]): Promise<CyrillicFallbackResult> {
  const tallest = lines
    .map((l, i) => ({ i, quad: l.quad }))
    .filter((x): x is { i: number; quad: NonNullable<TextLine['quad']> } => x.quad !== undefined)
    .sort((a, b) => quadToRect(b.quad).height - quadToRect(a.quad).height)
    .slice(0, CYRILLIC_FALLBACK.maxLines);
  const out = [...text];
  if (tallest.length === 0) return { text: out, reads: [] };
  const reader = await loadCyrillicReader();
  const reads = await reader.readLines(image, tallest.map((x) => x.quad));
  const report = tallest.map(({ i }, k) => {
    const r = reads[k]!;
    const accepted = cyrillicLetterShare(r.text) >= CYRILLIC_FALLBACK.minCyrillicLetterShare;
    if (accepted) out[i] = { ...out[i]!, text: r.text, confidence: r.confidence };
    return { line: i, text: r.text, confidence: Math.round(r.confidence * 100) / 100, accepted };
  });
  return { text: out, reads: report };
}
