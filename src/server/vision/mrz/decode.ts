/**
 * The MRZ decoder: the most probable zone the format allows, from per-position evidence.
 *
 * Input: for every line, each position's character distribution (mrz/lattice.ts, every read of
 * the line pooled). Output: the maximum a posteriori string under a prior that says what a printed
 * MRZ is, the posterior probability of every field as reported, and the score that compares
 * formats. The prior, each factor from the format or a measured rate (docs/vision-mrz.md):
 *
 * - character classes per position (digits in dates and check digits, letters and fillers in
 *   state codes and names…): a character outside its class is not impossible (one printed MRZ in
 *   the labelled set carries digits for a nationality) but rare — `DECODER_PRIORS.outOfClass`;
 * - a check digit verifies: `checkVerifies` of printed check digits do (specimens print wrong
 *   ones), so a string whose check fails keeps a small prior and is reported when the evidence
 *   says so, rather than "corrected" into a guess;
 * - dates are calendar dates, state codes are in the ICAO list, with the same kind of factor;
 * - names follow the ICAO grammar: letters, one `<` inside a part, `<<` once between primary and
 *   secondary identifiers, then fillers to the end (no letter after three fillers).
 *
 * The search is exact: the zone factorises into blocks (a field with its check digit, a state
 * code, the names, free positions) coupled only through the composite check digit's sum modulo
 * 10. Each block is solved by dynamic programming over (grammar state, field sum mod 10,
 * composite sum mod 10) — calendar dates and known state codes by enumeration — for both the sum
 * over strings (Z) and the best string; the blocks are then combined over the composite residue.
 * A field's confidence is the posterior probability of its reported value: Z with the field held
 * at that value, over Z. Pure: no model, no image.
 */
import { charValue } from './check-digit.js';
import { MRZ_ALPHABET } from './config.js';
import { MRZ_STATE_CODES } from './countries.js';
import { LAYOUTS, type CharClass, type Layout, type MrzFormat } from './layout.js';

/**
 * Prior factors, each relative to a string drawn uniformly (so formats with different numbers of
 * checks compare fairly). Derived in docs/vision-mrz.md "Decoder priors".
 */
export const DECODER_PRIORS = {
  /** Probability that a printed character lies outside its position's class (measured: 3 of
   * ≈ 2,800 characters of the 35 labelled zones, the Romanian nationality `132`). */
  outOfClass: 1e-3,
  /** Probability that the document code's second character is a digit (the issuer's choice: the
   * US green card prints C1, the border crossing card A3; ICAO's own codes are letters or `<`).
   * Measured: 3 of the 28 tuning zones (real/ and the real2 tuning part), all US. Letters and the
   * filler share the rest. */
  codeSecondDigit: 0.1,
  /** Probability that a printed check digit verifies (specimens print wrong ones: 9 of ≈ 130
   * labelled checks fail; real documents ≈ never). */
  checkVerifies: 0.95,
  /** Probability that a printed YYMMDD is a calendar date (specimens print 000000). */
  dateValid: 0.99,
  /** Probability that a printed state code is in the ICAO list (mrz/countries.ts). */
  stateKnown: 0.99,
  /**
   * Names: a part ends after its k-th letter with probability `endShort` while k < `shortBelow`,
   * `endLong` from then on; after a single `<` another part of the primary identifier follows
   * with `primaryAgain`; after `<<` a secondary identifier follows with `secondary`; after a
   * secondary part another with `secondaryAgain`; letters are equally likely. Measured on the
   * name fields of the 28 tuning zones (docs/vision-mrz.md): from 4 letters 64 ends in 259
   * letters at risk (0.25); 4 of 32 primaries have a second part, 28 of 28 names a secondary
   * identifier (smoothed to 29/30), 11 of 39 secondary parts are followed by another. Parts
   * shorter than 4 letters end there 4 times in 210 in those zones (0.019), but they are European
   * specimens: Chinese, Korean and Vietnamese names are mostly parts of 2–3 letters (THI, MAI, LI),
   * so the prior keeps 0.1 — weakly informative, not the sample's rate.
   */
  names: { shortBelow: 4, endShort: 0.1, endLong: 0.25, primaryAgain: 0.125, secondary: 0.97, secondaryAgain: 0.28 },
  /**
   * Alphanumeric data fields (document and personal numbers, optional data) are characters then
   * filler runs: P(first is `<`), P(`<` after `<`), P(`<` after a character). Measured on the same
   * zones: 17 of 56 fields start with `<`; 255 of 264 fillers are followed by a filler, 35 of 440
   * characters by one.
   */
  fillerRuns: { first: 0.3, afterFiller: 0.966, afterChar: 0.08 },
  /** A field of the best string that differs from what the recogniser read is reported as read
   * (and doubtful) when the reads' evidence against it, over the characters that differ, is
   * below this ratio (1 in 1,000: `132` read clearly where a state code stands is not `MMR`)… */
  maxEvidenceAgainst: 1e-3,
  /** …or when its posterior is below this (0–1): a correction the decoder is unsure of is a
   * guess. */
  keepDepartureFrom: 0.9,
} as const;

const N = MRZ_ALPHABET.length; // 37
/** Relative weight under which a character is left out of a position (decodeMrz). */
const PRUNE_BELOW = 1e-6;
const FILLER = N - 1;
const VALUE = Int8Array.from([...MRZ_ALPHABET].map((ch) => charValue(ch)));
const DIGIT = (j: number) => j >= 26 && j <= 35;
const LETTER = (j: number) => j < 26;

/** One position's distribution over MRZ_ALPHABET. */
export type PositionDist = Float64Array;

/** Classes the decoder uses (the layout's, plus the document code's first letter). */
type DecodeClass = CharClass | 'codeLetter' | 'codeVisa' | 'codeSecond' | 'filler' | 'digitOrEmpty' | `fixed:${string}`;

function inClass(cls: DecodeClass, j: number): boolean {
  if (cls.startsWith('fixed:')) return MRZ_ALPHABET[j] === cls[6];
  switch (cls) {
    case 'digit':
      return DIGIT(j);
    case 'digitOrEmpty':
      return DIGIT(j) || j === FILLER; // a check digit that is `<` over an empty field
    case 'alpha':
    case 'name':
    case 'codeSecond':
      return LETTER(j) || j === FILLER;
    case 'alnum':
      return true;
    case 'sex':
      return j === 12 || j === 5 || j === 23 || j === FILLER; // M F X <
    case 'codeLetter':
      return LETTER(j) && j !== 21; // a document code's first letter; V is for visas (hard)
    case 'codeVisa':
      return j === 21;
    default:
      return j === FILLER;
  }
}

const CLASS_SIZE = new Map<DecodeClass, number>();
function classFactor(cls: DecodeClass, j: number): number {
  let size = CLASS_SIZE.get(cls);
  if (size === undefined) {
    size = 0;
    for (let k = 0; k < N; k++) if (inClass(cls, k)) size++;
    CLASS_SIZE.set(cls, size);
  }
  // The document code's first letter and the fixed prefix of a national layout define the
  // format: outside them the format is another (decoded separately), not a misprint.
  const eps = cls === 'codeLetter' || cls === 'codeVisa' || cls.startsWith('fixed:') ? 0 : cls === 'codeSecond' ? DECODER_PRIORS.codeSecondDigit : DECODER_PRIORS.outOfClass;
  return inClass(cls, j) ? ((1 - eps) * N) / size : size === N ? 1 : (eps * N) / (N - size);
}

/** Every YYMMDD on the calendar of some century (29 February when YY is a multiple of 4), as
 * pairs (YY, index into MONTH_DAYS). */
const MONTH_DAYS: [number, number][] = [];
for (let mm = 1; mm <= 12; mm++) for (let dd = 1; dd <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!; dd++) MONTH_DAYS.push([mm, dd]);
const FEB29 = MONTH_DAYS.findIndex(([m, d]) => m === 2 && d === 29);
const CALENDAR_DATES = 100 * MONTH_DAYS.length - 75; // 29 February only in 25 of 100 years
const digitsOf = (v: number) => [26 + Math.floor(v / 10), 26 + (v % 10)];

const pairFactors = (p: number, share: number) => ({ ok: p / share, bad: (1 - p) / (1 - share) });
const CHECK = pairFactors(DECODER_PRIORS.checkVerifies, 0.1);
const DATE = pairFactors(DECODER_PRIORS.dateValid, CALENDAR_DATES / 1e6);
const KNOWN_STATES = [...MRZ_STATE_CODES].filter((c) => /^[A-Z<]{3}$/.test(c)).map((c) => [...c].map((ch) => MRZ_ALPHABET.indexOf(ch)));
const STATE = pairFactors(DECODER_PRIORS.stateKnown, KNOWN_STATES.length / 27 ** 3);

interface Pos {
  line: number;
  index: number;
  /** Weight (7, 3, 1) in the composite check, 0 when not covered. */
  cw: number;
  /** Weight in the block's own check, 0 when none. */
  fw: number;
}

type Grammar = 'icao' | 'words' | 'fillerRuns' | null;

interface Block {
  kind: 'free' | 'check' | 'state' | 'names';
  /** The check's name ('check' blocks), else the field's. */
  name: string;
  positions: Pos[];
  /** The check digit ('check' blocks). */
  checkAt?: Pos;
  /** Check blocks over a YYMMDD date. */
  date?: boolean;
  /** The check digit may be `<` when the field is all fillers (TD3 personal number). */
  emptyCheck?: boolean;
  /** The positions' structural prior: names' grammar, or filler runs of data fields. */
  grammar?: Grammar;
}

/** What the decoder needs of a layout: a class per position, the blocks, the composite digit. */
export interface DecodeLayout {
  format: MrzFormat;
  layout: Layout;
  classes: DecodeClass[][];
  blocks: Block[];
  composite: Pos | null;
  /** A TD1 whose document number continues in the optional data (Doc 9303 part 5 note j). */
  longNumber?: number;
}

const key = (line: number, index: number) => `${line}:${index}`;

/** Blocks of a layout: each check with its field, the names, the state codes, the rest free. */
export function decodeLayout(format: MrzFormat, longNumber?: number): DecodeLayout {
  const layout = LAYOUTS[format];
  const classes: DecodeClass[][] = [];
  for (let l = 0; l < layout.lineCount; l++) classes.push(new Array<DecodeClass>(layout.lineLength).fill('alnum'));
  for (const fs of layout.fields) for (let i = fs.start; i < fs.end; i++) classes[fs.line]![i] = fs.kind;
  classes[0]![0] = format === 'MRV-A' || format === 'MRV-B' ? 'codeVisa' : 'codeLetter';
  classes[0]![1] = 'codeSecond';
  // The French national layout is that of one issuer and one document: `IDFRA` by definition.
  if (format === 'FRA-ID') [...'IDFRA'].forEach((ch, i) => (classes[0]![i] = `fixed:${ch}`));
  const checks = layout.checks.map((c) => ({ ...c, covers: c.covers.map((r) => [...r] as [number, number, number]), at: [...c.at] as [number, number] }));
  if (format === 'TD1' && longNumber !== undefined) {
    // Position 14 holds `<`; the number goes on in the optional data, its check digit after it.
    const doc = checks.find((c) => c.name === 'documentNumber')!;
    doc.covers = [
      [0, 5, 14],
      [0, 15, 15 + longNumber],
    ];
    doc.at = [0, 15 + longNumber];
    classes[0]![14] = 'filler';
    classes[0]![15 + longNumber] = 'digit';
  }
  for (const c of checks) if (c.optional) classes[c.at[0]]![c.at[1]] = 'digitOrEmpty';
  const weights = new Map<string, number>();
  const composite = checks.find((c) => c.name === 'composite');
  if (composite) {
    let j = 0;
    for (const [l, s, e] of composite.covers) for (let i = s; i < e; i++) weights.set(key(l, i), [7, 3, 1][j++ % 3]!);
  }
  const pos = (line: number, index: number, fw = 0): Pos => ({ line, index, cw: weights.get(key(line, index)) ?? 0, fw });
  const used = new Set<string>();
  const blocks: Block[] = [];
  for (const c of checks) {
    if (c.name === 'composite') continue;
    const positions: Pos[] = [];
    let j = 0;
    for (const [l, s, e] of c.covers) {
      for (let i = s; i < e; i++) {
        positions.push(pos(l, i, [7, 3, 1][j++ % 3]!));
        used.add(key(l, i));
      }
    }
    used.add(key(c.at[0], c.at[1]));
    const date = c.name === 'birthDate' || c.name === 'expirationDate';
    const alnum = positions.every((p) => classes[p.line]![p.index] === 'alnum');
    blocks.push({ kind: 'check', name: c.name, positions, checkAt: pos(c.at[0], c.at[1]), date, emptyCheck: c.optional, grammar: alnum ? 'fillerRuns' : null });
  }
  for (const fs of layout.fields) {
    const free: Pos[] = [];
    for (let i = fs.start; i < fs.end; i++) if (!used.has(key(fs.line, i))) free.push(pos(fs.line, i));
    if (free.length === 0) continue;
    for (const p of free) used.add(key(p.line, p.index));
    if (fs.kind === 'name') blocks.push({ kind: 'names', name: fs.name, positions: free, grammar: format === 'FRA-ID' ? 'words' : 'icao' });
    else if ((fs.name === 'issuingState' || fs.name === 'nationality') && free.length === 3) blocks.push({ kind: 'state', name: fs.name, positions: free });
    else blocks.push({ kind: 'free', name: fs.name, positions: free, grammar: fs.kind === 'alnum' && free.length > 2 ? 'fillerRuns' : null });
  }
  const compositeAt = composite ? pos(composite.at[0], composite.at[1]) : null;
  return { format, layout, classes, blocks, composite: compositeAt, longNumber };
}

/** Solution of one block: per composite residue, the sum over its strings and its best string. */
interface BlockTable {
  Z: Float64Array;
  best: Float64Array;
  /** Characters (alphabet indices) of the best string per residue: positions, then checkAt. */
  arg: (Int8Array | null)[];
}

// Grammar states. icao: 0 start, 1–4 primary word with 1, 2, 3, ≥ 4 letters, 5 one `<` in
// primary, 6 after `<<`, 7–10 secondary word with 1, 2, 3, ≥ 4 letters, 11 one `<` in secondary,
// 12 tail. words (national layouts: any parts): 0 start, 1–4 word, 5 `<`, 6 `<<`, 12 tail.
// fillerRuns: 0 start, 1 only fillers so far, 2 filler after a character, 3 character.
const G_STATES = 13;
const NP = DECODER_PRIORS.names;
const FR = DECODER_PRIORS.fillerRuns;
/** Probability that a name part ends after its k-th letter. */
const endAfter = (k: number) => (k < NP.shortBelow ? NP.endShort : NP.endLong);

/**
 * Next grammar state and the prior probability of character j there (relative to a uniform
 * character: × N), or state −1 when the grammar forbids it.
 */
function transitionOf(g: Grammar, s: number, j: number): [number, number] {
  const letter = LETTER(j);
  const filler = j === FILLER;
  if (g === 'fillerRuns') {
    const pFill = s === 0 ? FR.first : s === 3 ? FR.afterChar : FR.afterFiller;
    if (filler) return [s === 0 || s === 1 ? 1 : 2, pFill * N];
    return [3, ((1 - pFill) / (N - 1)) * N];
  }
  if (!letter && !filler) return [-1, 0];
  const L = (p: number) => (p / 26) * N;
  // A word of k letters (state base + k − 1): another letter, or its end.
  const word = (base: number, k: number, sep: number): [number, number] => (letter ? [base + Math.min(k + 1, NP.shortBelow), L(1 - endAfter(k))] : [sep, endAfter(k) * N]);
  if (s === 12) return letter ? [-1, 0] : [12, N];
  if (g === 'icao') {
    if (s === 0) return letter ? [1, L(1)] : [-1, 0];
    if (s >= 1 && s <= 4) return word(0, s, 5);
    if (s === 5) return letter ? [1, L(NP.primaryAgain)] : [6, (1 - NP.primaryAgain) * N];
    if (s === 6) return letter ? [7, L(NP.secondary)] : [12, (1 - NP.secondary) * N];
    if (s >= 7 && s <= 10) return word(6, s - 6, 11);
    return letter ? [7, L(NP.secondaryAgain)] : [12, (1 - NP.secondaryAgain) * N]; // 11
  }
  if (s === 0) return letter ? [1, L(1 - FR.first)] : [12, FR.first * N]; // an empty field is allowed
  if (s >= 1 && s <= 4) return word(0, s, 5);
  if (s === 5) return letter ? [1, L(NP.secondaryAgain)] : [6, (1 - NP.secondaryAgain) * N];
  return letter ? [1, L(NP.secondaryAgain)] : [12, (1 - NP.secondaryAgain) * N]; // 6
}

/** `transitionOf` tabulated per grammar: next state (−1: forbidden) and prior at [state · N + j]
 * (the DP's inner loop looks it up instead of calling it). */
const TRANSITIONS = new Map<Exclude<Grammar, null>, { next: Int8Array; prior: Float64Array }>(
  (['icao', 'words', 'fillerRuns'] as const).map((g) => {
    const next = new Int8Array(G_STATES * N);
    const prior = new Float64Array(G_STATES * N);
    for (let st = 0; st < G_STATES; st++) {
      for (let j = 0; j < N; j++) {
        const [ns, pw] = transitionOf(g, st, j);
        next[st * N + j] = ns;
        prior[st * N + j] = pw;
      }
    }
    return [g, { next, prior }];
  }),
);

/**
 * Generic DP over a block's positions with state (grammar g, field residue f, composite residue
 * c), weights evidence × grammar prior. For check blocks the check digit closes it.
 */
function solveDp(block: Block, dist: (p: Pos) => PositionDist): BlockTable {
  const g = block.grammar ?? null;
  const tt = g ? TRANSITIONS.get(g)! : null;
  const G = g ? G_STATES : 1;
  const S = G * 100;
  let Z = new Float64Array(S);
  let V = new Float64Array(S);
  const back: Int32Array[] = [];
  Z[0] = 1;
  V[0] = 1;
  for (const p of block.positions) {
    const d = dist(p);
    const nZ = new Float64Array(S);
    const nV = new Float64Array(S);
    const bp = new Int32Array(S).fill(-1);
    for (let s = 0; s < S; s++) {
      const z = Z[s]!;
      if (z === 0) continue;
      const v = V[s]!;
      const gs = Math.floor(s / 100);
      const f = Math.floor((s % 100) / 10);
      const c = s % 10;
      for (let j = 0; j < N; j++) {
        const w = d[j]!;
        if (w === 0) continue;
        let ng = 0;
        let pw = w;
        if (tt) {
          const next = tt.next[gs * N + j]!;
          if (next < 0) continue;
          ng = next;
          pw = w * tt.prior[gs * N + j]!;
        }
        const val = VALUE[j]!;
        const t = ng * 100 + ((f + p.fw * val) % 10) * 10 + ((c + p.cw * val) % 10);
        nZ[t]! += z * pw;
        const cand = v * pw;
        if (cand > nV[t]!) {
          nV[t] = cand;
          bp[t] = s * 64 + j;
        }
      }
    }
    Z = nZ;
    V = nV;
    back.push(bp);
  }
  const out: BlockTable = { Z: new Float64Array(10), best: new Float64Array(10), arg: new Array(10).fill(null) };
  const endState = new Int32Array(10).fill(-1);
  const endCheck = new Int32Array(10).fill(-1);
  for (let s = 0; s < S; s++) {
    const z = Z[s]!;
    if (z === 0) continue;
    const gs = Math.floor(s / 100);
    if (g === 'icao' && gs === 0) continue; // a primary identifier is required
    const f = Math.floor((s % 100) / 10);
    const c = s % 10;
    if (block.kind !== 'check') {
      out.Z[c]! += z;
      if (V[s]! > out.best[c]!) {
        out.best[c] = V[s]!;
        endState[c] = s;
      }
      continue;
    }
    const d = dist(block.checkAt!);
    for (let j = 0; j < N; j++) {
      const w = d[j]!;
      if (w === 0) continue;
      // `<` as a check digit: only over an empty field (fillerRuns states 0–1: nothing but fillers).
      const verifies = DIGIT(j) ? VALUE[j] === f : j === FILLER && block.emptyCheck === true && g === 'fillerRuns' && gs <= 1;
      const k = verifies ? CHECK.ok : CHECK.bad;
      const rc = (c + block.checkAt!.cw * VALUE[j]!) % 10;
      out.Z[rc]! += z * w * k;
      const cand = V[s]! * w * k;
      if (cand > out.best[rc]!) {
        out.best[rc] = cand;
        endState[rc] = s;
        endCheck[rc] = j;
      }
    }
  }
  for (let r = 0; r < 10; r++) {
    if (endState[r]! < 0) continue;
    const chars = new Int8Array(block.positions.length + (block.kind === 'check' ? 1 : 0));
    let s = endState[r]!;
    for (let i = block.positions.length - 1; i >= 0; i--) {
      const b = back[i]![s]!;
      chars[i] = b % 64;
      s = Math.floor(b / 64);
    }
    if (block.kind === 'check') chars[block.positions.length] = endCheck[r]!;
    out.arg[r] = chars;
  }
  return out;
}

/** Check block over a date: every string (DP) with the invalid-date factor, plus the calendar
 * dates (enumerated) raised to the valid-date factor. */
function solveDate(block: Block, dist: (p: Pos) => PositionDist): BlockTable {
  const all = solveDp(block, dist);
  const ds = block.positions.map(dist);
  const dc = dist(block.checkAt!);
  const checkChars = [...Array(N).keys()].filter((j) => dc[j]! > 0);
  const Z = new Float64Array(10);
  const best = new Float64Array(10);
  const arg: (Int8Array | null)[] = new Array(10).fill(null);
  for (let r = 0; r < 10; r++) {
    Z[r] = all.Z[r]! * DATE.bad;
    best[r] = all.best[r]! * DATE.bad;
    arg[r] = all.arg[r]!;
  }
  // Calendar dates, factorised as year × (month, day): per (field residue, composite residue), the
  // sum and the best date; then the check digit.
  const pos = block.positions;
  const part = (vals: number[], at: number) => {
    const [a, b] = [vals[0]!, vals[1]!];
    return {
      p: ds[at]![a]! * ds[at + 1]![b]!,
      f: pos[at]!.fw * VALUE[a]! + pos[at + 1]!.fw * VALUE[b]!,
      c: pos[at]!.cw * VALUE[a]! + pos[at + 1]!.cw * VALUE[b]!,
    };
  };
  const years = Array.from({ length: 100 }, (_, yy) => part(digitsOf(yy), 0));
  const mds = MONTH_DAYS.map(([mm, dd]) => {
    const m = part(digitsOf(mm), 2);
    const d = part(digitsOf(dd), 4);
    return { p: m.p * d.p, f: m.f + d.f, c: m.c + d.c };
  });
  const acc = new Float64Array(100);
  const accBest = new Float64Array(100);
  const accArg = new Int32Array(100).fill(-1);
  for (let yy = 0; yy < 100; yy++) {
    const y = years[yy]!;
    if (y.p === 0) continue;
    for (let k = 0; k < mds.length; k++) {
      if (k === FEB29 && yy % 4 !== 0) continue;
      const md = mds[k]!;
      const lik = y.p * md.p;
      if (lik === 0) continue;
      const idx = ((y.f + md.f) % 10) * 10 + ((y.c + md.c) % 10);
      acc[idx]! += lik;
      if (lik > accBest[idx]!) {
        accBest[idx] = lik;
        accArg[idx] = yy * 1000 + k;
      }
    }
  }
  const extra = new Float64Array(10);
  const bestValid = new Float64Array(10);
  const argValid: (number[] | null)[] = new Array(10).fill(null);
  for (let idx = 0; idx < 100; idx++) {
    if (acc[idx] === 0) continue;
    const f = Math.floor(idx / 10);
    const c = idx % 10;
    for (const j of checkChars) {
      const w = dc[j]!;
      const k = DIGIT(j) && VALUE[j] === f ? CHECK.ok : CHECK.bad;
      const rc = (c + block.checkAt!.cw * VALUE[j]!) % 10;
      extra[rc]! += acc[idx]! * w * k;
      const v = accBest[idx]! * w * k;
      if (v > bestValid[rc]!) {
        bestValid[rc] = v;
        const yy = Math.floor(accArg[idx]! / 1000);
        const [mm, dd] = MONTH_DAYS[accArg[idx]! % 1000]!;
        argValid[rc] = [...digitsOf(yy), ...digitsOf(mm), ...digitsOf(dd), j];
      }
    }
  }
  for (let r = 0; r < 10; r++) {
    Z[r]! += extra[r]! * (DATE.ok - DATE.bad);
    const v = bestValid[r]! * DATE.ok;
    if (v > best[r]!) {
      best[r] = v;
      arg[r] = Int8Array.from(argValid[r]!);
    }
  }
  return { Z, best, arg };
}

/** A state code: every string (DP) with the unknown-code factor, plus the ICAO list raised. */
function solveState(block: Block, dist: (p: Pos) => PositionDist): BlockTable {
  const all = solveDp(block, dist);
  const ds = block.positions.map(dist);
  const out: BlockTable = { Z: new Float64Array(10), best: new Float64Array(10), arg: new Array(10).fill(null) };
  for (let r = 0; r < 10; r++) {
    out.Z[r] = all.Z[r]! * STATE.bad;
    out.best[r] = all.best[r]! * STATE.bad;
    out.arg[r] = all.arg[r]!;
  }
  for (const code of KNOWN_STATES) {
    const lik = ds[0]![code[0]!]! * ds[1]![code[1]!]! * ds[2]![code[2]!]!;
    if (lik === 0) continue;
    const r = block.positions.reduce((s, p, i) => s + p.cw * VALUE[code[i]!]!, 0) % 10;
    out.Z[r]! += lik * (STATE.ok - STATE.bad);
    if (lik * STATE.ok > out.best[r]!) {
      out.best[r] = lik * STATE.ok;
      out.arg[r] = Int8Array.from(code);
    }
  }
  return out;
}

function solveBlock(block: Block, dist: (p: Pos) => PositionDist): BlockTable {
  if (block.kind === 'state') return solveState(block, dist);
  if (block.kind === 'check' && block.date) return solveDate(block, dist);
  return solveDp(block, dist);
}

export interface DecodedMrz {
  format: MrzFormat;
  lines: string[];
  /** log of the best string's weight (evidence × prior), relative to a uniform string. */
  logBest: number;
  /** log of the sum over strings (the evidence for this format, given the lattices). */
  logZ: number;
  /** Posterior of each field as reported (0–1), keyed by field name (MrzFields keys). */
  fieldConfidence: Record<string, number>;
  /** The pooled recogniser probability of each reported character (per line). */
  charP: number[][];
  longNumber?: number;
  /** Positions reported as read rather than as the decoder's best string (see decodeMrz). */
  asRead: [number, number][];
}

/**
 * Decode one zone from per-position distributions (`lattice[line][index]`, over MRZ_ALPHABET).
 * Null when no string has any weight.
 */
export function decodeMrz(spec: DecodeLayout, lattice: readonly (readonly PositionDist[])[], options: { confidences?: boolean } = {}): DecodedMrz | null {
  const { layout, classes } = spec;
  if (lattice.length !== layout.lineCount || lattice.some((l) => l.length !== layout.lineLength)) return null;
  // Evidence × class prior, per position.
  const weighted = lattice.map((line, l) =>
    line.map((d, i) => {
      const out = new Float64Array(N);
      let max = 0;
      for (let j = 0; j < N; j++) max = Math.max(max, (out[j] = d[j]! * classFactor(classes[l]![i]!, j)));
      // Characters a million times less likely than the best one at a position cannot change
      // the best string and change sums by less than 1e-6 of their value: left out (speed).
      for (let j = 0; j < N; j++) if (out[j]! < max * PRUNE_BELOW) out[j] = 0;
      return out;
    }),
  );
  const solveAll = (dist: (p: Pos) => PositionDist) => spec.blocks.map((b) => solveBlock(b, dist));
  const base = (p: Pos) => weighted[p.line]![p.index]!;
  const tables = solveAll(base);
  const total = combine(spec, tables, base);
  if (!total || !(total.Z > 0) || !(total.best > 0)) return null;
  // The best string.
  const grid = lattice.map((line) => new Array<string>(line.length).fill('<'));
  spec.blocks.forEach((b, k) => {
    const chars = tables[k]!.arg[total.residues[k]!]!;
    b.positions.forEach((p, i) => (grid[p.line]![p.index] = MRZ_ALPHABET[chars[i]!]!));
    if (b.checkAt) grid[b.checkAt.line]![b.checkAt.index] = MRZ_ALPHABET[chars[b.positions.length]!]!;
  });
  if (spec.composite) grid[spec.composite.line]![spec.composite.index] = MRZ_ALPHABET[total.compositeChar]!;
  let lines = grid.map((r) => r.join(''));
  // Where the best string departs from what the recogniser read (a check digit, a class, a state
  // code or the names' grammar outweighed the evidence), it is kept only when the departure is
  // confident and the evidence does not contradict it by more than `maxEvidenceAgainst`; otherwise
  // the field is reported as read, and doubtful: a doubt, not a guess.
  const asRead: [number, number][] = [];
  const departures = options.confidences === false ? [] : blockDepartures(spec, lattice, lines);
  const confidenceOf = (positions: [number, number][], at: string[]) => {
    const held = new Set(positions.map(([l, i]) => key(l, i)));
    const dist = (p: Pos) => {
      const d = base(p);
      if (!held.has(key(p.line, p.index))) return d;
      const one = new Float64Array(N);
      const j = MRZ_ALPHABET.indexOf(at[p.line]![p.index]!);
      one[j] = d[j]!;
      return one;
    };
    const touched = spec.blocks.map((b) => b.positions.some((p) => held.has(key(p.line, p.index))) || (b.checkAt !== undefined && held.has(key(b.checkAt.line, b.checkAt.index))));
    const t = spec.blocks.map((b, k) => (touched[k] ? solveBlock(b, dist) : tables[k]!));
    return Math.min(1, Math.max(0, (combine(spec, t, dist)?.Z ?? 0) / total.Z));
  };
  for (const d of departures) {
    if (d.evidenceRatio >= DECODER_PRIORS.maxEvidenceAgainst && confidenceOf(d.positions, lines) >= DECODER_PRIORS.keepDepartureFrom) continue;
    const g = lines.map((l) => [...l]);
    d.positions.forEach(([l, i], k) => (g[l]![i] = d.read[k]!));
    lines = g.map((r) => r.join(''));
    asRead.push(...d.positions);
  }
  // Confidence of each field: Z with its positions held at the reported characters, over Z.
  const fieldConfidence: Record<string, number> = {};
  for (const [name, positions] of options.confidences === false ? [] : fieldPositions(spec, lines)) fieldConfidence[name] = confidenceOf(positions, lines);
  const charP = lines.map((line, l) => [...line].map((ch, i) => lattice[l]![i]![MRZ_ALPHABET.indexOf(ch)]!));
  return { format: spec.format, lines, logBest: Math.log(total.best), logZ: Math.log(total.Z), fieldConfidence, charP, longNumber: spec.longNumber, asRead };
}

/**
 * Blocks whose best string differs from the recogniser's own best character at each position:
 * their positions, the characters read there, and the evidence ratio (best string ÷ as read,
 * over those positions) — how strongly the reads speak against the departure.
 */
function blockDepartures(spec: DecodeLayout, lattice: readonly (readonly PositionDist[])[], lines: string[]): { positions: [number, number][]; read: string[]; evidenceRatio: number }[] {
  const out: { positions: [number, number][]; read: string[]; evidenceRatio: number }[] = [];
  for (const b of spec.blocks) {
    const positions: [number, number][] = [...b.positions.map((p) => [p.line, p.index] as [number, number]), ...(b.checkAt ? [[b.checkAt.line, b.checkAt.index] as [number, number]] : [])];
    let ratio = 1;
    let differs = false;
    const read = positions.map(([l, i]) => {
      const d = lattice[l]![i]!;
      // What was read there: the recogniser's best character among those the position can hold
      // in some format. Every MRZ starts with a letter: `1` read where a TD1 starts is not a
      // reading of the zone, the I/A/C it must be is. (A letter another format starts with — V
      // in a non-visa layout — stays as read: that is a question of format, decided by evidence.)
      const cls = spec.classes[l]![i]!;
      const allowed = (j: number) => (cls === 'codeLetter' || cls === 'codeVisa' ? LETTER(j) : true);
      let best = -1;
      for (let j = 0; j < N; j++) if (allowed(j) && (best < 0 || d[j]! > d[best]!)) best = j;
      const chosen = MRZ_ALPHABET.indexOf(lines[l]![i]!);
      if (chosen !== best) {
        differs = true;
        ratio *= d[chosen]! / Math.max(d[best]!, 1e-300);
      }
      return MRZ_ALPHABET[best]!;
    });
    if (differs) out.push({ positions, read, evidenceRatio: ratio });
  }
  return out;
}

/** Combine block tables over the composite residue (and the composite digit). */
function combine(spec: DecodeLayout, tables: BlockTable[], dist: (p: Pos) => PositionDist): { Z: number; best: number; residues: number[]; compositeChar: number } | null {
  let Z = new Float64Array(10);
  let B = new Float64Array(10);
  Z[0] = 1;
  B[0] = 1;
  const picks: Int8Array[] = [];
  for (const t of tables) {
    const nZ = new Float64Array(10);
    const nB = new Float64Array(10);
    const pick = new Int8Array(10).fill(-1);
    for (let a = 0; a < 10; a++) {
      if (Z[a] === 0) continue;
      for (let r = 0; r < 10; r++) {
        if (t.Z[r] === 0) continue;
        const s = (a + r) % 10;
        nZ[s]! += Z[a]! * t.Z[r]!;
        const v = B[a]! * t.best[r]!;
        if (v > nB[s]!) {
          nB[s] = v;
          pick[s] = r;
        }
      }
    }
    Z = nZ;
    B = nB;
    picks.push(pick);
  }
  let total = 0;
  let best = 0;
  let end = -1;
  let compositeChar = -1;
  if (spec.composite) {
    const d = dist(spec.composite);
    for (let a = 0; a < 10; a++) {
      if (Z[a] === 0) continue;
      for (let j = 0; j < N; j++) {
        const w = d[j]!;
        if (w === 0) continue;
        const k = DIGIT(j) && VALUE[j] === a ? CHECK.ok : CHECK.bad;
        total += Z[a]! * w * k;
        const v = B[a]! * w * k;
        if (v > best) {
          best = v;
          end = a;
          compositeChar = j;
        }
      }
    }
  } else {
    for (let a = 0; a < 10; a++) {
      total += Z[a]!;
      if (B[a]! > best) {
        best = B[a]!;
        end = a;
      }
    }
  }
  if (end < 0) return null;
  // Walk back: which residue each block contributed.
  const residues = new Array<number>(tables.length);
  let s = end;
  for (let k = tables.length - 1; k >= 0; k--) {
    const r = picks[k]![s]!;
    residues[k] = r;
    s = (s - r + 10) % 10;
  }
  return { Z: total, best, residues, compositeChar };
}

/**
 * Positions of each reported field, by MrzFields key: a checked field with its check digit; the
 * names split at the primary/secondary separator `<<` (lastName up to it, firstName after).
 */
function fieldPositions(spec: DecodeLayout, lines: string[]): [string, [number, number][]][] {
  const { layout } = spec;
  const out: [string, [number, number][]][] = [];
  const range = (l: number, s: number, e: number) => Array.from({ length: Math.max(0, e - s) }, (_, k) => [l, s + k] as [number, number]);
  const checkOf = (name: string) => spec.blocks.find((b) => b.kind === 'check' && b.name === name);
  for (const fs of layout.fields) {
    if (fs.name.endsWith('CheckDigit')) continue;
    if (fs.name === 'names' || fs.name === 'lastName' || fs.name === 'firstName') {
      if (fs.name !== 'names') {
        out.push([fs.name, range(fs.line, fs.start, fs.end)]);
        continue;
      }
      const names = lines[fs.line]!.slice(fs.start, fs.end);
      const sep = names.replace(/<+$/, '').indexOf('<<');
      const cut = sep < 0 ? names.length : sep + 2;
      out.push(['lastName', range(fs.line, fs.start, fs.start + cut)]);
      out.push(['firstName', range(fs.line, fs.start + cut, fs.end)]);
      continue;
    }
    const block = fs.name === 'documentNumber' || fs.name === 'birthDate' || fs.name === 'expirationDate' || fs.name === 'personalNumber' ? checkOf(fs.name) : undefined;
    if (block) {
      out.push([fs.name, [...block.positions.map((p) => [p.line, p.index] as [number, number]), [block.checkAt!.line, block.checkAt!.index]]]);
      continue;
    }
    out.push([fs.name, range(fs.line, fs.start, fs.end)]);
  }
  return out;
}
