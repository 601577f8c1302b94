/**
 * One document from its pages: the stored engine results of the front and the back, fused into
 * the normalised fields a bank reads (docs/document-data.md). Pure: no I/O; `now` is the
 * reference day for the two-digit MRZ years.
 *
 * Every field carries where it was read (`source`: MRZ, VIZ — the printed text —, BARCODE), on
 * which page, and a `confidence` (0–1). Where several sources carry a field the most confident
 * wins (MRZ before barcode on a tie, front before back), and every pair of sources is compared in
 * `checks`, which the field-consistency factor reads.
 */
import type { DocumentResult, DocumentType, MrzResult, PageSide } from '../vision/contract.js';
import { aamvaDate, mrzDate, ymdString, type Ymd } from './document-data.js';
import { icaoTransliterate, mrzName, plainTransliterate } from './transliterate.js';

export type FieldSource = 'MRZ' | 'VIZ' | 'BARCODE';

export interface DocumentField {
  /** Dates ISO 8601 (YYYY-MM-DD); states ISO 3166-1 alpha-3 (ICAO-only codes as printed); sex F, M or X. */
  value: string;
  source: FieldSource;
  page: PageSide;
  /** 0–1; see docs/document-data.md for how it is derived. */
  confidence: number;
}

export interface NameField extends DocumentField {
  /** The name in ICAO 9303 transliteration (A–Z, words separated by one space): what the MRZ carries. */
  icao: string;
}

export const DOCUMENT_FIELDS = [
  'number',
  'issuingState',
  'nationality',
  'surname',
  'givenNames',
  'dateOfBirth',
  'dateOfExpiry',
  'dateOfIssue',
  'sex',
  'personalNumber',
] as const;
export type DocumentFieldName = (typeof DOCUMENT_FIELDS)[number];

/** One comparison of a field between two sources (or a source and the printed text). */
export interface FieldCheck {
  field: DocumentFieldName;
  /** e.g. "MRZ BACK / BARCODE BACK", "MRZ BACK / printed text". */
  between: string;
  agree: boolean;
  /** Both sides are machine-readable (MRZ with check digits, barcode): a disagreement is a strong sign. */
  strong: boolean;
}

export interface MachineReadableZone {
  page: PageSide;
  kind: 'MRZ' | 'BARCODE';
  /** TD1, TD2, TD3, MRV-A, MRV-B; PDF417 for an AAMVA barcode. */
  format: string;
  /** MRZ: every check digit verifies; barcode: decoded and parsed as AAMVA. */
  valid: boolean;
}

export interface ExtractedDocument {
  type: DocumentType | null;
  country: string | null;
  isTwoSideDocument: boolean | null;
  number: DocumentField | null;
  issuingState: DocumentField | null;
  nationality: DocumentField | null;
  surname: NameField | null;
  givenNames: NameField | null;
  dateOfBirth: DocumentField | null;
  dateOfExpiry: DocumentField | null;
  dateOfIssue: DocumentField | null;
  sex: DocumentField | null;
  personalNumber: DocumentField | null;
  machineReadable: MachineReadableZone[];
  checks: FieldCheck[];
}

/**
 * Confidence when the MRZ reader gives none per field (docs/document-data.md). An ordinal scale,
 * not a calibrated probability: a misread passes a check digit about one time in ten.
 */
export const DERIVED_CONFIDENCE = {
  /** Field under a check digit that verifies, every character read clearly. */
  checkDigitVerified: 0.9,
  /** Under a check digit that verifies, but with characters the recogniser nearly guessed. */
  checkDigitVerifiedWithGuesses: 0.6,
  /** Its check digit fails (or it is an implausible date). */
  checkDigitFailed: 0.2,
  /** No check digit of its own (names, sex, optional data) in an MRZ whose check digits all verify. */
  uncheckedInValidMrz: 0.6,
  /** No check digit of its own, in an MRZ with a failing check. */
  uncheckedInInvalidMrz: 0.3,
  /** Issuing state or nationality that is a known ICAO code. */
  knownStateCode: 0.8,
  unknownStateCode: 0.2,
  /** The MRZ reader marked the field doubtful (`doubtfulFields`). */
  doubtful: 0.3,
  /** A name the printed text spells the same way as the MRZ or barcode (two independent reads agree). */
  confirmedByPrintedText: 0.9,
  /** An AAMVA PDF417 that decoded (Reed–Solomon error correction: what decodes is what was encoded). */
  barcode: 0.95,
} as const;

interface Candidate {
  field: DocumentFieldName;
  value: string;
  /** Names only: the ICAO form. */
  icao?: string;
  source: FieldSource;
  page: PageSide;
  confidence: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const round2 = (n: number) => Math.round(n * 100) / 100;
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Germany's one-letter MRZ code is DEU in ISO 3166; every other ICAO code is ISO or has no ISO equivalent (kept as printed). */
const ISO_FOR_ICAO: Readonly<Record<string, string>> = { D: 'DEU' };
export const isoState = (code: string) => ISO_FOR_ICAO[code] ?? code;

type Check = { valid?: boolean; guessed?: number };

/** The MRZ field key the reader uses for one of ours (for `fieldConfidence` / `doubtfulFields`). */
const MRZ_KEY: Partial<Record<DocumentFieldName, string>> = {
  number: 'documentNumber',
  issuingState: 'issuingState',
  nationality: 'nationality',
  surname: 'lastName',
  givenNames: 'firstName',
  dateOfBirth: 'birthDate',
  dateOfExpiry: 'expirationDate',
  sex: 'sex',
  personalNumber: 'personalNumber',
};

function mrzConfidence(m: MrzResult, field: DocumentFieldName, check: Check | null, base: number): number {
  const f = (m.fields ?? {}) as Record<string, unknown>;
  const key = MRZ_KEY[field] ?? field;
  const given = f.fieldConfidence && typeof f.fieldConfidence === 'object' ? (f.fieldConfidence as Record<string, unknown>)[key] : undefined;
  const doubtful = Array.isArray(f.doubtfulFields) && (f.doubtfulFields as unknown[]).includes(key);
  let c = typeof given === 'number' && Number.isFinite(given) ? clamp01(given) : base;
  if (check && check.valid === false) c = Math.min(c, DERIVED_CONFIDENCE.checkDigitFailed);
  if (doubtful) c = Math.min(c, DERIVED_CONFIDENCE.doubtful);
  return round2(c);
}

function checkedBase(check: Check | null): number {
  if (!check) return DERIVED_CONFIDENCE.uncheckedInInvalidMrz;
  if (check.valid !== true) return DERIVED_CONFIDENCE.checkDigitFailed;
  return (check.guessed ?? 0) > 0 ? DERIVED_CONFIDENCE.checkDigitVerifiedWithGuesses : DERIVED_CONFIDENCE.checkDigitVerified;
}

/** ICAO sex codes; AAMVA D20 uses 1 (male), 2 (female), 9 (not specified). */
function normaliseSex(v: string | null): string | null {
  if (!v) return null;
  const s = v.toUpperCase();
  if (s === 'M' || s === '1') return 'M';
  if (s === 'F' || s === '2') return 'F';
  if (s === '<' || s === 'X' || s === '9') return 'X';
  return null;
}

/** Where the names field ends on each format: a name reaching it may have been truncated. */
const NAME_FIELD: Record<string, { line: number; start: number; end: number }> = {
  TD1: { line: 2, start: 0, end: 30 },
  TD2: { line: 0, start: 5, end: 36 },
  TD3: { line: 0, start: 5, end: 44 },
  'MRV-A': { line: 0, start: 5, end: 44 },
  'MRV-B': { line: 0, start: 5, end: 36 },
};

/** The names field as printed, with `<` fillers: surname, then `<<`, then given names separated by `<`. */
export function splitMrzNames(field: string): { surname: string; givenNames: string } {
  const trimmed = field.replace(/<+$/, '');
  const sep = trimmed.indexOf('<<');
  const surname = sep < 0 ? trimmed : trimmed.slice(0, sep);
  const given = sep < 0 ? '' : trimmed.slice(sep + 2);
  return { surname: mrzName(surname), givenNames: mrzName(given) };
}

/** The MRZ names field of `m` when its lines are there, else the reader's split fields. */
function mrzNames(m: MrzResult): { surname: string; givenNames: string; truncated: boolean } {
  const nf = NAME_FIELD[m.format];
  const line = nf ? m.lines?.[nf.line] : undefined;
  if (nf && typeof line === 'string' && line.length >= nf.end) {
    const field = line.slice(nf.start, nf.end);
    return { ...splitMrzNames(field), truncated: !field.endsWith('<') };
  }
  const f = (m.fields ?? {}) as Record<string, unknown>;
  return { surname: mrzName(str(f.lastName) ?? ''), givenNames: mrzName(str(f.firstName) ?? ''), truncated: false };
}

function mrzCandidates(page: PageSide, m: MrzResult, now: number): Candidate[] {
  const f = (m.fields ?? {}) as Record<string, unknown>;
  const checks = (f.checks && typeof f.checks === 'object' ? f.checks : {}) as Record<string, Check>;
  const out: Candidate[] = [];
  const push = (field: DocumentFieldName, value: string | null, check: Check | null, base: number, icao?: string) => {
    if (value) out.push({ field, value, ...(icao !== undefined ? { icao } : {}), source: 'MRZ', page, confidence: mrzConfidence(m, field, check, base) });
  };
  const unchecked = m.valid ? DERIVED_CONFIDENCE.uncheckedInValidMrz : DERIVED_CONFIDENCE.uncheckedInInvalidMrz;
  const number = str(f.documentNumber)?.replace(/<+/g, '') ?? null;
  // A reader that gives no per-field verdicts: the MRZ's overall validity stands for the check.
  const checkOf = (name: string): Check | null => checks[name] ?? (Object.keys(checks).length === 0 ? { valid: m.valid } : null);
  push('number', number, checkOf('documentNumber'), checkedBase(checkOf('documentNumber')));
  for (const [field, key, known] of [['issuingState', 'issuingState', 'issuingStateKnown'], ['nationality', 'nationality', 'nationalityKnown']] as const) {
    const code = str(f[key])?.replace(/<+$/, '') ?? null;
    if (code && /^[A-Z]{1,3}$/.test(code)) push(field, isoState(code), null, f[known] === false ? DERIVED_CONFIDENCE.unknownStateCode : DERIVED_CONFIDENCE.knownStateCode);
  }
  const names = mrzNames(m);
  // A name that fills its field may be cut: less sure of it than of one ending in fillers.
  const nameBase = names.truncated ? Math.min(unchecked, DERIVED_CONFIDENCE.uncheckedInInvalidMrz) : unchecked;
  push('surname', names.surname || null, null, nameBase, names.surname);
  push('givenNames', names.givenNames || null, null, nameBase, names.givenNames);
  const date = (raw: unknown, kind: 'birth' | 'expiry', plausible: unknown): Ymd | null => {
    const s = str(raw);
    return s && plausible !== false ? mrzDate(s, kind, now) : null;
  };
  const birth = date(f.birthDate, 'birth', f.birthDateValid);
  push('dateOfBirth', birth ? ymdString(birth) : null, checkOf('birthDate'), checkedBase(checkOf('birthDate')));
  const expiry = date(f.expirationDate, 'expiry', f.expirationDateValid);
  push('dateOfExpiry', expiry ? ymdString(expiry) : null, checkOf('expirationDate'), checkedBase(checkOf('expirationDate')));
  push('sex', normaliseSex(str(f.sex)), null, unchecked);
  const optional = (f.optional && typeof f.optional === 'object' ? f.optional : {}) as Record<string, unknown>;
  const personal = str(optional.personalNumber)?.replace(/<+/g, '') ?? null;
  if (personal) push('personalNumber', personal, checks.personalNumber ?? null, checks.personalNumber ? checkedBase(checks.personalNumber) : unchecked);
  else if (m.format === 'TD1' || m.format === 'TD2') {
    // The issuer's optional data on line 1 (where most states print a personal number), unless
    // it only continues a long document number; covered by the composite check digit only.
    const opt = str(optional.optional1)?.replace(/<+$/, '') ?? null;
    const overflow = number !== null && number.length > 9;
    if (opt && !overflow && /^[A-Z0-9<]+$/.test(opt)) push('personalNumber', opt.replace(/</g, ''), checks.composite ?? null, checks.composite?.valid ? unchecked : DERIVED_CONFIDENCE.uncheckedInInvalidMrz);
  }
  return out;
}

interface AamvaView {
  country?: string;
  fields?: Record<string, unknown>;
}

function barcodeCandidates(page: PageSide, a: AamvaView): Candidate[] {
  const fields = a.fields ?? {};
  const country = str(a.country);
  const out: Candidate[] = [];
  const push = (field: DocumentFieldName, value: string | null, icao?: string) => {
    if (value) out.push({ field, value, ...(icao !== undefined ? { icao } : {}), source: 'BARCODE', page, confidence: DERIVED_CONFIDENCE.barcode });
  };
  const none = (v: string | null) => (v && v.toUpperCase() !== 'NONE' && v.toUpperCase() !== 'UNAVL' ? v : null);
  const date = (v: unknown) => {
    const s = str(v);
    const d = s ? aamvaDate(s, country) : null;
    return d ? ymdString(d) : null;
  };
  push('number', str(fields.documentNumber));
  push('issuingState', country);
  const surname = none(str(fields.lastName));
  if (surname) push('surname', surname.toUpperCase(), icaoTransliterate(surname));
  const given = [none(str(fields.firstName)), none(str(fields.middleName))].filter(Boolean).join(' ');
  if (given) push('givenNames', given.toUpperCase(), icaoTransliterate(given));
  push('dateOfBirth', date(fields.birthDate));
  push('dateOfExpiry', date(fields.expirationDate));
  push('dateOfIssue', date(fields.issueDate));
  push('sex', normaliseSex(str(fields.sex)));
  return out;
}

export interface PrintedLine {
  text: string;
  confidence: number;
  page: PageSide;
}

/** An OCR line that is (part of) an MRZ: has a filler, or is a long run of MRZ characters only. */
export const looksLikeMrz = (line: string) => line.includes('<') || /^[A-Z0-9]{25,}$/.test(line.replace(/\s/g, ''));

/** Printed text the OCR read on the pages, minus the MRZ lines (comparing the MRZ with itself proves nothing). */
export function printedLines(pages: Array<[PageSide, DocumentResult | null]>): PrintedLine[] {
  const out: PrintedLine[] = [];
  for (const [page, r] of pages) {
    const viz = r?.details?.viz;
    if (!Array.isArray(viz)) continue;
    for (const l of viz as Array<{ text?: unknown; confidence?: unknown }>) {
      if (typeof l.text !== 'string' || looksLikeMrz(l.text)) continue;
      out.push({ text: l.text, confidence: typeof l.confidence === 'number' ? l.confidence : 0, page });
    }
  }
  return out;
}

const letters = (s: string) => s.replace(/ /g, '');

/**
 * The printed spelling of a name whose ICAO form is `icao`: a run of words on one printed line
 * whose ICAO or plain transliteration is the same letters (Müller for MUELLER, Nováková for
 * NOVAKOVA). Null when no line spells it.
 */
export function printedSpelling(icao: string, lines: readonly PrintedLine[]): PrintedLine | null {
  const target = letters(icao);
  if (target.length < 2) return null;
  let best: PrintedLine | null = null;
  for (const line of lines) {
    const words = line.text.normalize('NFC').split(/[^\p{L}\p{M}'’-]+/u).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      for (let j = i + 1; j <= words.length; j++) {
        const span = words.slice(i, j).join(' ');
        if (letters(icaoTransliterate(span)).length > target.length) break;
        if (letters(icaoTransliterate(span)) === target || letters(plainTransliterate(span)) === target) {
          if (!best || line.confidence > best.confidence) best = { ...line, text: span.toUpperCase() };
        }
      }
    }
  }
  return best;
}

/**
 * The spellings of an ICAO name whose AE, OE, UE, AA may stand for Ä, Ö, Ü, Å printed on the
 * document and read without their marks (our OCR drops diacritics: MÜLLER is read MULLER). At
 * most 2⁴ variants.
 */
export function unmarkedVariants(icao: string): string[] {
  let out = [icao];
  const spots = [...icao.matchAll(/AE|OE|UE|AA/g)].slice(0, 4);
  for (const m of spots.reverse()) out = out.flatMap((v) => [v, v.slice(0, m.index) + v[m.index] + v.slice(m.index + 2)]);
  return [...new Set(out)];
}

/** The printed text contains `value` (letters and digits, spaces ignored; names in either transliteration, or read without their marks). */
function printedContains(lines: readonly PrintedLine[], value: string, isName: boolean): boolean {
  const targets = isName ? unmarkedVariants(letters(value)) : [alnum(value)];
  if (!targets[0]) return false;
  return lines.some((l) => {
    const forms = isName ? [icaoTransliterate(l.text), plainTransliterate(l.text)].map(letters) : [alnum(l.text)];
    return forms.some((f) => targets.some((t) => f.includes(t)));
  });
}

const RANK: Record<FieldSource, number> = { MRZ: 0, BARCODE: 1, VIZ: 2 };
const pick = (cands: Candidate[]): Candidate | null =>
  [...cands].sort((a, b) => b.confidence - a.confidence || RANK[a.source] - RANK[b.source] || (a.page === b.page ? 0 : a.page === 'FRONT' ? -1 : 1))[0] ?? null;

const sameValue = (field: DocumentFieldName, a: Candidate, b: Candidate) =>
  field === 'surname' || field === 'givenNames' ? letters(a.icao ?? '') === letters(b.icao ?? '') : alnum(a.value) === alnum(b.value);

/** Fields compared between machine-readable sources, and (number, surname) against the printed text. */
const COMPARED: readonly DocumentFieldName[] = ['number', 'surname', 'dateOfBirth', 'dateOfExpiry'];

function crossChecks(byField: Map<DocumentFieldName, Candidate[]>, chosen: Map<DocumentFieldName, Candidate>, printed: readonly PrintedLine[]): FieldCheck[] {
  const out: FieldCheck[] = [];
  for (const field of COMPARED) {
    const cands = byField.get(field) ?? [];
    for (let i = 0; i < cands.length; i++) {
      for (let j = i + 1; j < cands.length; j++) {
        const [a, b] = [cands[i]!, cands[j]!];
        out.push({ field, between: `${a.source} ${a.page} / ${b.source} ${b.page}`, agree: sameValue(field, a, b), strong: true });
      }
    }
  }
  if (printed.length > 0) {
    for (const field of ['number', 'surname'] as const) {
      const c = chosen.get(field);
      if (!c) continue;
      out.push({ field, between: `${c.source} ${c.page} / printed text`, agree: printedContains(printed, field === 'surname' ? (c.icao ?? c.value) : c.value, field === 'surname'), strong: false });
    }
  }
  return out;
}

interface Page {
  side: PageSide;
  r: DocumentResult;
}

function aamvaOf(r: DocumentResult): AamvaView[] {
  const codes = r.details?.barcodes;
  if (!Array.isArray(codes)) return [];
  return (codes as Array<{ aamva?: AamvaView | null }>).map((c) => c.aamva).filter((a): a is AamvaView => !!a?.fields);
}

/** The type: a specific MRZ code beats a printed header, which beats a generic machine-readable type, which beats the rest. */
function fusedType(pages: Page[]): DocumentType | null {
  const rank = (p: Page) => {
    if (!p.r.type) return -1;
    const code = str((p.r.mrz?.fields as Record<string, unknown> | undefined)?.documentCode) ?? '';
    const specificCode = p.r.mrz && /^(P|V|D|[IAC][A-Z])/.test(code) && p.r.type !== 'OTHER';
    if (specificCode) return 3;
    if (Array.isArray(p.r.details?.headers) && (p.r.details.headers as unknown[]).length > 0) return 2;
    return p.r.mrz || aamvaOf(p.r).length > 0 ? 1 : 0;
  };
  const best = [...pages].sort((a, b) => rank(b) - rank(a))[0];
  return best && rank(best) >= 0 ? best.r.type : null;
}

/** The country: the page whose MRZ has a known issuing state, else one with a barcode, else any page's reading (front first). */
function fusedCountry(pages: Page[]): string | null {
  const rank = (p: Page) => {
    if (!p.r.country) return -1;
    if ((p.r.mrz?.fields as Record<string, unknown> | undefined)?.issuingStateKnown === true) return 2;
    return aamvaOf(p.r).length > 0 ? 1 : 0;
  };
  const best = [...pages].sort((a, b) => rank(b) - rank(a))[0];
  return best && rank(best) >= 0 ? best.r.country : null;
}

export function extractDocument(front: DocumentResult | null, back: DocumentResult | null, now: number): ExtractedDocument {
  const pages: Page[] = [];
  if (front) pages.push({ side: 'FRONT', r: front });
  if (back) pages.push({ side: 'BACK', r: back });
  const candidates: Candidate[] = [];
  const machineReadable: MachineReadableZone[] = [];
  for (const p of pages) {
    if (p.r.mrz) {
      candidates.push(...mrzCandidates(p.side, p.r.mrz, now));
      machineReadable.push({ page: p.side, kind: 'MRZ', format: p.r.mrz.format, valid: p.r.mrz.valid === true });
    }
    for (const a of aamvaOf(p.r)) {
      candidates.push(...barcodeCandidates(p.side, a));
      machineReadable.push({ page: p.side, kind: 'BARCODE', format: 'PDF417', valid: true });
    }
  }
  const byField = new Map<DocumentFieldName, Candidate[]>();
  for (const c of candidates) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
  const chosen = new Map<DocumentFieldName, Candidate>();
  for (const [field, cands] of byField) chosen.set(field, pick(cands)!);
  const printed = printedLines(pages.map((p) => [p.side, p.r]));

  const field = (name: DocumentFieldName): DocumentField | null => {
    const c = chosen.get(name);
    return c ? { value: c.value, source: c.source, page: c.page, confidence: c.confidence } : null;
  };
  // Names: the printed spelling (the document's Latin form, with its diacritics) when a printed
  // line spells the same letters; the ICAO form is always the machine-readable one.
  const name = (n: 'surname' | 'givenNames'): NameField | null => {
    const c = chosen.get(n);
    if (!c) return null;
    const icao = c.icao ?? icaoTransliterate(c.value);
    const seen = printedSpelling(icao, printed);
    if (seen) return { value: seen.text, icao, source: 'VIZ', page: seen.page, confidence: round2(Math.max(c.confidence, DERIVED_CONFIDENCE.confirmedByPrintedText)) };
    return { value: c.value, icao, source: c.source, page: c.page, confidence: c.confidence };
  };
  const main = pages.find((p) => p.side === 'FRONT') ?? pages[0];
  return {
    type: fusedType(pages),
    country: fusedCountry(pages),
    isTwoSideDocument: main?.r.isTwoSideDocument ?? null,
    number: field('number'),
    issuingState: field('issuingState'),
    nationality: field('nationality'),
    surname: name('surname'),
    givenNames: name('givenNames'),
    dateOfBirth: field('dateOfBirth'),
    dateOfExpiry: field('dateOfExpiry'),
    dateOfIssue: field('dateOfIssue'),
    sex: field('sex'),
    personalNumber: field('personalNumber'),
    machineReadable,
    checks: crossChecks(byField, chosen, printed),
  };
}
