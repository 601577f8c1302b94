/**
 * Parse MRZ lines as given (ICAO Doc 9303, and the French national ID card's 2 × 36 layout):
 * detect the format, split the fields, verify every check digit, and report a verdict per field.
 * Nothing is corrected here: choosing the most probable zone from the recogniser's evidence is the
 * decoder's job (mrz/decode.ts), which hands its lines to this parser. Pure: no I/O, no state.
 *
 * An MRZ is `valid` here when every check digit verifies, every character is allowed where it
 * stands, the dates the format carries are calendar dates and the state codes are known. (The
 * reader's `valid` also requires that no field is doubtful: mrz/read.ts.)
 */
import { verifies } from './check-digit.js';
import { isKnownStateCode } from './countries.js';
import { classMap, formatOf, LAYOUTS, type CharClass, type Layout, type MrzFormat } from './layout.js';
import type { MrzResult } from '../contract.js';

export interface CheckVerdict {
  /** The characters the check digit covers. */
  value: string;
  checkDigit: string;
  valid: boolean;
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
  /** YYMMDD as printed; '' for a format without one (FRA-ID). */
  expirationDate: string;
  expirationDateValid: boolean;
  lastName: string;
  firstName: string;
  optional: Record<string, string>;
  /** Verdict of every check digit of the format, by name. */
  checks: Record<string, CheckVerdict>;
  /** Positions whose character is not allowed there (line, index). */
  badCharacters: [number, number][];
}

export interface ParsedMrz extends MrzResult {
  format: MrzFormat;
  fields: MrzFields & Record<string, unknown>;
}

const CLASS_RE: Record<CharClass, RegExp> = {
  digit: /^[0-9]$/,
  alpha: /^[A-Z<]$/,
  alnum: /^[A-Z0-9<]$/,
  name: /^[A-Z<]$/,
  sex: /^[MFX<]$/,
};

/** Parse lines of one MRZ. Throws RangeError when the lines fit no MRZ format. */
export function parseMrz(input: string[], format?: MrzFormat): ParsedMrz {
  const lines = input.map((l) => l.trim().toUpperCase());
  const detected = formatOf(lines);
  if (!detected || (format && (LAYOUTS[format].lineCount !== lines.length || LAYOUTS[format].lineLength !== lines[0]!.length))) {
    throw new RangeError(`not an MRZ: ${lines.length} line(s) of ${lines.map((l) => l.length).join('/')} characters`);
  }
  return buildResult(LAYOUTS[format ?? detected], lines.map((l) => [...l]));
}

const text = (grid: string[][], line: number, start: number, end: number) => grid[line]!.slice(start, end).join('');

/** TD1 documents whose number exceeds 9 characters continue it in the optional field (Doc 9303
 * part 5 §4.2.2 note j): `<` at the check position, then the rest, its check digit, and `<`. */
export function td1LongNumber(grid: string[][]): { number: string; check: string; checkAt: number } | null {
  if (grid[0]![14] !== '<') return null;
  const opt = text(grid, 0, 15, 30);
  const end = opt.indexOf('<');
  const ext = end < 0 ? opt : opt.slice(0, end);
  if (ext.length < 2) return null;
  return { number: text(grid, 0, 5, 14) + ext.slice(0, -1), check: ext.slice(-1), checkAt: 15 + ext.length - 1 };
}

function checkOf(layout: Layout, grid: string[][], name: string): { field: string; check: string } {
  const spec = layout.checks.find((c) => c.name === name)!;
  if (layout.format === 'TD1' && name === 'documentNumber') {
    const long = td1LongNumber(grid);
    if (long) return { field: long.number.replace(/<+$/, ''), check: long.check };
  }
  return { field: spec.covers.map(([l, s, e]) => text(grid, l, s, e)).join(''), check: grid[spec.at[0]]![spec.at[1]]! };
}

function checkPasses(layout: Layout, grid: string[][], name: string): boolean {
  const spec = layout.checks.find((c) => c.name === name)!;
  const c = checkOf(layout, grid, name);
  if (c.check === '<' && !spec.optional && name !== 'documentNumber') return false;
  return verifies(c.field, c.check);
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

const clean = (s: string) => s.replace(/<+/g, ' ').trim();

/** Primary identifier before `<<`, secondary after (ICAO Doc 9303 part 3 §4.6). */
export function splitNames(names: string): { lastName: string; firstName: string } {
  const trimmed = names.replace(/<+$/, '');
  const sep = trimmed.indexOf('<<');
  const last = sep < 0 ? trimmed : trimmed.slice(0, sep);
  const first = sep < 0 ? '' : trimmed.slice(sep + 2);
  return { lastName: clean(last), firstName: clean(first) };
}

function buildResult(layout: Layout, grid: string[][]): ParsedMrz {
  const lines = grid.map((l) => l.join(''));
  const field = (name: string) => {
    const fs = layout.fields.find((f) => f.name === name);
    return fs ? text(grid, fs.line, fs.start, fs.end) : '';
  };
  const checks: Record<string, CheckVerdict> = {};
  for (const spec of layout.checks) {
    const c = checkOf(layout, grid, spec.name);
    checks[spec.name] = { value: c.field, checkDigit: c.check, valid: checkPasses(layout, grid, spec.name) };
  }
  const classes = classMap(layout);
  const badCharacters: [number, number][] = [];
  grid.forEach((row, l) =>
    row.forEach((ch, i) => {
      const isCheckDigit = layout.checks.some((c) => c.at[0] === l && c.at[1] === i);
      if (isCheckDigit && ch === '<') return; // judged by its check verdict
      if (!CLASS_RE[classes[l]![i]!].test(ch)) badCharacters.push([l, i]);
    }),
  );
  const long = layout.format === 'TD1' ? td1LongNumber(grid) : null;
  const documentNumber = (long ? long.number : field('documentNumber')).replace(/<+$/, '');
  const optional: Record<string, string> = {};
  for (const fs of layout.fields) if (fs.name.startsWith('optional') || fs.name === 'personalNumber' || fs.name === 'administrativeCode') optional[fs.name] = field(fs.name);
  const issuingState = field('issuingState');
  // The French national ID card carries no nationality: it is issued to French nationals only.
  const nationality = layout.format === 'FRA-ID' ? issuingState : field('nationality');
  const birthDate = field('birthDate');
  const expirationDate = field('expirationDate');
  const names = layout.format === 'FRA-ID' ? { lastName: clean(field('lastName')), firstName: clean(field('firstName')) } : splitNames(field('names'));
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
    ...names,
    optional,
    checks,
    badCharacters,
  };
  const hasExpiry = layout.fields.some((f) => f.name === 'expirationDate');
  const valid =
    Object.values(checks).every((c) => c.valid) &&
    badCharacters.length === 0 &&
    fields.issuingStateKnown &&
    fields.nationalityKnown &&
    fields.birthDateValid &&
    (!hasExpiry || fields.expirationDateValid);
  return { format: layout.format, lines, valid, fields: fields as MrzFields & Record<string, unknown> };
}
