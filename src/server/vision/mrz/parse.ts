/**
 * Parse MRZ lines (ICAO Doc 9303): detect the format, verify every check digit, correct OCR
 * look-alikes only where the definition of the field or a check digit confirms it, and report a
 * verdict per field. Pure: no I/O, no state.
 *
 * Correction rules (docs/vision-mrz.md explains each):
 * 1. Digit-only fields (dates, check digits): a letter that looks like a digit (O→0, I→1, S→5, B→8…)
 *    is replaced only when the field's check digit then verifies.
 * 2. Alphanumeric fields with a check digit (document number, personal number, TD1/TD2 optional
 *    data under the composite check): look-alike swaps (0/O/D, 1/I, 5/S, 8/B, 2/Z, 6/G, </K…) are
 *    tried only when the check fails as read; a correction is kept only when exactly one candidate
 *    with the fewest swaps (at most two) verifies.
 * 3. State codes (no check digit): digits become look-alike letters only when that gives a code
 *    in the ICAO list.
 * 4. Names (no check digit): digits become letters (the name alphabet has no digits); a K, C, S or 4
 *    standing between filler runs (≥ 2 on its left) becomes `<`; after the last real name part,
 *    two or more such look-alikes are all misread fillers; a missing `<<` separator is restored
 *    where the recogniser named `<` as the alternative of a K/C/S after a single `<`; a K/C/S next
 *    to a `<` that the recogniser doubted (p < 0.66) with `<` as its runner-up (≥ 0.25) is a
 *    filler. The document code's first character is a letter: a digit there is a misread.
 * An MRZ is `valid` only when every check digit verifies, the dates are real calendar dates, the
 * state codes are known and every character is allowed where it stands.
 * A check digit vouches only for characters that were read, not guessed: with the recogniser's
 * evidence, a check covering 3 or more near-guesses (p < 0.3) does not verify, whatever its
 * arithmetic (`guessed` in its verdict; docs/vision-mrz.md "Near-guesses").
 */
import { verifies } from './check-digit.js';
import { MRZ_DEFAULTS } from './config.js';
import { isKnownStateCode } from './countries.js';
import { classMap, formatOf, LAYOUTS, type CharClass, type Layout, type MrzFormat } from './layout.js';
import type { MrzResult } from '../contract.js';

export interface MrzCorrection {
  line: number;
  index: number;
  from: string;
  to: string;
  rule: 'digit-field' | 'check-digit-confirmed' | 'state-code' | 'name-alphabet' | 'name-filler' | 'code-filler';
}

export interface CheckVerdict {
  /** The characters the check digit covers. */
  value: string;
  checkDigit: string;
  /** The check digit verifies, over characters that were read rather than guessed. */
  valid: boolean;
  /** Characters it covers (the check digit included) that the recogniser nearly guessed
   * (p < MRZ_DEFAULTS.nearGuessBelowP); present only when evidence was given and some were. */
  guessed?: number;
}

export interface MrzFields {
  documentCode: string;
  issuingState: string;
  issuingStateKnown: boolean;
  documentNumber: string;
  nationality: string;
  nationalityKnown: boolean;
  /** YYMMDD as printed. */
  birthDate: string;
  birthDateValid: boolean;
  sex: string;
  expirationDate: string;
  expirationDateValid: boolean;
  lastName: string;
  firstName: string;
  optional: Record<string, string>;
  /** Verdict of every check digit of the format, by name. */
  checks: Record<string, CheckVerdict>;
  /** Positions whose character is not allowed there (line, index), after corrections. */
  badCharacters: [number, number][];
  corrections: MrzCorrection[];
}

export interface ParsedMrz extends MrzResult {
  format: MrzFormat;
  fields: MrzFields & Record<string, unknown>;
}

/** Letters read where a digit must be. */
export const TO_DIGIT: Record<string, string> = { O: '0', D: '0', Q: '0', U: '0', I: '1', L: '1', J: '1', Z: '2', A: '4', S: '5', G: '6', T: '7', B: '8' };
/** Digits read where a letter must be. */
export const TO_LETTER: Record<string, string> = { '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '8': 'B' };
/** Characters an OCR confuses in alphanumeric fields (both directions). */
const SWAPS: Record<string, string[]> = {
  '0': ['O', 'D', 'Q'],
  O: ['0', 'D', 'Q'],
  D: ['0', 'O'],
  Q: ['0', 'O'],
  '1': ['I', 'L'],
  I: ['1', 'L'],
  L: ['1', 'I'],
  '2': ['Z'],
  Z: ['2'],
  '5': ['S'],
  S: ['5', '<'],
  '8': ['B'],
  B: ['8'],
  '6': ['G'],
  G: ['6'],
  '4': ['A', '<'],
  A: ['4'],
  K: ['<'],
  C: ['<'],
};
/** Misreads of the filler `<` on small prints. */
const FILLER_LOOKALIKES = new Set(['K', 'C', 'S', '4']);
/** Most swaps a check-digit-confirmed correction may make in one field. */
const MAX_SWAPS = 2;
/** Recogniser alternatives below this probability are not considered (0–1; higher = fewer). */
const MIN_ALTERNATIVE_P = 0.02;
/** Probability assumed for a look-alike the recogniser did not list (0–1). */
const UNSEEN_ALTERNATIVE_P = 0.005;
/** How many times likelier (by the recogniser) the best verifying correction must be than the
 * next one to be kept when several verify. Higher = stricter. */
const EVIDENCE_MARGIN = 20;

const CLASS_RE: Record<CharClass, RegExp> = {
  digit: /^[0-9]$/,
  alpha: /^[A-Z<]$/,
  alnum: /^[A-Z0-9<]$/,
  name: /^[A-Z<]$/,
  sex: /^[MFX<]$/,
};

/** What the recogniser said about one character: its probability and its next-best choices. */
export interface CharEvidence {
  p: number;
  alternatives: { char: string; p: number }[];
}

export interface ParseOptions {
  /** Per line, per character: the recogniser's evidence (null where unknown, e.g. a filler the
   * length repair inserted). Lets a check-digit-confirmed correction pick the swap the recogniser
   * itself found likely, where several swaps would verify. */
  evidence?: (CharEvidence | null)[][];
}

/** Parse lines of one MRZ. Throws RangeError when the lines fit no MRZ format. */
export function parseMrz(input: string[], options: ParseOptions = {}): ParsedMrz {
  const lines = input.map((l) => l.trim().toUpperCase());
  const format = formatOf(lines);
  if (!format) {
    throw new RangeError(`not an MRZ: ${lines.length} line(s) of ${lines.map((l) => l.length).join('/')} characters`);
  }
  const layout = LAYOUTS[format];
  const grid = lines.map((l) => [...l]);
  const corrections: MrzCorrection[] = [];
  correctDigitFields(layout, grid, corrections);
  correctCheckedAlnum(layout, grid, corrections, options.evidence);
  correctStateCodes(layout, grid, corrections);
  correctNames(layout, grid, corrections, options.evidence);
  correctDocumentCode(grid, corrections, options.evidence);
  return buildResult(layout, grid, corrections, options.evidence);
}

const text = (grid: string[][], line: number, start: number, end: number) => grid[line]!.slice(start, end).join('');

function coveredText(grid: string[][], covers: [number, number, number][]): string {
  return covers.map(([l, s, e]) => text(grid, l, s, e)).join('');
}

/** TD1 documents whose number exceeds 9 characters continue it in the optional field (Doc 9303
 * part 5 §4.2.2 note j): `<` at the check position, then the rest, its check digit, and `<`. */
function td1LongNumber(grid: string[][]): { number: string; check: string; checkAt: number } | null {
  if (grid[0]![14] !== '<') return null;
  const opt = text(grid, 0, 15, 30);
  const end = opt.indexOf('<');
  const ext = end < 0 ? opt : opt.slice(0, end);
  if (ext.length < 2) return null;
  return { number: text(grid, 0, 5, 14) + ext.slice(0, -1), check: ext.slice(-1), checkAt: 15 + ext.length - 1 };
}

function checkOf(layout: Layout, grid: string[][], name: string): { field: string; check: string; at: [number, number] } | null {
  const spec = layout.checks.find((c) => c.name === name);
  if (!spec) return null;
  if (layout.format === 'TD1' && name === 'documentNumber') {
    const long = td1LongNumber(grid);
    if (long) return { field: long.number.replace(/<+$/, ''), check: long.check, at: [0, long.checkAt] };
  }
  return { field: coveredText(grid, spec.covers), check: grid[spec.at[0]]![spec.at[1]]!, at: spec.at };
}

function checkPasses(layout: Layout, grid: string[][], name: string): boolean {
  const spec = layout.checks.find((c) => c.name === name)!;
  const c = checkOf(layout, grid, name)!;
  if (c.check === '<' && !spec.optional && name !== 'documentNumber') return false;
  return verifies(c.field, c.check);
}

/** Rule 1: dates and check digits. */
function correctDigitFields(layout: Layout, grid: string[][], out: MrzCorrection[]): void {
  for (const name of ['birthDate', 'expirationDate']) {
    const field = layout.fields.find((f) => f.name === name)!;
    const spec = layout.checks.find((c) => c.name === name)!;
    if (checkPasses(layout, grid, name)) continue;
    const positions: [number, number][] = [];
    for (let i = field.start; i < field.end; i++) positions.push([field.line, i]);
    positions.push(spec.at);
    const trial = grid.map((l) => [...l]);
    const changes: MrzCorrection[] = [];
    for (const [l, i] of positions) {
      const ch = trial[l]![i]!;
      const d = TO_DIGIT[ch];
      if (d) {
        trial[l]![i] = d;
        changes.push({ line: l, index: i, from: ch, to: d, rule: 'digit-field' });
      }
    }
    if (changes.length > 0 && checkPasses(layout, trial, name)) apply(grid, changes, out);
  }
}

/** Rule 2: alphanumeric fields under a check digit, then the composite. */
function correctCheckedAlnum(layout: Layout, grid: string[][], out: MrzCorrection[], evidence?: (CharEvidence | null)[][]): void {
  const byCheck: [string, [number, number][]][] = [];
  for (const spec of layout.checks) {
    if (spec.name === 'birthDate' || spec.name === 'expirationDate') continue;
    const positions: [number, number][] = [];
    if (spec.name === 'composite') {
      // Only what no other check digit covers: the optional data fields.
      for (const fs of layout.fields) {
        if (fs.name.startsWith('optional')) for (let i = fs.start; i < fs.end; i++) positions.push([fs.line, i]);
      }
    } else {
      const [line, start, end] = spec.covers[0]!;
      for (let i = start; i < end; i++) positions.push([line, i]);
      const long = layout.format === 'TD1' && spec.name === 'documentNumber' ? td1LongNumber(grid) : null;
      if (long) for (let i = 15; i < long.checkAt; i++) positions.push([0, i]);
    }
    positions.push(checkOf(layout, grid, spec.name)!.at);
    byCheck.push([spec.name, positions]);
  }
  for (const [name, positions] of byCheck) {
    if (checkPasses(layout, grid, name)) continue;
    const checkAt = checkOf(layout, grid, name)!.at;
    const options = positions.map(([l, i]) => {
      const ch = grid[l]![i]!;
      const isCheck = l === checkAt[0] && i === checkAt[1];
      const ev = evidence?.[l]?.[i] ?? null;
      const alts = new Map<string, number>();
      const lookalikes = isCheck ? (TO_DIGIT[ch] ? [TO_DIGIT[ch]!] : []) : (SWAPS[ch] ?? []);
      for (const a of lookalikes) alts.set(a, UNSEEN_ALTERNATIVE_P);
      for (const a of ev?.alternatives ?? []) {
        if (a.p < MIN_ALTERNATIVE_P || !/^[A-Z0-9<]$/.test(a.char) || a.char === ch) continue;
        if (isCheck && !/^[0-9]$/.test(a.char)) continue;
        alts.set(a.char, Math.max(alts.get(a.char) ?? 0, a.p));
      }
      return { l, i, ch, pRead: ev?.p ?? 1, alts: [...alts].map(([to, p]) => ({ to, p })) };
    });
    const found = uniqueMinimalFix(layout, grid, name, options);
    if (found) apply(grid, found, out);
  }
}

/**
 * Smallest set of swaps (≤ MAX_SWAPS) that makes the check verify. Kept when it is the only one, or
 * when the recogniser's own probabilities favour it over every other verifying set by
 * EVIDENCE_MARGIN (without evidence all sets tie, so only a unique one is kept).
 */
function uniqueMinimalFix(
  layout: Layout,
  grid: string[][],
  name: string,
  options: { l: number; i: number; ch: string; pRead: number; alts: { to: string; p: number }[] }[],
): MrzCorrection[] | null {
  const usable = options.filter((o) => o.alts.length > 0);
  for (let k = 1; k <= MAX_SWAPS; k++) {
    const passing: { changes: MrzCorrection[]; score: number }[] = [];
    const recurse = (from: number, chosen: MrzCorrection[], score: number) => {
      if (chosen.length === k) {
        const trial = grid.map((l) => [...l]);
        for (const c of chosen) trial[c.line]![c.index] = c.to;
        if (checkPasses(layout, trial, name) && conforms(layout, trial, chosen)) passing.push({ changes: [...chosen], score });
        return;
      }
      for (let j = from; j < usable.length; j++) {
        const o = usable[j]!;
        for (const alt of o.alts) {
          chosen.push({ line: o.l, index: o.i, from: o.ch, to: alt.to, rule: 'check-digit-confirmed' });
          recurse(j + 1, chosen, score + Math.log(alt.p / Math.max(o.pRead, 1e-6)));
          chosen.pop();
        }
      }
    };
    recurse(0, [], 0);
    if (passing.length === 0) continue;
    passing.sort((a, b) => b.score - a.score);
    if (passing.length === 1) return passing[0]!.changes;
    if (passing[0]!.score - passing[1]!.score >= Math.log(EVIDENCE_MARGIN)) return passing[0]!.changes;
    return null; // ambiguous: keep what was read
  }
  return null;
}

/** A swap must not put a filler inside a number (fillers only pad the end of a field). */
function conforms(layout: Layout, grid: string[][], changes: MrzCorrection[]): boolean {
  for (const c of changes) {
    if (c.to !== '<') continue;
    const field = layout.fields.find((f) => f.line === c.line && c.index >= f.start && c.index < f.end);
    if (!field) return false;
    const rest = grid[c.line]!.slice(c.index, field.end).join('');
    if (!/^<+$/.test(rest) && field.name === 'documentNumber') return false;
  }
  return true;
}

/** Rule 3: state codes from the ICAO list. */
function correctStateCodes(layout: Layout, grid: string[][], out: MrzCorrection[]): void {
  for (const name of ['issuingState', 'nationality']) {
    const fs = layout.fields.find((f) => f.name === name)!;
    const code = text(grid, fs.line, fs.start, fs.end);
    if (isKnownStateCode(code)) continue;
    const changes: MrzCorrection[] = [];
    const fixed = [...code].map((ch, k) => {
      const to = TO_LETTER[ch];
      if (!to) return ch;
      changes.push({ line: fs.line, index: fs.start + k, from: ch, to, rule: 'state-code' });
      return to;
    });
    if (changes.length > 0 && isKnownStateCode(fixed.join(''))) apply(grid, changes, out);
  }
}

/** Rule 4: names hold letters and fillers only. */
function correctNames(layout: Layout, grid: string[][], out: MrzCorrection[], evidence?: (CharEvidence | null)[][]): void {
  const fs = layout.fields.find((f) => f.name === 'names')!;
  const row = grid[fs.line]!;
  missingSeparator(fs, row, out, evidence?.[fs.line]);
  doubtfulFillers(fs, row, out, evidence?.[fs.line]);
  const runLeft = (i: number) => {
    let n = 0;
    for (let j = i - 1; j >= fs.start && row[j] === '<'; j--) n++;
    return n;
  };
  const runRight = (i: number) => {
    let n = 0;
    for (let j = i + 1; j < fs.end && row[j] === '<'; j++) n++;
    return n;
  };
  for (let i = fs.start; i < fs.end; i++) {
    const ch = row[i]!;
    if (FILLER_LOOKALIKES.has(ch) && runLeft(i) >= 2 && (runRight(i) >= 2 || i === fs.end - 1)) {
      out.push({ line: fs.line, index: i, from: ch, to: '<', rule: 'name-filler' });
      row[i] = '<';
    }
  }
  // After the last name part holding a letter other than K, C, S (a real name part) comes the
  // trailing filler: when at least two look-alikes stand there, they are all misread fillers (a
  // lone initial such as `<K` is kept: it may be a name).
  const field = row.slice(fs.start, fs.end).join('');
  let lastReal = 0;
  for (const m of field.matchAll(/[^<]+/g)) if (/[^KCS4]/.test(m[0])) lastReal = m.index + m[0].length;
  const tail = field.slice(lastReal);
  if ((tail.match(/[^<]/g) ?? []).length >= 2) {
    for (let i = fs.start + lastReal; i < fs.end; i++) {
      if (row[i] !== '<') {
        out.push({ line: fs.line, index: i, from: row[i]!, to: '<', rule: 'name-filler' });
        row[i] = '<';
      }
    }
  }
  for (let i = fs.start; i < fs.end; i++) {
    const to = TO_LETTER[row[i]!];
    if (to) {
      out.push({ line: fs.line, index: i, from: row[i]!, to, rule: 'name-alphabet' });
      row[i] = to;
    }
  }
}

/**
 * Every name field has `<<` after the primary identifier (ICAO Doc 9303 part 3 §4.6), even when
 * there is no secondary identifier. When none stands before the trailing filler, one `<` of the
 * separator was misread: a K, C or S right after a single `<` becomes `<` — only when the
 * recogniser itself listed `<` as that character's alternative (≥ 10 %) and exactly one such
 * character exists. Without the recogniser's evidence nothing is changed.
 */
function missingSeparator(fs: { start: number; end: number; line: number }, row: string[], out: MrzCorrection[], evidence?: (CharEvidence | null)[]): void {
  if (!evidence) return;
  const field = row.slice(fs.start, fs.end).join('');
  const body = field.replace(/<+$/, '');
  if (body.length === field.length || body.includes('<<')) return;
  const found: number[] = [];
  for (let k = 1; k < body.length; k++) {
    if (!/[KCS]/.test(body[k]!) || body[k - 1] !== '<') continue;
    const alt = evidence[fs.start + k]?.alternatives.find((a) => a.char === '<');
    if (alt && alt.p >= 0.1) found.push(fs.start + k);
  }
  if (found.length !== 1) return;
  const i = found[0]!;
  out.push({ line: fs.line, index: i, from: row[i]!, to: '<', rule: 'name-filler' });
  row[i] = '<';
}

/**
 * The recogniser took this character for a possible filler: it doubted it (p <
 * nameFillerDoubtBelowP) and named `<` as its runner-up (≥ nameFillerMinAltP; mrz/config.ts).
 */
export function doubtedFiller(e: CharEvidence | null | undefined): boolean {
  const runnerUp = e?.alternatives[0];
  return !!e && e.p < MRZ_DEFAULTS.nameFillerDoubtBelowP && runnerUp?.char === '<' && runnerUp.p >= MRZ_DEFAULTS.nameFillerMinAltP;
}

/**
 * The filler `<` blurred, compressed or small reads as K or C (or S): a K, C or S of the names
 * field standing next to a `<` is a filler when the recogniser itself doubted it (p <
 * nameFillerDoubtBelowP) and named `<` as its runner-up (≥ nameFillerMinAltP; mrz/config.ts). Repeated until
 * nothing changes, so a doubtful pair "KK<" goes too. A name letter read with confidence, or
 * whose runner-up is another letter, is never touched; without the recogniser's evidence nothing
 * changes.
 */
function doubtfulFillers(fs: { start: number; end: number; line: number }, row: string[], out: MrzCorrection[], evidence?: (CharEvidence | null)[]): void {
  if (!evidence) return;
  const filler = (i: number) => i >= fs.start && i < fs.end && row[i] === '<';
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = fs.start; i < fs.end; i++) {
      if (!/[KCS]/.test(row[i]!) || !(filler(i - 1) || filler(i + 1))) continue;
      if (!doubtedFiller(evidence[i])) continue;
      out.push({ line: fs.line, index: i, from: row[i]!, to: '<', rule: 'name-filler' });
      row[i] = '<';
      changed = true;
    }
  }
}

/** The document code starts with a letter (A, C, I, P, V by Doc 9303): a digit there is a misread
 * letter. Its second character is the issuer's choice (a letter, a digit or `<`): only a K, C or S
 * that the recogniser doubted, with `<` as its runner-up, becomes `<` — the rule of the names
 * field's filler look-alikes (doubtfulFillers). */
function correctDocumentCode(grid: string[][], out: MrzCorrection[], evidence?: (CharEvidence | null)[][]): void {
  const ch = grid[0]![0]!;
  const to = TO_LETTER[ch];
  if (to) {
    out.push({ line: 0, index: 0, from: ch, to, rule: 'name-alphabet' });
    grid[0]![0] = to;
  }
  const second = grid[0]![1]!;
  if (/[KCS]/.test(second) && doubtedFiller(evidence?.[0]?.[1])) {
    out.push({ line: 0, index: 1, from: second, to: '<', rule: 'code-filler' });
    grid[0]![1] = '<';
  }
}

function apply(grid: string[][], changes: MrzCorrection[], out: MrzCorrection[]): void {
  for (const c of changes) {
    grid[c.line]![c.index] = c.to;
    out.push(c);
  }
}

/** A YYMMDD that exists on the calendar (any century). */
export function isPlausibleDate(yymmdd: string): boolean {
  if (!/^[0-9]{6}$/.test(yymmdd)) return false;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const days = new Date(Date.UTC(2000 + yy, mm, 0)).getUTCDate();
  return dd <= days;
}

function splitNames(names: string): { lastName: string; firstName: string } {
  const trimmed = names.replace(/<+$/, '');
  const sep = trimmed.indexOf('<<');
  const last = sep < 0 ? trimmed : trimmed.slice(0, sep);
  const first = sep < 0 ? '' : trimmed.slice(sep + 2);
  const clean = (s: string) => s.replace(/<+/g, ' ').trim();
  return { lastName: clean(last), firstName: clean(first) };
}

/**
 * Characters a check covers (its digit included) read with probability below
 * MRZ_DEFAULTS.nearGuessBelowP. Each such character has several readings about as likely, so g of
 * them make ≈ 3^g strings the read could be; one in ten passes the check by chance. From g = 3
 * (27 strings, ≈ 2.7 chance passes against one true one) a pass is likelier chance than
 * confirmation.
 */
function nearGuesses(spec: Layout['checks'][number], evidence: (CharEvidence | null)[][] | undefined): number {
  if (!evidence) return 0;
  let n = 0;
  for (const [l, start, end] of [...spec.covers, [spec.at[0], spec.at[1], spec.at[1] + 1] as [number, number, number]]) {
    for (let i = start; i < end; i++) {
      const e = evidence[l]?.[i];
      if (e && e.p < MRZ_DEFAULTS.nearGuessBelowP) n++;
    }
  }
  return n;
}

function buildResult(layout: Layout, grid: string[][], corrections: MrzCorrection[], evidence?: (CharEvidence | null)[][]): ParsedMrz {
  const lines = grid.map((l) => l.join(''));
  const field = (name: string) => {
    const fs = layout.fields.find((f) => f.name === name);
    return fs ? text(grid, fs.line, fs.start, fs.end) : '';
  };
  const checks: Record<string, CheckVerdict> = {};
  for (const spec of layout.checks) {
    const c = checkOf(layout, grid, spec.name)!;
    const guessed = nearGuesses(spec, evidence);
    const verdict: CheckVerdict = { value: c.field, checkDigit: c.check, valid: checkPasses(layout, grid, spec.name) && guessed < MRZ_DEFAULTS.maxNearGuessesPerCheck };
    checks[spec.name] = guessed > 0 ? { ...verdict, guessed } : verdict;
  }
  const classes = classMap(layout);
  const badCharacters: [number, number][] = [];
  grid.forEach((row, l) =>
    row.forEach((ch, i) => {
      const cls = classes[l]![i]!;
      const isCheckDigit = layout.checks.some((c) => c.at[0] === l && c.at[1] === i);
      if (isCheckDigit && ch === '<') return; // judged by its check verdict
      if (!CLASS_RE[cls].test(ch)) badCharacters.push([l, i]);
    }),
  );
  const long = layout.format === 'TD1' ? td1LongNumber(grid) : null;
  const documentNumber = (long ? long.number : field('documentNumber')).replace(/<+$/, '');
  const optional: Record<string, string> = {};
  for (const fs of layout.fields) if (fs.name.startsWith('optional') || fs.name === 'personalNumber') optional[fs.name] = field(fs.name);
  const issuingState = field('issuingState');
  const nationality = field('nationality');
  const birthDate = field('birthDate');
  const expirationDate = field('expirationDate');
  const fields: MrzFields = {
    documentCode: field('documentCode'),
    issuingState,
    issuingStateKnown: isKnownStateCode(issuingState),
    documentNumber,
    nationality,
    nationalityKnown: isKnownStateCode(nationality),
    birthDate,
    birthDateValid: isPlausibleDate(birthDate),
    sex: field('sex'),
    expirationDate,
    expirationDateValid: isPlausibleDate(expirationDate),
    ...splitNames(field('names')),
    optional,
    checks,
    badCharacters,
    corrections,
  };
  const valid =
    Object.values(checks).every((c) => c.valid) &&
    badCharacters.length === 0 &&
    fields.issuingStateKnown &&
    fields.nationalityKnown &&
    fields.birthDateValid &&
    fields.expirationDateValid;
  return { format: layout.format, lines, valid, fields: fields as MrzFields & Record<string, unknown> };
}
