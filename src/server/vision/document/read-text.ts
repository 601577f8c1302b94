/**
 * One OCR pass over the page that recognises only the lines the engine needs. Text detection is
 * cheap (one network run on a ≤ 960-px copy); recognition costs one run per line and a document
 * side carries 20–50 lines, most of them small field labels. The classifier needs the large
 * lines (headers, country names) and the MRZ reader needs the long ones (MRZ lines), so only those
 * are read; every detected line is still returned (unread ones with empty text) so the MRZ
 * locator sees the full geometry.
 *
 * Orientation as in ocr.readLines (orientForReading): the dominant direction of the long boxes,
 * elongated boxes across it read their own way, the 0°/180° classifier's vote on each group's
 * longest lines.
 */
import type { DecodedImage } from '../decode-image.js';
import { orientForReading, type DetectOptions, type Ocr, type TextLine } from '../ocr/index.js';
import { quadToRect, rectToQuad } from '../ocr/geometry.js';
import { quadBounds } from '../ocr/image.js';

export interface TextBudget {
  /** Lines at least this many times longer than high are read (MRZ lines and their pieces). */
  longLineMinAspect: number;
  /** At most this many long lines are read (longest first). */
  maxLongLines: number;
  /** The this-many tallest other lines are read (headers and names are printed large). */
  maxTallLines: number;
  /** … among those at least this many times wider than high (shorter boxes are fragments). */
  tallLineMinAspect: number;
}

export interface DocumentText {
  /** Every detected line in reading order; unread ones have text '' and confidence 0. */
  lines: TextLine[];
  detected: number;
  recognised: number;
}

/** Find, orient and order every text line; none is read yet (text '', confidence 0). */
export async function detectDocumentText(ocr: Ocr, image: DecodedImage, detect: DetectOptions = {}): Promise<DocumentText> {
  const boxes = await ocr.detect(image, detect);
  if (boxes.length === 0) return { lines: [], detected: 0, recognised: 0 };
  const rects = await orientForReading(ocr, image, boxes.map((b) => b.rect));
  const lines: TextLine[] = rects.map((r) => {
    const quad = rectToQuad(r);
    return {
      text: '',
      confidence: 0,
      box: quadBounds(quad, image.width, image.height),
      angle: Math.round(((r.angle * 180) / Math.PI) * 10) / 10,
      quad,
    };
  });
  return { lines, detected: lines.length, recognised: 0 };
}

/**
 * Read, in place, the still-unread lines of one kind: 'long' = width ≥ longLineMinAspect ×
 * height, at most maxLongLines, longest first (MRZ lines and their pieces); 'tall' = the
 * maxTallLines tallest of those at least tallLineMinAspect × wider than high (headers and country
 * names are printed large). With `framesFor`, each read keeps the recogniser's per-step output
 * over that alphabet (`TextLine.frames`: the MRZ decoder reads the long lines' evidence from it).
 */
export async function readTextLines(ocr: Ocr, image: DecodedImage, text: DocumentText, kind: 'long' | 'tall', budget: TextBudget, options: { framesFor?: string } = {}): Promise<void> {
  const unread = text.lines.map((l, i) => ({ i, r: quadToRect(l.quad!) })).filter(({ i }) => text.lines[i]!.confidence === 0 && text.lines[i]!.text === '');
  const todo =
    kind === 'long'
      ? unread.filter(({ r }) => r.width >= budget.longLineMinAspect * r.height).sort((a, b) => b.r.width - a.r.width).slice(0, budget.maxLongLines)
      : // Headers and names are lines: a box under tallLineMinAspect × its height is a fragment
        // (a digit, a stamp, part of the portrait) that would take a slot from a real line.
        unread
          .filter(({ r }) => r.width >= budget.tallLineMinAspect * r.height)
          .sort((a, b) => b.r.height - a.r.height)
          .slice(0, budget.maxTallLines);
  if (todo.length === 0) return;
  const reads = await ocr.recognize(image, todo.map(({ i }) => text.lines[i]!.quad!), { framesFor: options.framesFor });
  todo.forEach(({ i }, k) => {
    const line = text.lines[i]!;
    // An empty read keeps confidence > 0 so the line is not read again.
    text.lines[i] = {
      ...line,
      text: reads[k]!.text,
      confidence: Math.max(reads[k]!.confidence, 1e-6),
      chars: reads[k]!.chars.map((c) => ({ char: c.char, p: c.p })),
      ...(reads[k]!.frames ? { frames: reads[k]!.frames } : {}),
    };
  });
  text.recognised += todo.length;
}
