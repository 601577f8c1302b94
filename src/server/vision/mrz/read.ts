/**
 * Read the MRZ of a photo: locate the band among the detected text lines, read its lines with the
 * recogniser restricted to the MRZ alphabet keeping its whole per-step output, turn every read of
 * a line into per-position evidence for each line length a format allows (lattice.ts), pool the
 * reads, and decode the most probable zone each format allows (decode.ts); the format with the
 * most evidence wins. Reads are added (another pitch, the other way round, a wider name read) only
 * while the zone is not settled: a check digit fails or a field is doubtful.
 */
import type { DecodedImage } from '../decode-image.js';
import type { Box } from '../contract.js';
import type { CtcFrames, Ocr, Quad, RgbImage, TextLine } from '../ocr/index.js';
import { quadToRect, rectToQuad } from '../ocr/geometry.js';
import { quadBounds } from '../ocr/image.js';
import { formatsOfShape, LAYOUTS } from './layout.js';
import { parseMrz, type ParsedMrz } from './parse.js';
import { findMrzBlocks, mayBeMrz, mergeCollinear, rankBlocks, withMissingLine, type MergedLine, type MrzBlock } from './locate.js';
import { groupPrior, JUNK_LABEL_P, linePosteriors, poolPosteriors, type LinePosteriors } from './lattice.js';
import { decodeLayout, decodeMrz, type DecodedMrz, type DecodeLayout } from './decode.js';
import { MRZ_ALPHABET, MRZ_DEFAULTS } from './config.js';

export interface MrzReading extends ParsedMrz {
  /** Axis-aligned box around the MRZ band, pixels of the image given to readMrz. */
  box: Box;
  /** Corners of the band in reading order (top-left, top-right, bottom-right, bottom-left as read). */
  quad: Quad;
  /** Reading direction of the MRZ, degrees clockwise: 0 upright, 90 page top pointing right,
   * 180 upside down, -90 page top pointing left. */
  rotation: number;
  /** What the recogniser's greedy path gave for each line (its last read), before decoding. */
  rawLines: string[];
  /** Mean, over the zone's characters, of the pooled probability of the character reported, 0–1. */
  confidence: number;
  /** Per line, per character: the pooled recogniser probability of the character reported, 0–1
   * (null where unknown). What the name cross-check with the printed zone weighs. */
  charP: (number | null)[][];
  /** Posterior of each field as reported (decode.ts), also in `fields.fieldConfidence`. */
  fieldConfidence: Record<string, number>;
  /** Fields below `MRZ_DEFAULTS.doubtBelow`, also in `fields.doubtfulFields`. */
  doubtfulFields: string[];
  /** Reads pooled per line, and the decoder's log evidence for the format chosen. */
  readsPerLine: number[];
  logEvidence: number;
  /** With `keepReads`: per line, every read's greedy text and per-step output. */
  reads?: { text: string; frames: CtcFrames }[][];
  /** Line strips recognised to get here (cost: each is one recogniser run). */
  stripsRead: number;
  /** Every text line found in the image: the hint's lines, or (standalone) every detected line
   * with only the long ones read (the others have text ''). */
  textLines: TextLine[];
}

export interface ReadMrzHint {
  /** Text lines already read from this same image, to avoid a second OCR pass. They need their
   * `quad` (as ocr.readLines returns them); lines may have empty text (not recognised). */
  lines?: TextLine[];
  /** Also return the recogniser's output of every read of the chosen zone (`MrzReading.reads`):
   * for tools that record it (scripts/record-mrz-reads.ts). */
  keepReads?: boolean;
}

interface Candidate {
  parsed: ParsedMrz;
  decoded: DecodedMrz;
  /** Ranking across blocks and orientations: valid, verified checks, evidence. */
  rank: number[];
  raw: string[];
  quads: Quad[];
  doubtful: string[];
  readsPerLine: number[];
  evidence: number;
  reads: LineRead[][];
}

/** Find and read the MRZ; null when the image has none that could be read. */
export async function readMrz(ocr: Ocr, image: DecodedImage | RgbImage, hint?: ReadMrzHint): Promise<MrzReading | null> {
  const rgb: RgbImage = { rgb: image.rgb, width: image.width, height: image.height };
  // Hint lines without quads (not from this OCR) cannot be located: read the image instead.
  const usableHint = hint?.lines && (hint.lines.length === 0 || hint.lines.some((l) => l.quad)) ? hint.lines : null;
  // Standalone: read only the long lines (MRZ lines and most of their pieces); the rest keep
  // their geometry with empty text.
  const textLines = usableHint ?? (await ocr.readLines(rgb, { minReadAspect: MRZ_DEFAULTS.firstPassMinAspect, framesFor: MRZ_ALPHABET }));
  const merged = mergeCollinear(textLines);
  const cost = { strips: 0 };
  const pending = findMrzBlocks(merged);
  // Blocks are read best first. A block whose lines nobody read yet (the caller's budget skipped
  // them) first has them read once, whole dictionary at natural width, and the blocks are ranked
  // again: a block of text lines is then dropped for the price of a short read instead of a full
  // MRZ read. At most `maxProbeLines` such lines per image.
  const blocks: MrzBlock[] = [];
  let best: Candidate | null = null;
  for (let probed = 0; blocks.length < MRZ_DEFAULTS.maxBlocksRead; ) {
    const next = rankBlocks(pending).find(mayBeMrz);
    if (!next) break;
    // Blocks sharing a line with it (the 3-line block around a 2-line one) are probed with it, so
    // that the larger block is not read second for want of a read.
    const src = (l: MergedLine) => l.source ?? l;
    const mine = new Set(next.lines.map(src));
    const related = pending.filter((b) => b === next || b.lines.some((l) => mine.has(src(l))));
    if (probed < MRZ_DEFAULTS.maxProbeLines && related.some((b) => b.lines.some((l) => l.unread))) {
      const n = await probeUnread(ocr, rgb, [next, ...related.filter((b) => b !== next)], MRZ_DEFAULTS.maxProbeLines - probed, cost);
      probed += n;
      if (n > 0) continue;
    }
    pending.splice(pending.indexOf(next), 1);
    const block = extendShortBlock(next);
    blocks.push(block);
    const cand = await readBlock(ocr, rgb, block, cost);
    if (cand && (!best || compareRank(cand.rank, best.rank) > 0)) best = cand;
    // Blocks come best first: one whose check digits partly verify is the MRZ (a misprint or a
    // misread does not make another block likelier).
    if (best && (verifiedChecks(best.parsed) > 0 || best.evidence >= MRZ_DEFAULTS.settledEvidence)) break;
  }
  // Nothing verified, or what was read would not be reported (a check digit verifying by chance
  // in a zone of misplaced characters): the best 2-line block may be a TD1 with a line the
  // detector missed. Both places are read and the better kept: one check digit verifies by chance
  // one time in ten.
  if (!best || !plausible(best) || (verifiedChecks(best.parsed) === 0 && best.evidence < MRZ_DEFAULTS.settledEvidence)) {
    const pair = blocks.find((b) => b.lines.length === 2);
    let third: Candidate | null = null;
    for (const block of pair ? withMissingLine(pair) : []) {
      const c = quadToRect(block.lines[0]!.quad);
      const e = quadToRect(block.lines[2]!.quad);
      const inside = (r: typeof c) => r.cx >= 0 && r.cy >= 0 && r.cx < rgb.width && r.cy < rgb.height;
      if (!inside(c) || !inside(e)) continue;
      const cand = await readBlock(ocr, rgb, block, cost);
      if (cand && verifiedChecks(cand.parsed) > 0 && (!third || compareRank(cand.rank, third.rank) > 0)) third = cand;
      if (third?.parsed.valid) break;
    }
    if (third && (!best || compareRank(third.rank, best.rank) > 0)) best = third;
  }
  if (!best || !plausible(best)) return null;
  const bandQuad = bandOf(best.quads);
  const rect = quadToRect(bandQuad);
  const charP = best.decoded.charP.map((line) => line.map((p) => Math.round(p * 1000) / 1000));
  const flat = charP.flat();
  return {
    ...best.parsed,
    box: quadBounds(bandQuad, rgb.width, rgb.height),
    quad: bandQuad,
    rotation: Math.round((rect.angle * 180) / Math.PI),
    rawLines: best.raw,
    confidence: Math.round((flat.reduce((a, b) => a + b, 0) / Math.max(1, flat.length)) * 1000) / 1000,
    charP,
    fieldConfidence: best.decoded.fieldConfidence,
    doubtfulFields: best.doubtful,
    readsPerLine: best.readsPerLine,
    logEvidence: Math.round(best.evidence * 100) / 100,
    stripsRead: cost.strips,
    textLines,
    ...(hint?.keepReads ? { reads: best.reads.map((line) => line.map((r) => ({ text: r.text, frames: r.frames }))) } : {}),
  };
}

/**
 * Read, in place, the lines of these blocks that carry no text yet (geometry only): one
 * whole-dictionary read each at natural width, over the block's stretched line (pieces joined).
 * Sets `text` so that ranking and `mayBeMrz` see what they are.
 */
async function probeUnread(ocr: Ocr, image: RgbImage, blocks: MrzBlock[], maxLines: number, cost: { strips: number }): Promise<number> {
  // A line appears in several blocks (each stretched to its block's ends): read its source once.
  const copies = new Map<MergedLine, MergedLine[]>();
  for (const b of blocks) {
    for (const l of b.lines) {
      if (!l.unread || l.text !== '') continue;
      const src = l.source ?? l;
      copies.set(src, [...(copies.get(src) ?? []), l]);
    }
  }
  const sources = [...copies.keys()].slice(0, Math.max(0, maxLines));
  if (sources.length === 0) return 0;
  const reads = await ocr.recognize(image, sources.map((l) => padQuad(l.quad)), { normalizeContrast: true, framesFor: MRZ_ALPHABET });
  cost.strips += reads.length;
  sources.forEach((src, k) => {
    const text = (reads[k]?.text ?? '').replace(/\s+/g, '');
    const frames = reads[k]?.frames;
    for (const l of [src, ...copies.get(src)!]) {
      l.text = text;
      l.unread = false;
      if (frames) l.frames = frames;
    }
  });
  return sources.length;
}

/**
 * Line length of the format a block's first reads point to: 3 lines → TD1 (30); 2 lines → 44 when
 * line 1 starts with a passport or visa code (P, V), 36 with a card code (I, A, C: TD2). Null
 * when line 1 does not start with a document code and three state characters (letters, or digits
 * read for them).
 */
function expectedLineLength(block: MrzBlock): number | null {
  const first = block.lines[0]!.text.toUpperCase();
  if (!/^[PVIAC][A-Z0-9<][A-Z0-9<]{3}/.test(first)) return null;
  if (block.lines.length === 3) return 30;
  if (block.lines.length !== 2) return null;
  return /^[PV]/.test(first) ? 44 : 36;
}

/**
 * A block whose lines all read shorter than its format (the detector missed the end of every line:
 * a faint filler run, a document in perspective) is lengthened in its reading direction, at the
 * character pitch of its longest read, to the format's length. Only when line 1 starts with a
 * document code: that anchors the lines' start, so what is missing is at the end.
 */
function extendShortBlock(block: MrzBlock): MrzBlock {
  const L = expectedLineLength(block);
  if (L === null) return block;
  const longest = block.lines.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const n = longest.text.toUpperCase().replace(/[^A-Z0-9<]/g, '').length;
  // The pitch is measured on the line as detected and read whole (not stretched to the block's
  // ends, not partly read).
  const own = longest.source ?? longest;
  if (n === 0 || n >= L - MRZ_DEFAULTS.shortBlockMinMissingChars || own.partial) return block;
  const needed = ((L + MRZ_DEFAULTS.shortBlockExtraChars) * own.rect.width) / n;
  const extra = needed - longest.rect.width;
  if (extra <= 0) return block;
  const ux = Math.cos(longest.rect.angle);
  const uy = Math.sin(longest.rect.angle);
  return {
    lines: block.lines.map((l) => {
      const rect = { ...l.rect, width: l.rect.width + extra, cx: l.rect.cx + (ux * extra) / 2, cy: l.rect.cy + (uy * extra) / 2 };
      return { ...l, rect, quad: rectToQuad(rect) };
    }),
  };
}

/** Check digits that verify a field holding something (an all-filler field verifies trivially). */
/** Check digits that verify a field holding something: a field of fillers and zeros (value 0)
 * verifies with check digit 0 whatever was read, which proves nothing. */
function verifiedChecks(p: ParsedMrz): number {
  return Object.values(p.fields.checks).filter((c) => c.valid && !/^[<0]*$/.test(c.value)).length;
}

/**
 * Enough to report as an MRZ: the zone decoded is likelier than a uniform string of its length
 * (evidence > 0: the reads and the format explain it better than chance), and a check digit
 * verifies or nearly every character fits its position.
 */
function plausible(c: Candidate): boolean {
  const anyCheck = verifiedChecks(c.parsed) > 0;
  const total = c.parsed.lines.reduce((s, l) => s + l.length, 0);
  return c.evidence > 0 && (anyCheck || c.parsed.fields.badCharacters.length <= total * MRZ_DEFAULTS.maxBadCharRatio);
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

/** One read of a line: the greedy text and the recogniser's per-step output, and its lattices
 * once computed (by line length and alignment). */
interface LineRead {
  text: string;
  frames: CtcFrames;
  /** Characters on its greedy path (computed once). */
  greedy?: number;
  lattices?: Map<string, LinePosteriors | null>;
}

function readLattice(r: LineRead, length: number, aligned?: string): LinePosteriors | null {
  r.lattices ??= new Map();
  const key = `${length}:${aligned ?? ''}`;
  if (!r.lattices.has(key)) r.lattices.set(key, linePosteriors(r.frames, length, JUNK_LABEL_P, aligned ? groupPrior(aligned, MRZ_ALPHABET) : undefined));
  return r.lattices.get(key)!;
}

/** Reads of each line of a block in one orientation, and their lattices per line length. */
interface Pool {
  quads: Quad[];
  reads: LineRead[][];
  lattices: Map<string, LinePosteriors>;
}

const newPool = (quads: Quad[]): Pool => ({ quads, reads: quads.map(() => []), lattices: new Map() });

/**
 * The zone the decoder finds in given reads (per line, every read's text and per-step output):
 * the same decoding readMrz does after each pass, without an image. For tests on recorded
 * recogniser outputs and for tools.
 */
export function decodeReads(reads: readonly (readonly { text: string; frames: CtcFrames }[])[]): (ParsedMrz & { fieldConfidence: Record<string, number>; doubtfulFields: string[] }) | null {
  const zero = { x: 0, y: 0 };
  const pool = newPool(reads.map(() => [zero, zero, zero, zero] as Quad));
  reads.forEach((line, i) => line.forEach((r) => pool.reads[i]!.push({ text: r.text, frames: r.frames })));
  const c = decodePool(pool);
  return c ? { ...c.parsed, fieldConfidence: c.decoded.fieldConfidence, doubtfulFields: c.doubtful } : null;
}

/** Per-position evidence of line i for a line length: every read's lattice, pooled; with
 * `aligned`, each read re-aligned under the structure of that decoded line (lattice.ts groupPrior). */
function pooledLattice(pool: Pool, i: number, length: number, aligned?: string): LinePosteriors | null {
  const reads = pool.reads[i]!;
  const key = `${i}:${length}:${reads.length}:${aligned ?? ''}`;
  const cached = pool.lattices.get(key);
  if (cached) return cached;
  const each = reads.map((r) => readLattice(r, length, aligned)).filter((x): x is LinePosteriors => x !== null);
  const pooled = poolPosteriors(each);
  if (pooled) pool.lattices.set(key, pooled);
  return pooled;
}

/** Line lengths a block of n lines may have: TD1 30; two lines 36 (TD2, MRV-B, FRA-ID) or 44. */
const lengthsFor = (n: number): number[] => (n === 3 ? [30] : n === 2 ? [36, 44] : []);

/** Characters on the recogniser's greedy path through a read's steps (best class per step,
 * repeats collapsed, blanks dropped), over the frames' alphabet. */
function greedyLength(frames: CtcFrames): number {
  const W = frames.alphabet.length + 1;
  let count = 0;
  let prev = 0;
  for (let t = 0; t < frames.steps; t++) {
    let best = 0;
    for (let c = 1; c < W; c++) if (frames.probs[t * W + c]! > frames.probs[t * W + best]!) best = c;
    if (best !== 0 && best !== prev) count++;
    prev = best;
  }
  return count;
}

/**
 * The line lengths worth decoding for a pool. A two-line block whose every line has a read of at
 * least `longLineMinGreedyChars` characters on its greedy path is not a 36-character zone: that
 * would take 5 or more characters read where none is printed in every line (junk beyond the ends
 * is rarely more than 2) — its lattices at 36 are skipped. Otherwise every length of the shape.
 */
function lengthsOf(pool: Pool): number[] {
  const all = lengthsFor(pool.reads.length);
  if (all.length < 2) return all;
  const longest = pool.reads.map((reads) => Math.max(0, ...reads.map((r) => (r.greedy ??= greedyLength(r.frames)))));
  return longest.every((n) => n >= MRZ_DEFAULTS.longLineMinGreedyChars) ? all.filter((L) => L === 44) : all;
}

/**
 * The best zone for a pool: every format of every allowed line length decoded, compared by
 * evidence — the reads' log likelihood of holding that many characters per line plus the
 * decoder's log weight of its best zone (decode.ts, relative to a uniform string). Candidates are
 * compared without field confidences (they do not change which string is best); the winner alone
 * gets them, after every read is re-aligned under the structure of the zone found (letters,
 * digits, fillers where it has them) and that layout decoded again: shifted alignments
 * (a doubled filler early, compensated later) put letters where the zone has fillers and vanish;
 * without that, a clean read's field of 30 positions keeps ≈ 3 % of such shifts.
 */
function decodePool(pool: Pool): Candidate | null {
  const first = decodeLengths(pool, lengthsOf(pool), undefined);
  if (!first) return null;
  // The winner's layout, on the re-aligned reads, with confidences: the answer.
  const L = first.decoded.lines[0]!.length;
  const lattices = pool.reads.map((_, i) => pooledLattice(pool, i, L, first.decoded.lines[i]));
  if (lattices.every((l) => l !== null)) {
    const grid = gridOf(lattices as LinePosteriors[], L);
    const decoded = decodeMrz(first.spec, grid, { confidences: true });
    if (decoded) return candidateOf(decoded, pool, lattices.reduce((s, l) => s + l!.logZ, 0) + decoded.logBest);
  }
  return withConfidences(first, pool);
}

const gridOf = (lattices: LinePosteriors[], L: number) => lattices.map((l) => Array.from({ length: L }, (_, k) => l.probs.subarray(k * MRZ_ALPHABET.length, (k + 1) * MRZ_ALPHABET.length)));

/** A decoded candidate before confidences: what it takes to decode it again with them. */
interface Draft {
  decoded: DecodedMrz;
  spec: DecodeLayout;
  grid: Float64Array[][];
  evidence: number;
  rank: number[];
}

function withConfidences(d: Draft, pool: Pool): Candidate | null {
  const decoded = decodeMrz(d.spec, d.grid, { confidences: true });
  return decoded ? candidateOf(decoded, pool, d.evidence) : null;
}

function decodeLengths(pool: Pool, lengths: number[], aligned: string[] | undefined): Draft | null {
  let best: Draft | null = null;
  const shapes = lengths
    .map((L) => {
      const lattices = pool.reads.map((_, i) => pooledLattice(pool, i, L, aligned?.[i]));
      return { L, lattices, evidence: lattices.every((l) => l !== null) ? lattices.reduce((s, l) => s + l!.logZ, 0) : -Infinity };
    })
    .filter((x) => x.evidence > -Infinity);
  const top = Math.max(...shapes.map((x) => x.evidence));
  for (const { L, lattices, evidence: lengthEvidence } of shapes) {
    // A line length the reads make e^10 (≈ 22,000) times less likely than another is not decoded.
    if (lengthEvidence < top - MRZ_DEFAULTS.lengthEvidenceMargin) continue;
    const grid = gridOf(lattices as LinePosteriors[], L);
    const p = (line: number, index: number, ch: string) => grid[line]![index]![MRZ_ALPHABET.indexOf(ch)]!;
    for (const format of formatsOfShape(pool.reads.length, L)) {
      // Formats the first characters exclude: a visa starts with V; the French national card with
      // IDFRA (decode.ts makes both hard). Decoding them would only return a worse zone.
      if ((format === 'MRV-A' || format === 'MRV-B') && p(0, 0, 'V') < MRZ_DEFAULTS.formatMinPrefixP) continue;
      if (format === 'FRA-ID' && [...'IDFRA'].reduce((acc, ch, i) => acc * p(0, i, ch), 1) < MRZ_DEFAULTS.formatMinPrefixP) continue;
      const variants: (number | undefined)[] = [undefined];
      // A TD1 document number longer than 9 continues in the optional data when position 14
      // holds `<` (Doc 9303 part 5 note j): the extension's length is decoded too.
      if (format === 'TD1' && p(0, 14, '<') > MRZ_DEFAULTS.longNumberMinFillerP) for (let e = 1; e <= 13; e++) variants.push(e);
      for (const v of variants) {
        const spec = decodeLayout(format, v);
        const decoded = decodeMrz(spec, grid, { confidences: false });
        if (!decoded) continue;
        const evidence = lengthEvidence + decoded.logBest;
        let parsed: ParsedMrz;
        try {
          parsed = parseMrz(decoded.lines, decoded.format);
        } catch {
          continue;
        }
        // Formats of one pool compete by evidence (a format with more check digits gets no
        // credit for them: its best string may verify them by departing from the reads).
        const rank = [parsed.valid ? 1 : 0, evidence];
        if (!best || compareRank(rank, best.rank) > 0) best = { decoded, spec, grid, evidence, rank };
      }
    }
  }
  return best;
}

function candidateOf(decoded: DecodedMrz, pool: Pool, evidence: number): Candidate | null {
  let parsed: ParsedMrz;
  try {
    parsed = parseMrz(decoded.lines, decoded.format);
  } catch {
    return null;
  }
  const doubtful = doubtfulOf(decoded.fieldConfidence);
  parsed.valid = parsed.valid && doubtful.length === 0;
  Object.assign(parsed.fields, { fieldConfidence: roundAll(decoded.fieldConfidence), doubtfulFields: doubtful });
  return {
    parsed,
    decoded,
    rank: [parsed.valid ? 1 : 0, verifiedChecks(parsed), evidence],
    raw: pool.reads.map((r) => r[r.length - 1]?.text ?? ''),
    quads: pool.quads,
    doubtful,
    readsPerLine: pool.reads.map((r) => r.length),
    evidence,
    reads: pool.reads,
  };
}

/** Fields whose posterior is below the doubt threshold (mrz/config.ts doubtBelow). */
export function doubtfulOf(confidence: Record<string, number>): string[] {
  return Object.entries(confidence)
    .filter(([field, c]) => c < (NAME_FIELDS.has(field) ? MRZ_DEFAULTS.doubtBelow.names : MRZ_DEFAULTS.doubtBelow.other))
    .map(([k]) => k);
}

const roundAll = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));

const NAME_FIELDS = new Set(['lastName', 'firstName']);
/** Settled but for the names: every check verifies and no other field is doubtful. Names carry no
 * check digit and are settled by the wider name read and the printed names, not by more pitches. */
const checksSettled = (c: Candidate) => Object.values(c.parsed.fields.checks).every((v) => v.valid) && c.doubtful.every((f) => NAME_FIELDS.has(f));

async function readBlock(ocr: Ocr, image: RgbImage, block: MrzBlock, cost: { strips: number }): Promise<Candidate | null> {
  const n = block.lines.length;
  // Strip width = characters × pitch, so every character gets the same number of model steps
  // whatever the photo's resolution (2-line blocks are read as 44 characters: a 36-character
  // line just gets a wider pitch).
  const chars = n === 3 ? 30 : 44;
  const forward = newPool(block.lines.map((l) => padQuad(l.quad)));
  const backward = newPool([...forward.quads].reverse().map(flipQuad));
  const pass = async (pool: Pool, pitch: number, only?: number[]): Promise<Candidate | null> => {
    const todo = (only ?? pool.quads.map((_, i) => i)).map((i) => ({ i, q: pool.quads[i]! }));
    const reads = await ocr.recognize(
      image,
      todo.map(({ q }) => q),
      { alphabet: MRZ_ALPHABET, framesFor: MRZ_ALPHABET, stripWidthPx: chars * pitch, normalizeContrast: true },
    );
    cost.strips += reads.length;
    reads.forEach((r, k) => {
      if (r.frames) pool.reads[todo[k]!.i]!.push({ text: r.text, frames: r.frames });
    });
    return decodePool(pool);
  };
  const nameLineOf = (c: Candidate) => (c.parsed.format === 'FRA-ID' ? null : LAYOUTS[c.parsed.format].fields.find((f) => f.name === 'names')!.line);
  // The lines' first reads (the caller's text pass, or the probe above: whole dictionary, their
  // per-step output kept) may settle the zone by themselves: every check verifies and no field
  // is doubtful — then nothing is read again. When only a name is doubtful, the other lines are
  // settled by their check digits and only the name line is read as below (at the first pitch,
  // then wider). Otherwise the first reads are set aside and every line is read at the MRZ
  // pitches (a first read may have clipped an end character, and its pitch is the line's own).
  if (block.lines.every((l) => l.frames)) {
    block.lines.forEach((l, i) => forward.reads[i]!.push({ text: l.text, frames: l.frames! }));
    const first = decodePool(forward);
    if (first?.parsed.valid) return first;
    const nameLine = first ? nameLineOf(first) : null;
    forward.lattices.clear();
    if (first && nameLine !== null && checksSettled(first)) {
      let named = await pass(forward, MRZ_DEFAULTS.nameExtraPitchPx, [nameLine]);
      if (named && checksSettled(named) && named.doubtful.some((f) => NAME_FIELDS.has(f))) named = (await pass(forward, MRZ_DEFAULTS.readPitchesPx[0], [nameLine])) ?? named;
      if (named && checksSettled(named)) return named;
      forward.lattices.clear();
    }
    for (const reads of forward.reads) reads.length = 0;
  }
  const [firstPitch, ...morePitches] = MRZ_DEFAULTS.readPitchesPx;
  let pool = forward;
  let best = await pass(forward, firstPitch);
  // An upside-down read verifies no check digit: only then read the other way round (the text
  // lines were already turned by the direction classifier, so this is rare). The two directions
  // are two readings of the same strips: the reads' evidence decides between them, not a check
  // digit that verifies by chance (one in ten) in a zone read upside down while a specimen's
  // printed checks fail the right way up.
  if (!best || verifiedChecks(best.parsed) === 0) {
    const back = await pass(backward, firstPitch);
    if (back && (!best || back.evidence > best.evidence)) {
      best = back;
      pool = backward;
    }
  }
  // Nothing verifies and many characters stand where they cannot: not an MRZ, stop here.
  if (!best || (verifiedChecks(best.parsed) === 0 && best.parsed.fields.badCharacters.length > MRZ_DEFAULTS.maxBadCharRatio * best.parsed.lines.join('').length)) {
    return best;
  }
  // More evidence while the zone is not settled: other pitches (the recogniser's errors differ
  // from one pitch to another far more than between neighbours), every line.
  for (const pitch of morePitches) {
    if (checksSettled(best)) break;
    best = (await pass(pool, pitch)) ?? best;
  }
  // Names carry no check digit, and the recogniser's usual error there is a dropped letter: when a
  // name field is still doubtful, the name line once more at a wider pitch.
  const nameLine = nameLineOf(best);
  if (nameLine !== null && best.doubtful.some((f) => NAME_FIELDS.has(f))) {
    best = (await pass(pool, MRZ_DEFAULTS.nameExtraPitchPx, [nameLine])) ?? best;
  }
  return best;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}


/** Quad around all line quads (first line's top edge to last line's bottom edge). */
function bandOf(quads: Quad[]): Quad {
  const first = quads[0]!;
  const last = quads[quads.length - 1]!;
  return [first[0], first[1], last[2], last[3]];
}
