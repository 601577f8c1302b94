/**
 * AAMVA DL/ID card data (the PDF417 on the back of North American driving licences and ID cards).
 * Layout (AAMVA DL/ID Card Design Standard, annex D): "@" LF RS CR, then "ANSI " (or "AAMVA" in
 * version 1), the issuer's 6-digit IIN, AAMVA version (2 digits), jurisdiction version (2), number
 * of subfiles (2), then per subfile: type (2 letters, "DL" or "ID"), offset (4), length (4). Each
 * subfile starts with its type and holds elements "XXXvalue" separated by LF, ended by CR.
 */
import { AAMVA_IIN, CANADIAN_JURISDICTIONS, type Jurisdiction } from './jurisdictions.js';

export interface AamvaData {
  /** Issuer identification number from the header. */
  iin: string;
  aamvaVersion: number;
  /** Subfile types present, e.g. ["DL"], ["ID"], ["DL", "ZC"]. */
  subfileTypes: string[];
  /** DRIVING_LICENCE when a DL subfile is present, IDENTITY_CARD for an ID subfile only. */
  documentKind: 'DRIVING_LICENCE' | 'IDENTITY_CARD';
  /** ISO alpha-3 of the issuing country, from DCG, else the IIN, else the DAJ code. */
  country: 'USA' | 'CAN' | 'MEX';
  jurisdiction: Jurisdiction | null;
  /** Every element of the DL/ID subfile by its 3-letter id (DAQ, DCS, DAC, DBB…). */
  elements: Record<string, string>;
  /** Friendly names for the common elements. */
  fields: {
    documentNumber?: string;
    lastName?: string;
    firstName?: string;
    middleName?: string;
    birthDate?: string;
    expirationDate?: string;
    issueDate?: string;
    sex?: string;
    address?: string;
    city?: string;
    jurisdictionCode?: string;
    postalCode?: string;
  };
}

/** LF, CR and RS (0x1E) separate AAMVA elements and records. */
const RS = String.fromCharCode(0x1e);

const FIELD_IDS: Record<keyof AamvaData['fields'], string[]> = {
  documentNumber: ['DAQ'],
  lastName: ['DCS', 'DAB'],
  firstName: ['DAC', 'DCT'],
  middleName: ['DAD'],
  birthDate: ['DBB'],
  expirationDate: ['DBA'],
  issueDate: ['DBD'],
  sex: ['DBC'],
  address: ['DAG'],
  city: ['DAI'],
  jurisdictionCode: ['DAJ'],
  postalCode: ['DAK'],
};

/**
 * Parse AAMVA text. Returns null when the text is not AAMVA (no compliance indicator and no
 * "ANSI "/"AAMVA" header, or no DL/ID subfile). Tolerant of the separators some issuers get wrong.
 */
export function parseAamva(text: string): AamvaData | null {
  const start = text.search(/ANSI ?|AAMVA/);
  if (start < 0 || start > 8) return null;
  const head = text.slice(start).replace(/^(ANSI ?|AAMVA)/, '');
  const m = /^(\d{6})(\d{2})(\d{2})?(\d{2})/.exec(head);
  if (!m) return null;
  const iin = m[1]!;
  const aamvaVersion = Number(m[2]);
  const subfileTypes: string[] = [];
  for (const sm of head.matchAll(/(DL|ID|Z[A-Z])(\d{4})(\d{4})/g)) {
    if (sm.index > 40) break;
    subfileTypes.push(sm[1]!);
  }
  const elements: Record<string, string> = {};
  // Elements: a 3-letter id starting with D (AAMVA) at a line start, after the subfile type.
  for (const line of text.split(RS).join('\n').split(/[\n\r]+/)) {
    const body = line.replace(/^.*?(?:DL|ID)(?=D[A-Z]{2})/, '');
    const em = /^(D[A-Z]{2})(.*)$/.exec(body.trim());
    if (em && !(em[1]! in elements)) elements[em[1]!] = em[2]!.trim();
  }
  if (!('DAQ' in elements) && !('DCS' in elements) && !('DAB' in elements)) return null;
  const documentKind = subfileTypes.includes('DL') || (!subfileTypes.includes('ID') && 'DCA' in elements)
    ? 'DRIVING_LICENCE'
    : 'IDENTITY_CARD';
  const jurisdiction = AAMVA_IIN[iin] ?? null;
  const dcg = elements['DCG'];
  const daj = elements['DAJ'];
  const country: AamvaData['country'] =
    dcg === 'CAN' || dcg === 'USA' || dcg === 'MEX'
      ? dcg
      : jurisdiction
        ? jurisdiction.country
        : daj && CANADIAN_JURISDICTIONS.has(daj)
          ? 'CAN'
          : 'USA';
  const fields: AamvaData['fields'] = {};
  for (const [name, ids] of Object.entries(FIELD_IDS) as [keyof AamvaData['fields'], string[]][]) {
    for (const id of ids) {
      const v = elements[id];
      if (v) {
        fields[name] = v;
        break;
      }
    }
  }
  return { iin, aamvaVersion, subfileTypes, documentKind, country, jurisdiction, elements, fields };
}
