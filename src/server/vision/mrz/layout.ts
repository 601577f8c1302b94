/**
 * The five MRZ layouts of ICAO Doc 9303 (parts 4–7) as data: where each field sits, what it may
 * hold, and which characters each check digit covers. Positions are [line, start, end) 0-based.
 */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B' | 'FRA-ID';

/** What a position may hold by definition: digits, letters, either, or names (letters and <). */
export type CharClass = 'digit' | 'alpha' | 'alnum' | 'name' | 'sex';

export interface FieldSpec {
  name: string;
  line: number;
  start: number;
  end: number;
  kind: CharClass;
}

export interface CheckSpec {
  /** Field name the check digit verifies ('composite' for the composite check). */
  name: string;
  /** Position of the check digit. */
  at: [line: number, index: number];
  /** Ranges concatenated to compute it. */
  covers: [line: number, start: number, end: number][];
  /** Optional check digits may be '<' when their field is empty. */
  optional?: boolean;
}

export interface Layout {
  format: MrzFormat;
  lineCount: number;
  lineLength: number;
  fields: FieldSpec[];
  checks: CheckSpec[];
}

const f = (name: string, line: number, start: number, end: number, kind: CharClass): FieldSpec => ({ name, line, start, end, kind });

const TD1: Layout = {
  format: 'TD1',
  lineCount: 3,
  lineLength: 30,
  fields: [
    // The second letter of the code is the issuer's choice (the US green card prints C1).
    f('documentCode', 0, 0, 2, 'alnum'),
    f('issuingState', 0, 2, 5, 'alpha'),
    f('documentNumber', 0, 5, 14, 'alnum'),
    f('documentNumberCheckDigit', 0, 14, 15, 'digit'),
    f('optional1', 0, 15, 30, 'alnum'),
    f('birthDate', 1, 0, 6, 'digit'),
    f('birthDateCheckDigit', 1, 6, 7, 'digit'),
    f('sex', 1, 7, 8, 'sex'),
    f('expirationDate', 1, 8, 14, 'digit'),
    f('expirationDateCheckDigit', 1, 14, 15, 'digit'),
    f('nationality', 1, 15, 18, 'alpha'),
    f('optional2', 1, 18, 29, 'alnum'),
    f('compositeCheckDigit', 1, 29, 30, 'digit'),
    f('names', 2, 0, 30, 'name'),
  ],
  checks: [
    { name: 'documentNumber', at: [0, 14], covers: [[0, 5, 14]] },
    { name: 'birthDate', at: [1, 6], covers: [[1, 0, 6]] },
    { name: 'expirationDate', at: [1, 14], covers: [[1, 8, 14]] },
    {
      name: 'composite',
      at: [1, 29],
      covers: [
        [0, 5, 30],
        [1, 0, 7],
        [1, 8, 15],
        [1, 18, 29],
      ],
    },
  ],
};

function twoLine(format: MrzFormat, length: 36 | 44, composite: boolean): Layout {
  const fields = [
    f('documentCode', 0, 0, 2, 'alnum'),
    f('issuingState', 0, 2, 5, 'alpha'),
    f('names', 0, 5, length, 'name'),
    f('documentNumber', 1, 0, 9, 'alnum'),
    f('documentNumberCheckDigit', 1, 9, 10, 'digit'),
    f('nationality', 1, 10, 13, 'alpha'),
    f('birthDate', 1, 13, 19, 'digit'),
    f('birthDateCheckDigit', 1, 19, 20, 'digit'),
    f('sex', 1, 20, 21, 'sex'),
    f('expirationDate', 1, 21, 27, 'digit'),
    f('expirationDateCheckDigit', 1, 27, 28, 'digit'),
  ];
  const checks: CheckSpec[] = [
    { name: 'documentNumber', at: [1, 9], covers: [[1, 0, 9]] },
    { name: 'birthDate', at: [1, 19], covers: [[1, 13, 19]] },
    { name: 'expirationDate', at: [1, 27], covers: [[1, 21, 27]] },
  ];
  if (!composite) {
    fields.push(f('optional', 1, 28, length, 'alnum'));
  } else if (length === 44) {
    fields.push(f('personalNumber', 1, 28, 42, 'alnum'), f('personalNumberCheckDigit', 1, 42, 43, 'digit'), f('compositeCheckDigit', 1, 43, 44, 'digit'));
    checks.push({ name: 'personalNumber', at: [1, 42], covers: [[1, 28, 42]], optional: true });
    checks.push({
      name: 'composite',
      at: [1, 43],
      covers: [
        [1, 0, 10],
        [1, 13, 20],
        [1, 21, 43],
      ],
    });
  } else {
    fields.push(f('optional', 1, 28, 35, 'alnum'), f('compositeCheckDigit', 1, 35, 36, 'digit'));
    checks.push({
      name: 'composite',
      at: [1, 35],
      covers: [
        [1, 0, 10],
        [1, 13, 20],
        [1, 21, 35],
      ],
    });
  }
  return { format, lineCount: 2, lineLength: length, fields, checks };
}

/**
 * The French national identity card of 1988–2021 (2 × 36, not ICAO TD2): printed on the FRONT,
 * under the portrait. Line 1: `IDFRA`, surname (25), the issuing office (6: département + office).
 * Line 2: the card number (12: issue year and month, département, serial), its check digit, the
 * given names (14), the birth date and its check digit, the sex, and a composite check digit over
 * line 1 and line 2's first 35 characters. No expiry date and no nationality in the zone (the
 * card is issued to French nationals only; it was valid 10 years from issue, 15 from 2014).
 * Sources: the `mrz` npm package's French national ID parser; ANTS specimen.
 */
const FRA_ID: Layout = {
  format: 'FRA-ID',
  lineCount: 2,
  lineLength: 36,
  fields: [
    f('documentCode', 0, 0, 2, 'alnum'),
    f('issuingState', 0, 2, 5, 'alpha'),
    f('lastName', 0, 5, 30, 'name'),
    f('administrativeCode', 0, 30, 36, 'alnum'),
    f('documentNumber', 1, 0, 12, 'alnum'),
    f('documentNumberCheckDigit', 1, 12, 13, 'digit'),
    f('firstName', 1, 13, 27, 'name'),
    f('birthDate', 1, 27, 33, 'digit'),
    f('birthDateCheckDigit', 1, 33, 34, 'digit'),
    f('sex', 1, 34, 35, 'sex'),
    f('compositeCheckDigit', 1, 35, 36, 'digit'),
  ],
  checks: [
    { name: 'documentNumber', at: [1, 12], covers: [[1, 0, 12]] },
    { name: 'birthDate', at: [1, 33], covers: [[1, 27, 33]] },
    {
      name: 'composite',
      at: [1, 35],
      covers: [
        [0, 0, 36],
        [1, 0, 35],
      ],
    },
  ],
};

export const LAYOUTS: Record<MrzFormat, Layout> = {
  TD1,
  TD2: twoLine('TD2', 36, true),
  TD3: twoLine('TD3', 44, true),
  'MRV-A': twoLine('MRV-A', 44, false),
  'MRV-B': twoLine('MRV-B', 36, false),
  'FRA-ID': FRA_ID,
};

/** Formats a block of `lineCount` lines of `lineLength` characters may be, by the layouts. */
export function formatsOfShape(lineCount: number, lineLength: number): MrzFormat[] {
  return (Object.keys(LAYOUTS) as MrzFormat[]).filter((k) => LAYOUTS[k].lineCount === lineCount && LAYOUTS[k].lineLength === lineLength);
}

/** Format from line count, line length and the document code (visas start with V; the French
 * national ID card's 2 × 36 zone starts `IDFRA`). */
export function formatOf(lines: string[]): MrzFormat | null {
  const len = lines[0]?.length ?? 0;
  if (!lines.every((l) => l.length === len)) return null;
  const visa = lines[0]?.[0] === 'V';
  if (lines.length === 3 && len === 30) return 'TD1';
  if (lines.length === 2 && len === 44) return visa ? 'MRV-A' : 'TD3';
  if (lines.length === 2 && len === 36) return visa ? 'MRV-B' : lines[0]!.startsWith('IDFRA') ? 'FRA-ID' : 'TD2';
  return null;
}

/** Class a position must hold, per layout (the per-character map used by the reader's scoring). */
export function classMap(layout: Layout): CharClass[][] {
  const map: CharClass[][] = [];
  for (let l = 0; l < layout.lineCount; l++) map.push(new Array<CharClass>(layout.lineLength).fill('alnum'));
  for (const fs of layout.fields) for (let i = fs.start; i < fs.end; i++) map[fs.line]![i] = fs.kind;
  return map;
}
