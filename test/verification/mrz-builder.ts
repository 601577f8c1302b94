/**
 * Builds real TD3 (passport) MRZ lines with correct check digits, parsed by the product's own
 * MRZ parser, so the factor tests read the same structures the document engine stores.
 */
import { checkDigit } from '../../src/server/vision/mrz/check-digit.js';
import { parseMrz } from '../../src/server/vision/mrz/parse.js';
import type { DocumentResult, MrzResult } from '../../src/server/vision/contract.js';

export interface Td3 {
  lastName: string;
  firstName: string;
  number?: string;
  state?: string;
  birth: string; // YYMMDD
  sex?: 'M' | 'F' | '<';
  expiry: string; // YYMMDD
  personal?: string;
}

const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);

export function td3Lines(p: Td3): string[] {
  const state = p.state ?? 'UTO';
  const names = pad(`${p.lastName.replace(/ /g, '<')}<<${p.firstName.replace(/ /g, '<')}`, 39);
  const line1 = `P<${state}${names}`;
  const number = pad(p.number ?? 'L898902C3', 9);
  const personal = pad(p.personal ?? '', 14);
  const parts = [number, String(checkDigit(number)), state, p.birth, String(checkDigit(p.birth)), p.sex ?? 'F', p.expiry, String(checkDigit(p.expiry)), personal, String(checkDigit(personal))];
  const body = parts.join('');
  const composite = body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43);
  return [line1, body + String(checkDigit(composite))];
}

export function td3(p: Td3): MrzResult {
  return parseMrz(td3Lines(p));
}

/** A document page result as the engine stores it, around an MRZ. */
export function passportPage(mrz: MrzResult | null, extra: Partial<DocumentResult> = {}): DocumentResult {
  return {
    error: null,
    type: 'PASSPORT',
    country: 'UTO',
    pageSide: 'FRONT',
    isTwoSideDocument: false,
    mrz,
    portraitEmbedding: null,
    portraitEmbeddingModel: null,
    details: {},
    ms: 1,
    ...extra,
  };
}

export interface Td1 {
  code?: string;
  state: string;
  number: string;
  birth: string; // YYMMDD
  sex?: 'M' | 'F' | '<';
  expiry: string; // YYMMDD
  nationality?: string;
  /** The names field as printed, with fillers: SURNAME<<GIVEN<NAMES. */
  names: string;
  optional1?: string;
}

/** TD1 (ID card, residence permit) lines with correct check digits. */
export function td1Lines(p: Td1): string[] {
  const number = pad(p.number, 9);
  const l1 = pad(pad(p.code ?? 'I<', 2) + pad(p.state, 3) + number + String(checkDigit(number)) + (p.optional1 ?? ''), 30);
  const l2a = p.birth + String(checkDigit(p.birth)) + (p.sex ?? 'F') + p.expiry + String(checkDigit(p.expiry)) + pad(p.nationality ?? p.state, 3) + '<'.repeat(11);
  const composite = checkDigit(l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29));
  return [l1, l2a + String(composite), pad(p.names, 30)];
}

export function td1(p: Td1): MrzResult {
  return parseMrz(td1Lines(p));
}

/** A two-sided card page result as the engine stores it. */
export function cardPage(side: 'FRONT' | 'BACK', mrz: MrzResult | null, extra: Partial<DocumentResult> = {}): DocumentResult {
  return passportPage(mrz, { type: 'IDENTITY_CARD', pageSide: side, isTwoSideDocument: true, ...extra });
}
