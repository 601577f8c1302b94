/**
 * Find the MRZ band among detected text lines: join the pieces of one printed line (the detector
 * often splits a name from its filler run), then look for 2–3 long, parallel, equally long lines
 * stacked at MRZ spacing.
 */
import type { CtcFrames, Quad, TextLine } from '../ocr/index.js';
import { normalizeAngle, quadToRect, rectToQuad, type RotatedRect } from '../ocr/geometry.js';
import { MRZ_DEFAULTS } from './config.js';

export interface MergedLine {
  /** Text of the pieces in reading order (no separators). */
  text: string;
  rect: RotatedRect;
  quad: Quad;
  pieces: number;
  /** No piece was recognised (text '' and confidence 0: geometry only). */
  unread?: boolean;
  /** Some pieces were recognised and some not: `text` covers only part of the line. */
  partial?: boolean;
  /** For a block's copy of a line (stretched to the block's ends): the line it was made from. */
  source?: MergedLine;
  /** A line of one piece read with its per-step output over the MRZ alphabet (TextLine.frames,
   * or the reader's probe): evidence the decoder can use before reading the line again. */
  frames?: CtcFrames;
}

export interface MrzBlock {
  /** Lines top to bottom as the quads read. */
  lines: MergedLine[];
}

const deg = (rad: number) => (rad * 180) / Math.PI;

/** Angle between two directions, ignoring 180° flips, degrees. */
function axisDiffDeg(a: number, b: number): number {
  const d = Math.abs(deg(normalizeAngle(a - b))) % 180;
  return Math.min(d, 180 - d);
}

/** Merge collinear text boxes (same direction and baseline, similar height, small gap). */
export function mergeCollinear(lines: TextLine[]): MergedLine[] {
  const items = lines
    .filter((l) => l.quad)
    .map((l) => ({ text: l.text.replace(/\s+/g, ''), rect: quadToRect(l.quad!), unread: l.text === '' && l.confidence === 0, frames: l.frames }));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (sameLine(items[i]!.rect, items[j]!.rect) && !beyondLongestLine(items[i]!, items[j]!)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, typeof items>();
  items.forEach((it, i) => {
    const g = find(i);
    const list = groups.get(g) ?? [];
    list.push(it);
    groups.set(g, list);
  });
  return [...groups.values()].map(joinPieces);
}

/** One line from collinear pieces: their union along the longest piece's direction, text in
 * reading order. */
function joinPieces(group: { text: string; rect: RotatedRect; unread?: boolean; partial?: boolean; pieces?: number; frames?: CtcFrames }[]): MergedLine {
  // Direction of the longest piece decides the reading direction of the whole line.
  const main = group.reduce((a, b) => (b.rect.width > a.rect.width ? b : a)).rect;
  const ux = Math.cos(main.angle);
  const uy = Math.sin(main.angle);
  const proj = (r: RotatedRect) => r.cx * ux + r.cy * uy;
  const perp = (r: RotatedRect) => -r.cx * uy + r.cy * ux;
  const sorted = [...group].sort((a, b) => proj(a.rect) - proj(b.rect));
  const lo = Math.min(...sorted.map((g) => proj(g.rect) - g.rect.width / 2));
  const hi = Math.max(...sorted.map((g) => proj(g.rect) + g.rect.width / 2));
  const totalW = sorted.reduce((s, g) => s + g.rect.width, 0);
  const v = sorted.reduce((s, g) => s + perp(g.rect) * g.rect.width, 0) / totalW;
  const h = sorted.reduce((s, g) => s + g.rect.height * g.rect.width, 0) / totalW;
  const u = (lo + hi) / 2;
  const rect: RotatedRect = { cx: u * ux - v * uy, cy: u * uy + v * ux, width: hi - lo, height: h, angle: main.angle };
  return {
    text: sorted.map((g) => g.text).join(''),
    rect,
    quad: rectToQuad(rect),
    pieces: sorted.reduce((s, g) => s + (g.pieces ?? 1), 0),
    unread: sorted.every((g) => g.unread === true),
    partial: sorted.some((g) => g.partial === true) || (sorted.some((g) => g.unread === true) && !sorted.every((g) => g.unread === true)),
    ...(sorted.length === 1 && sorted[0]!.frames && (sorted[0]!.pieces ?? 1) === 1 ? { frames: sorted[0]!.frames } : {}),
  };
}

/**
 * An unread piece that would make a line read as MRZ text longer than any MRZ line is something
 * printed beside it (a caption, a label), not its missing filler run: the read gives the
 * character pitch (its width over its characters), and no MRZ line holds more than 44
 * characters (`maxLineCharsBeyond` more are allowed: the pitch is measured on what was read).
 */
function beyondLongestLine(a: { text: string; rect: RotatedRect; unread: boolean }, b: { text: string; rect: RotatedRect; unread: boolean }): boolean {
  const [read, other] = a.unread ? [b, a] : [a, b];
  if (!other.unread || read.unread) return false;
  const n = read.text.toUpperCase().replace(/[^A-Z0-9<]/g, '').length;
  if (n < MRZ_DEFAULTS.minMrzLineChars || !read.text.includes('<') || mrzCharRatio(read.text) < MRZ_DEFAULTS.minMrzCharRatio) return false;
  const pitch = read.rect.width / n;
  const ux = Math.cos(read.rect.angle);
  const uy = Math.sin(read.rect.angle);
  const proj = (r: RotatedRect) => r.cx * ux + r.cy * uy;
  const lo = Math.min(proj(read.rect) - read.rect.width / 2, proj(other.rect) - other.rect.width / 2);
  const hi = Math.max(proj(read.rect) + read.rect.width / 2, proj(other.rect) + other.rect.width / 2);
  return hi - lo > (44 + MRZ_DEFAULTS.maxLineCharsBeyond) * pitch;
}

function sameLine(a: RotatedRect, b: RotatedRect): boolean {
  const cfg = MRZ_DEFAULTS;
  if (axisDiffDeg(a.angle, b.angle) > cfg.mergeMaxAngleDeg) return false;
  const h = Math.min(a.height, b.height);
  if (Math.max(a.height, b.height) / Math.max(1, h) > cfg.mergeMaxHeightRatio) return false;
  const main = a.width >= b.width ? a : b;
  const ux = Math.cos(main.angle);
  const uy = Math.sin(main.angle);
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  const along = Math.abs(dx * ux + dy * uy);
  const across = Math.abs(-dx * uy + dy * ux);
  if (across > cfg.mergeMaxOffsetRatio * h) return false;
  const gap = along - (a.width + b.width) / 2;
  return gap < cfg.mergeMaxGapRatio * h;
}

/** Share of characters in the MRZ alphabet, 0–1. */
export function mrzCharRatio(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (const ch of text.toUpperCase()) if (/[A-Z0-9<]/.test(ch)) n++;
  return n / text.length;
}

/** Could this merged line be an MRZ line, by its first read or by its shape? */
export function isCandidateLine(l: MergedLine): boolean {
  const cfg = MRZ_DEFAULTS;
  const byText = l.text.length >= cfg.minMrzLineChars && mrzCharRatio(l.text) >= cfg.minMrzCharRatio && l.text.includes('<');
  const byShape = l.rect.width / Math.max(1, l.rect.height) >= cfg.minMrzAspect;
  return byText || byShape;
}

/**
 * Blocks of 2–3 parallel, adjacent, equally long lines, best first (more lines with MRZ-like text
 * first, then evenly spaced, then longer). Every block holds at least one candidate line (its
 * seed). Its other lines are candidates sharing the seed's ends (both, or one when the shorter is
 * still ≥ `minPartialLengthRatio` of the longer), or — when the seed was read with filler evidence,
 * since every line of an MRZ is as long as the others — pieces of any parallel line of similar
 * height lying within the seed's span: the
 * detector splits lines at faint filler runs, and a piece of a TD1 line may be too short to be a
 * candidate by itself. Pieces in one row (across the line, within `mergeMaxOffsetRatio` heights)
 * are joined whatever the gap between them, and the row counts when it spans at least
 * `minPieceRowRatio` of the seed.
 */
export function findMrzBlocks(merged: MergedLine[]): MrzBlock[] {
  const cfg = MRZ_DEFAULTS;
  const cands = merged.filter(isCandidateLine);
  const blocks: MrzBlock[] = [];
  const seen = new Set<string>();
  const id = new Map<MergedLine, string>(merged.map((l, i) => [l, String(i)]));
  for (const seed of cands) {
    const ux = Math.cos(seed.rect.angle);
    const uy = Math.sin(seed.rect.angle);
    const perp = (l: MergedLine) => -l.rect.cx * uy + l.rect.cy * ux;
    const along = (l: MergedLine) => l.rect.cx * ux + l.rect.cy * uy;
    const seedStart = along(seed) - seed.rect.width / 2;
    const seedEnd = along(seed) + seed.rect.width / 2;
    // Only a seed read with filler evidence gathers pieces: a header read as text is no MRZ line,
    // and an unread long line (a signature, a guilloche) is no evidence to pull others into a block.
    const gathers = seed.text.length >= 3 && FILLER_EVIDENCE.test(seed.text.toUpperCase());
    const members = merged.filter((c) => {
      if (c === seed) return true;
      if (axisDiffDeg(c.rect.angle, seed.rect.angle) > cfg.mergeMaxAngleDeg) return false;
      const h = Math.max(c.rect.height, seed.rect.height);
      if (h / Math.max(1, Math.min(c.rect.height, seed.rect.height)) > cfg.mergeMaxHeightRatio) return false;
      const tol = cfg.maxEndGapRatio * h;
      const start = along(c) - c.rect.width / 2;
      const end = along(c) + c.rect.width / 2;
      // A piece within the seed's span (any line, read or not).
      if (gathers && start >= seedStart - tol && end <= seedEnd + tol) return true;
      if (!isCandidateLine(c)) return false;
      // MRZ lines share both margins; the detector may miss part of a filler run at either end,
      // so one shared end (within two line heights) is enough when the lengths differ.
      const startGap = Math.abs(start - seedStart);
      const endGap = Math.abs(end - seedEnd);
      const ratio = Math.min(c.rect.width, seed.rect.width) / Math.max(c.rect.width, seed.rect.width);
      if (startGap <= tol && endGap <= tol) return true;
      return (startGap <= tol || endGap <= tol) && ratio >= cfg.minPartialLengthRatio;
    });
    // Rows: members at the same place across the line are pieces of one line.
    const sorted = [...members].sort((a, b) => perp(a) - perp(b));
    const rows: MergedLine[][] = [];
    for (const m of sorted) {
      const row = rows[rows.length - 1];
      const last = row?.[row.length - 1];
      if (row && last && Math.abs(perp(m) - perp(last)) < cfg.mergeMaxOffsetRatio * Math.min(m.rect.height, last.rect.height)) row.push(m);
      else rows.push([m]);
    }
    const stack: MergedLine[] = [];
    for (const row of rows) {
      const line = row.length === 1 ? row[0]! : joinPieces(row);
      if (!row.includes(seed) && !row.some(isCandidateLine) && line.rect.width < cfg.minPieceRowRatio * seed.rect.width) continue;
      if (row.length > 1) id.set(line, row.map((l) => id.get(l)).join('+'));
      stack.push(line);
    }
    // Split the stack where the spacing is too wide, keep runs containing the seed.
    let run: MergedLine[] = [];
    const runs: MergedLine[][] = [];
    for (const c of stack) {
      const prev = run[run.length - 1];
      if (prev && perp(c) - perp(prev) > cfg.maxLineSpacingRatio * Math.max(prev.rect.height, c.rect.height)) {
        runs.push(run);
        run = [];
      }
      run.push(c);
    }
    runs.push(run);
    const mine = runs.find((r) => r.some((l) => l === seed || (id.get(l) ?? '').split('+').includes(id.get(seed)!)));
    if (!mine || mine.length < 2) continue;
    // Windows of 2 and 3 consecutive lines.
    for (const size of [3, 2]) {
      for (let k = 0; k + size <= mine.length; k++) {
        const lines = mine.slice(k, k + size);
        const key = lines.map((l) => id.get(l)).join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        blocks.push({ lines: alignEnds(lines) });
      }
    }
  }
  return rankBlocks(blocks);
}

/**
 * Best first. Lines whose first read looks like MRZ text count for a block, lines read as other
 * text against it (a header above the MRZ sharing its left margin), unread lines neither way;
 * then evenly spaced blocks, more text, and more elongated lines (as detected, before stretching).
 */
export function rankBlocks(blocks: MrzBlock[]): MrzBlock[] {
  const cfg = MRZ_DEFAULTS;
  const score = (b: MrzBlock) => {
    // MRZ text as read, or a line read upside down: its filler runs come out as `>>>`.
    const mrzLike = (l: MergedLine) => (mrzCharRatio(l.text) >= cfg.minMrzCharRatio && l.text.includes('<')) || UPSIDE_DOWN_FILLERS.test(l.text);
    const textual = b.lines.filter(mrzLike).length;
    // A line read only in part (some pieces unread) may lack its fillers: MRZ characters there are
    // no evidence against it.
    const other = b.lines.filter((l) => l.text.length >= 3 && !mrzLike(l) && !(l.partial && mrzCharRatio(l.text) >= cfg.minMrzCharRatio)).length;
    const len = b.lines.reduce((s, l) => s + l.text.length, 0);
    // Between blocks whose lines were not read: the more elongated lines first (MRZ lines are a
    // page's longest for their height), ≤ 200 so that it never outweighs the spacing or the text.
    const source = (l: MergedLine) => (l.source ?? l).rect;
    const aspect = b.lines.reduce((s, l) => s + source(l).width / Math.max(1, source(l).height), 0) / b.lines.length;
    return (textual - other) * 1000 + (evenlySpaced(b) ? 500 : 0) + len + 5 * Math.min(40, aspect);
  };
  return [...blocks].sort((a, b) => score(b) - score(a));
}

/** MRZ lines are printed at one fixed spacing (≈ 1.5–2 line heights): the spacings of a block
 * agree within 25 % and average at most `maxEvenSpacingRatio` line heights. Decides between blocks
 * whose lines were not read (text unknown). */
function evenlySpaced(b: MrzBlock): boolean {
  const r = b.lines[0]!.rect;
  const ux = Math.cos(r.angle);
  const uy = Math.sin(r.angle);
  const v = b.lines.map((l) => -l.rect.cx * uy + l.rect.cy * ux);
  const gaps = v.slice(1).map((x, i) => Math.abs(x - v[i]!));
  const h = b.lines.reduce((s, l) => s + l.rect.height, 0) / b.lines.length;
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  return Math.max(...gaps) <= 1.25 * Math.min(...gaps) && mean <= MRZ_DEFAULTS.maxEvenSpacingRatio * h;
}

/** Stretch every line of a block to the block's common start and end (MRZ lines are equally long
 * and aligned), keeping each line's own position across and height. */
function alignEnds(lines: MergedLine[]): MergedLine[] {
  const main = lines.reduce((a, b) => (b.rect.width > a.rect.width ? b : a)).rect;
  const ux = Math.cos(main.angle);
  const uy = Math.sin(main.angle);
  const along = (r: RotatedRect) => r.cx * ux + r.cy * uy;
  const lo = Math.min(...lines.map((l) => along(l.rect) - l.rect.width / 2));
  const hi = Math.max(...lines.map((l) => along(l.rect) + l.rect.width / 2));
  return lines.map((l) => {
    const v = -l.rect.cx * uy + l.rect.cy * ux;
    const u = (lo + hi) / 2;
    const rect: RotatedRect = { cx: u * ux - v * uy, cy: u * uy + v * ux, width: hi - lo, height: l.rect.height, angle: main.angle };
    return { ...l, rect, quad: rectToQuad(rect), source: l.source ?? l };
  });
}

/**
 * A TD1 whose third line the detector missed (glare, faint print) shows up as a 2-line block.
 * The two 3-line blocks it may belong to: a line of the same size one spacing above, or below.
 */
export function withMissingLine(block: MrzBlock): MrzBlock[] {
  if (block.lines.length !== 2) return [];
  const [a, b] = block.lines as [MergedLine, MergedLine];
  const dx = b.rect.cx - a.rect.cx;
  const dy = b.rect.cy - a.rect.cy;
  const shifted = (l: MergedLine, k: number): MergedLine => {
    const rect: RotatedRect = { ...l.rect, cx: l.rect.cx + k * dx, cy: l.rect.cy + k * dy };
    return { text: '', rect, quad: rectToQuad(rect), pieces: 0 };
  };
  return [{ lines: [shifted(a, -1), a, b] }, { lines: [a, b, shifted(b, 1)] }];
}

/** A filler run read upside down (`<<<` turned 180° reads `>>>`). */
const UPSIDE_DOWN_FILLERS = />{3,}/;

/**
 * Worth reading as an MRZ: some line is unread (shape only) or shows filler evidence (`<`, or `>`
 * and `KKK` as an upside-down or misread filler run reads). A block whose lines were all read as
 * text without fillers (two long header lines) is not an MRZ: every MRZ has fillers.
 */
export function mayBeMrz(block: MrzBlock): boolean {
  return block.lines.some((l) => l.text.length < 3 || FILLER_EVIDENCE.test(l.text.toUpperCase()));
}

/** Filler evidence in a first read: `<`, or `>` / `KKK` as an upside-down or misread filler run. */
const FILLER_EVIDENCE = /[<>«»]|K{3,}/;
