/**
 * Read the MRZ of a photo: locate the band among the detected text lines, re-read its lines with
 * the recogniser restricted to the MRZ alphabet (both ways round: an upside-down read fails its
 * check digits), repair filler runs to the format's fixed line length, and parse.
 */
import type { DecodedImage } from '../decode-image.js';
import type { Box } from '../contract.js';
import type { Ocr, Quad, RgbImage, TextLine, Recognition } from '../ocr/index.js';
import { quadToRect, rectToQuad } from '../ocr/geometry.js';
import { quadBounds } from '../ocr/image.js';
import { classMap, LAYOUTS, type Layout, type MrzFormat } from './layout.js';
import { parseMrz, TO_DIGIT, TO_LETTER, type ParsedMrz } from './parse.js';
import { findMrzBlocks, mergeCollinear, type MrzBlock } from './locate.js';
import { MRZ_ALPHABET, MRZ_DEFAULTS } from './config.js';

export interface MrzReading extends ParsedMrz {
  /** Axis-aligned box around the MRZ band, pixels of the image given to readMrz. */
  box: Box;
  /** Corners of the band in reading order (top-left, top-right, bottom-right, bottom-left as read). */
  quad: Quad;
  /** Reading direction of the MRZ, degrees clockwise: 0 upright, 90 page top pointing right,
   * 180 upside down, -90 page top pointing left. */
  rotation: number;
  /** What the recogniser returned for each line, before length repair and corrections. */
  rawLines: string[];
  /** Mean character probability of the MRZ reads, 0–1. */
  confidence: number;
  /** Every text line found in the image (reused by the document classifier). */
  textLines: TextLine[];
}

export interface ReadMrzHint {
  /** Text lines already read from this same image (with quads), to avoid a second OCR pass. */
  lines?: TextLine[];
}

interface Candidate {
  parsed: ParsedMrz;
  rank: number[];
  raw: string[];
  quads: Quad[];
  confidence: number;
}

/** Find and read the MRZ; null when the image has none that could be read. */
export async function readMrz(ocr: Ocr, image: DecodedImage | RgbImage, hint?: ReadMrzHint): Promise<MrzReading | null> {
  const rgb: RgbImage = { rgb: image.rgb, width: image.width, height: image.height };
  const textLines = hint?.lines ?? (await ocr.readLines(rgb));
  const merged = mergeCollinear(textLines);
  const blocks = findMrzBlocks(merged).slice(0, 4);
  let best: Candidate | null = null;
  for (const block of blocks) {
    const cand = await readBlock(ocr, rgb, block);
    if (cand && (!best || compareRank(cand.rank, best.rank) > 0)) best = cand;
    if (best?.parsed.valid) break;
  }
  if (!best || !plausible(best)) return null;
  const bandQuad = bandOf(best.quads);
  const rect = quadToRect(bandQuad);
  return {
    ...best.parsed,
    box: quadBounds(bandQuad, rgb.width, rgb.height),
    quad: bandQuad,
    rotation: Math.round((rect.angle * 180) / Math.PI),
    rawLines: best.raw,
    confidence: best.confidence,
    textLines,
  };
}

/** Enough to report: a check digit verifies, or nearly every character fits its position. */
function plausible(c: Candidate): boolean {
  const checks = Object.values(c.parsed.fields.checks);
  const anyCheck = checks.some((x) => x.valid);
  const total = c.parsed.lines.reduce((s, l) => s + l.length, 0);
  return anyCheck || c.parsed.fields.badCharacters.length <= total * 0.1;
}

function padQuad(q: Quad): Quad {
  const r = quadToRect(q);
  return rectToQuad({
    ...r,
    width: r.width + 2 * MRZ_DEFAULTS.readPadEndsRatio * r.height,
    height: r.height * (1 + 2 * MRZ_DEFAULTS.readPadSidesRatio),
  });
}

const flipQuad = (q: Quad): Quad => [q[2], q[3], q[0], q[1]];

async function readBlock(ocr: Ocr, image: RgbImage, block: MrzBlock): Promise<Candidate | null> {
  const forward = block.lines.map((l) => padQuad(l.quad));
  const backward = [...forward].reverse().map(flipQuad);
  const reads = await ocr.recognize(image, [...forward, ...backward], { alphabet: MRZ_ALPHABET });
  const n = forward.length;
  let best: Candidate | null = null;
  for (const [quads, rs] of [
    [forward, reads.slice(0, n)],
    [backward, reads.slice(n)],
  ] as const) {
    const cand = bestParse(rs as Recognition[], quads as Quad[]);
    if (cand && (!best || compareRank(cand.rank, best.rank) > 0)) best = cand;
  }
  return best;
}

/** Formats a block of this many lines, of about this length, may be. */
function formatsFor(lineCount: number, meanLength: number): MrzFormat[] {
  const tol = MRZ_DEFAULTS.maxLengthRepair;
  if (lineCount === 3) return Math.abs(meanLength - 30) <= tol ? ['TD1'] : [];
  if (lineCount !== 2) return [];
  const out: MrzFormat[] = [];
  if (Math.abs(meanLength - 44) <= tol) out.push('TD3');
  if (Math.abs(meanLength - 36) <= tol) out.push('TD2');
  return out;
}

function bestParse(reads: Recognition[], quads: Quad[]): Candidate | null {
  const raw = reads.map((r) => r.text);
  const confidence = reads.reduce((s, r) => s + r.confidence, 0) / Math.max(1, reads.length);
  const mean = raw.reduce((s, l) => s + l.length, 0) / Math.max(1, raw.length);
  let best: Candidate | null = null;
  for (const format of formatsFor(raw.length, mean)) {
    // The visa layouts differ from TD2/TD3 only after the expiry date; parseMrz picks by the code.
    const layout = LAYOUTS[format];
    const perLine = raw.map((line, i) => repairLine(line, layout, i));
    for (const combo of combos(perLine, 12)) {
      let parsed: ParsedMrz;
      try {
        parsed = parseMrz(combo.lines);
      } catch {
        continue;
      }
      const checks = Object.values(parsed.fields.checks);
      const rank = [
        parsed.valid ? 1 : 0,
        checks.filter((c) => c.valid).length,
        -parsed.fields.badCharacters.length,
        -combo.cost,
        -parsed.fields.corrections.length,
      ];
      if (!best || compareRank(rank, best.rank) > 0) best = { parsed, rank, raw, quads, confidence };
    }
  }
  return best;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

interface LineOption {
  text: string;
  /** Length repairs + class misfits; lower is better. */
  cost: number;
}

/**
 * Candidate versions of one read line at the format's length: filler runs (`<<<…`) lengthened or
 * shortened (OCR drops or repeats fillers inside long runs), or a filler tail added/trimmed.
 * Only runs of fillers change, never letters or digits.
 */
export function repairLine(read: string, layout: Layout, lineIndex: number): LineOption[] {
  const L = layout.lineLength;
  const classes = classMap(layout)[lineIndex]!;
  const diff = L - read.length;
  const options = new Set<string>();
  if (diff === 0) options.add(read);
  if (Math.abs(diff) <= MRZ_DEFAULTS.maxLengthRepair) {
    const runs: [number, number][] = [];
    const re = /<+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(read))) runs.push([m.index, m[0].length]);
    const resize = (s: string, runsToChange: [number, number][], deltas: number[]): string | null => {
      let out = s;
      // From the right so earlier indices stay valid.
      const order = runsToChange.map((r, k) => ({ r, d: deltas[k]! })).sort((a, b) => b.r[0] - a.r[0]);
      for (const { r, d } of order) {
        const len = r[1] + d;
        if (len < 1) return null;
        out = out.slice(0, r[0]) + '<'.repeat(len) + out.slice(r[0] + r[1]);
      }
      return out;
    };
    if (diff !== 0) {
      for (const r of runs) {
        const s = resize(read, [r], [diff]);
        if (s) options.add(s);
      }
      for (let a = 0; a < runs.length; a++) {
        for (let b = a + 1; b < runs.length; b++) {
          for (let d1 = -2; d1 <= 2; d1++) {
            const d2 = diff - d1;
            if (d1 === 0 || d2 === 0 || Math.abs(d2) > 2) continue;
            const s = resize(read, [runs[a]!, runs[b]!], [d1, d2]);
            if (s) options.add(s);
          }
        }
      }
      options.add(diff > 0 ? read + '<'.repeat(diff) : read.slice(0, L));
    }
  }
  const scored = [...options]
    .filter((s) => s.length === L)
    .map((text) => ({ text, cost: Math.abs(diff) + misfit(text, classes) }));
  scored.sort((a, b) => a.cost - b.cost);
  return scored.slice(0, 6);
}

/** How badly characters sit in their positions: look-alikes cost ½, impossible characters 1. */
function misfit(text: string, classes: string[]): number {
  let cost = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const cls = classes[i];
    if (cls === 'digit') cost += /[0-9<]/.test(ch) ? 0 : TO_DIGIT[ch] ? 0.5 : 1;
    else if (cls === 'alpha' || cls === 'name') cost += /[A-Z<]/.test(ch) ? 0 : TO_LETTER[ch] ? 0.5 : 1;
    else if (cls === 'sex') cost += /[MFX<]/.test(ch) ? 0 : 1;
  }
  return cost;
}

/** Cheapest combinations of one option per line. */
function combos(perLine: LineOption[][], limit: number): { lines: string[]; cost: number }[] {
  let acc: { lines: string[]; cost: number }[] = [{ lines: [], cost: 0 }];
  for (const opts of perLine) {
    const next: { lines: string[]; cost: number }[] = [];
    for (const a of acc) for (const o of opts) next.push({ lines: [...a.lines, o.text], cost: a.cost + o.cost });
    next.sort((x, y) => x.cost - y.cost);
    acc = next.slice(0, limit);
  }
  return acc;
}

/** Quad around all line quads (first line's top edge to last line's bottom edge). */
function bandOf(quads: Quad[]): Quad {
  const first = quads[0]!;
  const last = quads[quads.length - 1]!;
  return [first[0], first[1], last[2], last[3]];
}
