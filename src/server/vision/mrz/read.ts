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
import { doubtedFiller, parseMrz, TO_DIGIT, TO_LETTER, type CharEvidence, type ParsedMrz } from './parse.js';
import { findMrzBlocks, mayBeMrz, mergeCollinear, rankBlocks, withMissingLine, type MergedLine, type MrzBlock } from './locate.js';
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
  /** Per line, per character: the recogniser's probability for the character as read (before
   * corrections), 0–1; null where unknown (a filler the length repair inserted, a first-pass read).
   * What the name cross-check with the printed zone weighs (names have no check digit). */
  charP: (number | null)[][];
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
}

interface Candidate {
  parsed: ParsedMrz;
  rank: number[];
  raw: string[];
  quads: Quad[];
  confidence: number;
  evidence: (CharEvidence | null)[][];
}

/** Find and read the MRZ; null when the image has none that could be read. */
export async function readMrz(ocr: Ocr, image: DecodedImage | RgbImage, hint?: ReadMrzHint): Promise<MrzReading | null> {
  const rgb: RgbImage = { rgb: image.rgb, width: image.width, height: image.height };
  // Hint lines without quads (not from this OCR) cannot be located: read the image instead.
  const usableHint = hint?.lines && (hint.lines.length === 0 || hint.lines.some((l) => l.quad)) ? hint.lines : null;
  // Standalone: read only the long lines (MRZ lines and most of their pieces); the rest keep
  // their geometry with empty text.
  const textLines = usableHint ?? (await ocr.readLines(rgb, { minReadAspect: MRZ_DEFAULTS.firstPassMinAspect }));
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
    if (best && verifiedChecks(best.parsed) > 0) break;
  }
  // Nothing verified: the best 2-line block may be a TD1 with a line the detector missed. Both
  // places are read and the better kept: one check digit verifies by chance one time in ten.
  if (!best || verifiedChecks(best.parsed) === 0) {
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
  return {
    ...best.parsed,
    box: quadBounds(bandQuad, rgb.width, rgb.height),
    quad: bandQuad,
    rotation: Math.round((rect.angle * 180) / Math.PI),
    rawLines: best.raw,
    confidence: best.confidence,
    charP: best.evidence.map((line) => line.map((e) => (e ? Math.round(e.p * 1000) / 1000 : null))),
    stripsRead: cost.strips,
    textLines,
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
  const reads = await ocr.recognize(image, sources.map((l) => padQuad(l.quad)), { normalizeContrast: true });
  cost.strips += reads.length;
  sources.forEach((src, k) => {
    const text = (reads[k]?.text ?? '').replace(/\s+/g, '');
    for (const l of [src, ...copies.get(src)!]) {
      l.text = text;
      l.unread = false;
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
function verifiedChecks(p: ParsedMrz): number {
  return Object.values(p.fields.checks).filter((c) => c.valid && !/^<*$/.test(c.value)).length;
}

/** Enough to report: a check digit verifies, or nearly every character fits its position. */
function plausible(c: Candidate): boolean {
  const anyCheck = verifiedChecks(c.parsed) > 0;
  const total = c.parsed.lines.reduce((s, l) => s + l.length, 0);
  return anyCheck || c.parsed.fields.badCharacters.length <= total * MRZ_DEFAULTS.maxBadCharRatio;
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

/** The start of a padded line quad up to `share` (0–1) of its characters, and the fraction of the
 * quad's length that is. */
function lineShare(q: Quad, share: number): { quad: Quad; fraction: number } {
  if (share >= 1) return { quad: q, fraction: 1 };
  const r = quadToRect(q);
  const pad = MRZ_DEFAULTS.readPadEndsRatio * (r.height / (1 + 2 * MRZ_DEFAULTS.readPadSidesRatio));
  const textLen = Math.max(1, r.width - 2 * pad);
  const fraction = Math.min(1, (2 * pad + share * textLen) / r.width);
  const lerp = (a: Quad[number], b: Quad[number]) => ({ x: a.x + (b.x - a.x) * fraction, y: a.y + (b.y - a.y) * fraction });
  return { quad: [q[0], lerp(q[0], q[1]), lerp(q[3], q[2]), q[3]], fraction };
}

/** A read of one line: the recogniser's output, or a first-pass text without evidence. */
type LineRead = Pick<Recognition, 'text' | 'confidence'> & { chars?: Recognition['chars']; weight?: number };
/** A first-pass read (whole dictionary, natural width) counts half a vote against the
 * MRZ-alphabet reads at normalised pitch. */
const HINT_READ_WEIGHT = 0.5;
/** Reads of each line of a block in one orientation, pooled over passes. */
type Pool = LineRead[][];

async function readBlock(ocr: Ocr, image: RgbImage, block: MrzBlock, cost: { strips: number }): Promise<Candidate | null> {
  const n = block.lines.length;
  // Strip width = characters × pitch, so every character gets the same number of model steps
  // whatever the photo's resolution (2-line blocks are read as 44 characters: a 36-character
  // line just gets a wider pitch).
  const chars = n === 3 ? 30 : 44;
  const forward = block.lines.map((l) => padQuad(l.quad));
  const backward = [...forward].reverse().map(flipQuad);
  const fwdPool: Pool = block.lines.map((l) => {
    const t = l.text.toUpperCase().replace(/[^A-Z0-9<]/g, '');
    return t.length >= MRZ_DEFAULTS.minMrzLineChars ? [{ text: t, confidence: 0, weight: HINT_READ_WEIGHT }] : [];
  });
  const bwdPool: Pool = block.lines.map(() => []);
  const stats = { confidence: 0, reads: 0 };
  const pass = async (quads: Quad[], pool: Pool, pitch: number, skip: ReadonlySet<number> = new Set()): Promise<Candidate | null> => {
    const todo = quads.map((q, i) => ({ q, i })).filter(({ i }) => !skip.has(i));
    const reads = await ocr.recognize(image, todo.map(({ q }) => q), { alphabet: MRZ_ALPHABET, stripWidthPx: chars * pitch, normalizeContrast: true });
    cost.strips += reads.length;
    reads.forEach((r, k) => {
      pool[todo[k]!.i]!.push(r);
      stats.confidence += r.confidence;
      stats.reads++;
    });
    return bestParse(pool, quads, stats.confidence / Math.max(1, stats.reads));
  };
  const [firstPitch, ...morePitches] = MRZ_DEFAULTS.readPitchesPx;
  let best = await pass(forward, fwdPool, firstPitch, settledByFirstRead(fwdPool, forward));
  let useBack = false;
  // An upside-down read verifies no check digit: only then read the other way round (the text
  // lines were already turned by the direction classifier, so this is rare).
  if (!best || verifiedChecks(best.parsed) === 0) {
    const back = await pass(backward, bwdPool, firstPitch);
    useBack = back !== null && (best === null || compareRank(back.rank, best.rank) > 0);
    if (useBack) best = back;
  }
  // Nothing verifies and many characters stand where they cannot: not an MRZ, stop here.
  if (!best || (verifiedChecks(best.parsed) === 0 && best.parsed.fields.badCharacters.length > MRZ_DEFAULTS.maxBadCharRatio * best.parsed.lines.join('').length)) {
    return best;
  }
  if (!best.parsed.valid) {
    // Every pitch, while nothing verifies: real documents print valid MRZs, so this cost falls on
    // misreads (where it pays) and on specimens printed invalid (rare in use). Two pitches that
    // agree are no reason to stop: the recogniser's errors repeat across nearby pitches.
    for (const pitch of morePitches) {
      const cand = useBack ? await pass(backward, bwdPool, pitch) : await pass(forward, fwdPool, pitch);
      if (cand && (!best || compareRank(cand.rank, best.rank) >= 0)) best = cand;
      if (best?.parsed.valid) break;
    }
  }
  if (!best) return null;
  // Names carry no check digit, and the recogniser's usual error is a dropped letter that another
  // pitch sees: read the name line once more, wider, and let the fuller read win (namesFirst).
  const layout = LAYOUTS[best.parsed.format];
  const nameLine = layout.fields.find((f) => f.name === 'names')!.line;
  const quads = useBack ? backward : forward;
  const pool = useBack ? bwdPool : fwdPool;
  // A name line read with confidence is kept as is.
  const lastRead = [...pool[nameLine]!].reverse().find((r) => r.chars);
  const letters = lastRead?.chars?.filter((c) => /[A-Z]/.test(c.char)) ?? [];
  const letterP = letters.length ? letters.reduce((sum, c) => sum + c.p, 0) / letters.length : 0;
  if (letterP >= MRZ_DEFAULTS.nameRereadBelowP) return best;
  // Only up to a few characters past the last letter: the filler tail needs no second read.
  const nameText = best.parsed.lines[nameLine]!;
  const upTo = Math.min(layout.lineLength, Math.max(...[...nameText].map((c, i) => (/[A-Z]/.test(c) ? i : 0))) + 4);
  const share = lineShare(quads[nameLine]!, upTo / layout.lineLength);
  const [extra] = await ocr.recognize(image, [share.quad], {
    alphabet: MRZ_ALPHABET,
    stripWidthPx: share.fraction * chars * MRZ_DEFAULTS.nameExtraPitchPx,
    normalizeContrast: true,
  });
  cost.strips++;
  if (extra) {
    const fill = Math.max(0, layout.lineLength - extra.text.length);
    pool[nameLine]!.push({ ...extra, text: extra.text + (upTo < layout.lineLength ? '<'.repeat(fill) : '') });
  }
  const withNames = bestParse(pool, quads, stats.confidence / Math.max(1, stats.reads));
  return withNames && compareRank(withNames.rank, best.rank) >= 0 ? withNames : best;
}

/**
 * Lines the first text pass already read right, so that the first MRZ pass need not read them
 * again: when the first reads alone parse as a VALID MRZ (every check digit verifies, every
 * character allowed, dates real, state codes known), every line without a name field is settled —
 * its check digits (the composite covers the document number, dates and optional data) confirm
 * it, and a second read could only lose to it in the ranking (`valid` ranks first). The name line
 * carries no check digit and is always read. Empty set otherwise.
 */
function settledByFirstRead(pool: Pool, quads: Quad[]): Set<number> {
  if (pool.some((reads) => reads.length === 0)) return new Set();
  const first = bestParse(pool, quads, 0);
  if (!first?.parsed.valid || verifiedChecks(first.parsed) === 0) return new Set();
  const nameLine = LAYOUTS[first.parsed.format].fields.find((f) => f.name === 'names')!.line;
  return new Set(pool.map((_, i) => i).filter((i) => i !== nameLine));
}

/**
 * Formats a block of this many lines, with reads of these lengths, may be: the line length nearest
 * to the median read (both when it lies about midway between 36 and 44). Two lines whose reads are
 * nearer 30 than 36 are two lines of a TD1 (see withMissingLine), not a TD2.
 */
function formatsFor(lineCount: number, lengths: number[]): MrzFormat[] {
  if (lineCount === 3) return ['TD1'];
  if (lineCount !== 2 || lengths.length === 0) return [];
  const sorted = [...lengths].sort((a, b) => a - b);
  const m = sorted[Math.floor(sorted.length / 2)]!;
  if (m < 33) return [];
  if (m <= 38) return ['TD2'];
  if (m < 42) return ['TD3', 'TD2'];
  return ['TD3'];
}

function bestParse(pool: Pool, quads: Quad[], confidence: number): Candidate | null {
  const raw = pool.map((reads) => reads[reads.length - 1]?.text ?? '');
  let best: Candidate | null = null;
  for (const format of formatsFor(pool.length, pool.flat().map((r) => r.text.length))) {
    // The visa layouts differ from TD2/TD3 only after the expiry date; parseMrz picks by the code.
    const layout = LAYOUTS[format];
    // Reads far shorter than the format's lines are not this MRZ (or not an MRZ).
    const usable = pool.map((reads) => reads.filter((r) => r.text.length >= MRZ_DEFAULTS.minReadLengthRatio * layout.lineLength));
    const nameLine = layout.fields.find((f) => f.name === 'names')!.line;
    const perLine = usable.map((reads, i) => pooledOptions(reads, layout, i, i === nameLine));
    if (perLine.some((o) => o.length === 0)) continue;
    for (const combo of combos(perLine, MRZ_DEFAULTS.maxParsesPerFormat)) {
      let parsed: ParsedMrz;
      try {
        parsed = parseMrz(combo.lines, { evidence: combo.evidence });
      } catch {
        continue;
      }
      // A check over an all-filler field verifies trivially: it proves nothing about the read.
      const checks = Object.values(parsed.fields.checks).filter((c) => !/^<*$/.test(c.value));
      // Confirmations: verifying checks, and state codes in the ICAO list — a random 3-letter read
      // is a known code ≈ 1.4 % of the time (≈ 250 of 17,576), rarer than a chance check pass (10 %).
      const knownStates = (parsed.fields.issuingStateKnown ? 1 : 0) + (parsed.fields.nationalityKnown ? 1 : 0);
      const rank = [
        parsed.valid ? 1 : 0,
        checks.filter((c) => c.valid).length + knownStates,
        -parsed.fields.badCharacters.length,
        nameLetters(parsed.lines[nameLine]!, layout, combo.evidence[nameLine]),
        combo.votes,
        -combo.cost,
        // Fillers restored in the names field or the document code are no sign of a worse read (the
        // recogniser's own evidence, or fillers on both sides, named them): only other corrections
        // count against.
        -parsed.fields.corrections.filter((c) => c.rule !== 'name-filler' && c.rule !== 'code-filler').length,
      ];
      if (!best || compareRank(rank, best.rank) > 0) best = { parsed, rank, raw, quads, confidence, evidence: combo.evidence };
    }
  }
  return best;
}

/** Repaired options of every read of one line; an option several reads agree on gets more votes. */
function pooledOptions(reads: LineRead[], layout: Layout, lineIndex: number, namesFirst: boolean): LineOption[] {
  const byText = new Map<string, LineOption & { confidence: number }>();
  for (const read of reads) {
    for (const o of repairLine(read.text, layout, lineIndex)) {
      const prev = byText.get(o.text);
      const evidence = read.chars ? alignEvidence(read.chars, o.text) : undefined;
      if (prev) {
        prev.votes += read.weight ?? 1;
        prev.cost = Math.min(prev.cost, o.cost);
        if (evidence && read.confidence > prev.confidence) {
          prev.evidence = evidence;
          prev.confidence = read.confidence;
        }
      } else byText.set(o.text, { ...o, votes: read.weight ?? 1, evidence, confidence: evidence ? read.confidence : -1 });
    }
  }
  // On a name line (no check digit) the read that saw more letters wins first: CTC drops letters
  // far more often than it invents them. K, C and S do not count: they are the usual misreads of
  // the filler.
  return [...byText.values()]
    .sort((a, b) => (namesFirst ? nameLetters(b.text, layout, b.evidence) - nameLetters(a.text, layout, a.evidence) : 0) || b.votes - a.votes || a.cost - b.cost)
    .slice(0, MRZ_DEFAULTS.maxOptionsPerLine);
}

/**
 * Letters seen in the names field of a line — not in the document code or the state code that
 * share the first line of a TD2/TD3 (a `<` read as a letter there is no name letter seen). Left
 * out: K, C and S (the filler's usual misreads), and any letter the recogniser itself took for a
 * possible filler (parse.ts doubtedFiller, the evidence the names' filler rule uses).
 */
function nameLetters(line: string, layout: Layout, evidence?: (CharEvidence | null)[]): number {
  const names = layout.fields.find((f) => f.name === 'names')!;
  let n = 0;
  for (let i = names.start; i < names.end && i < line.length; i++) {
    if (/[ABD-JL-RT-Z]/.test(line[i]!) && !doubtedFiller(evidence?.[i])) n++;
  }
  return n;
}

/**
 * Carry the recogniser's per-character evidence over to a repaired line. The repair only resizes
 * filler runs or appends/trims the tail, so the other characters keep their order; fillers map
 * to the same place in the same run when it still exists.
 */
export function alignEvidence(chars: Recognition['chars'], repaired: string): (CharEvidence | null)[] {
  const tokens = (items: string[]) => {
    const out: { start: number; len: number; filler: boolean }[] = [];
    items.forEach((ch, i) => {
      const last = out[out.length - 1];
      if (ch === '<' && last?.filler) last.len++;
      else out.push({ start: i, len: 1, filler: ch === '<' });
    });
    return out;
  };
  const src = tokens(chars.map((c) => c.char));
  const dst = tokens([...repaired]);
  const out: (CharEvidence | null)[] = new Array<CharEvidence | null>(repaired.length).fill(null);
  for (let k = 0; k < dst.length && k < src.length; k++) {
    const d = dst[k]!;
    const s = src[k]!;
    if (d.filler !== s.filler) break;
    if (!d.filler && chars[s.start]!.char !== repaired[d.start]) break;
    for (let j = 0; j < d.len && j < s.len; j++) {
      const c = chars[s.start + j]!;
      out[d.start + j] = { p: c.p, alternatives: c.alternatives };
    }
  }
  return out;
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

interface LineOption {
  text: string;
  /** The recogniser's evidence per character, when known. */
  evidence?: (CharEvidence | null)[];
  /** Length repairs + class misfits; lower is better. */
  cost: number;
  /** How many reads of the line support this option. */
  votes: number;
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
  const runs: [number, number][] = [];
  const re = /<+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(read))) runs.push([m.index, m[0].length]);
  const resize = (changes: { run: [number, number]; delta: number }[]): string | null => {
    let out = read;
    // From the right so earlier indices stay valid.
    for (const { run, delta } of [...changes].sort((a, b) => b.run[0] - a.run[0])) {
      const len = run[1] + delta;
      if (len < 1) return null;
      out = out.slice(0, run[0]) + '<'.repeat(len) + out.slice(run[0] + run[1]);
    }
    return out;
  };
  if (diff !== 0) {
    const last = runs[runs.length - 1];
    const trailing = last && last[0] + last[1] === read.length ? last : null;
    // The filler run that ends the line takes any length: nothing after it constrains it.
    if (trailing) {
      const t = resize([{ run: trailing, delta: diff }]);
      if (t) options.add(t);
    } else if (diff > 0) {
      options.add(read + '<'.repeat(diff));
    }
    if (Math.abs(diff) <= MRZ_DEFAULTS.maxLengthRepair) {
      for (const run of runs) {
        const t = resize([{ run, delta: diff }]);
        if (t) options.add(t);
      }
      for (let a = 0; a < runs.length; a++) {
        for (let b = a + 1; b < runs.length; b++) {
          for (let d1 = -2; d1 <= 2; d1++) {
            const d2 = diff - d1;
            if (d1 === 0 || d2 === 0 || Math.abs(d2) > 2) continue;
            const t = resize([
              { run: runs[a]!, delta: d1 },
              { run: runs[b]!, delta: d2 },
            ]);
            if (t) options.add(t);
          }
        }
      }
      if (diff < 0) options.add(read.slice(0, L));
      if (diff > 0) options.add(read + '<'.repeat(diff));
    }
    // Far too long: the detector joined other text to the line (a label or callout printed next
    // to the MRZ). The line is then the read's start or its end, as printed.
    if (diff < -MRZ_DEFAULTS.maxLengthRepair) {
      options.add(read.slice(0, L));
      options.add(read.slice(read.length - L));
    }
  }
  const scored = [...options]
    .filter((t) => t.length === L)
    .map((text) => ({ text, cost: Math.min(Math.abs(diff), MRZ_DEFAULTS.maxLengthRepair) + misfit(text, classes), votes: 1 }));
  scored.sort((a, b) => a.cost - b.cost);
  return scored.slice(0, MRZ_DEFAULTS.maxOptionsPerLine);
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
interface Combo {
  lines: string[];
  evidence: (CharEvidence | null)[][];
  cost: number;
  votes: number;
}

function combos(perLine: LineOption[][], limit: number): Combo[] {
  let acc: Combo[] = [{ lines: [], evidence: [], cost: 0, votes: 0 }];
  for (const opts of perLine) {
    const next: Combo[] = [];
    for (const a of acc) {
      for (const o of opts) {
        const ev = o.evidence ?? new Array<CharEvidence | null>(o.text.length).fill(null);
        next.push({ lines: [...a.lines, o.text], evidence: [...a.evidence, ev], cost: a.cost + o.cost, votes: a.votes + o.votes });
      }
    }
    next.sort((x, y) => y.votes - x.votes || x.cost - y.cost);
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
