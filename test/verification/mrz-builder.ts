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
