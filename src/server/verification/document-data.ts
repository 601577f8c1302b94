/**
 * Calendar dates from the documents' encodings (MRZ YYMMDD with its century rule, AAMVA, ISO),
 * and the MRZ views the cross-check factor reads (every page's check digits). The normalised
 * document is extract-document.ts. Pure.
 */
import type { DocumentResult, MrzResult } from '../vision/contract.js';

export interface MrzView {
  page: 'FRONT' | 'BACK';
  format: string;
  valid: boolean;
  documentNumber: string | null;
  lastName: string | null;
  firstName: string | null;
  birthDate: string | null;
  expirationDate: string | null;
  checks: Record<string, { valid: boolean }> | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function mrzView(page: 'FRONT' | 'BACK', m: MrzResult): MrzView {
  const f = (m.fields ?? {}) as Record<string, unknown>;
  const checks = f.checks && typeof f.checks === 'object' ? (f.checks as Record<string, { valid: boolean }>) : null;
  return {
    page,
    format: m.format,
    valid: m.valid === true,
    documentNumber: str(f.documentNumber),
    lastName: str(f.lastName),
    firstName: str(f.firstName),
    birthDate: f.birthDateValid === false ? null : str(f.birthDate),
    expirationDate: f.expirationDateValid === false ? null : str(f.expirationDate),
    checks,
  };
}

/** Every MRZ read on the session's pages (front first). */
export function mrzViews(front: DocumentResult | null, back: DocumentResult | null): MrzView[] {
  const out: MrzView[] = [];
  if (front?.mrz) out.push(mrzView('FRONT', front.mrz));
  if (back?.mrz) out.push(mrzView('BACK', back.mrz));
  return out;
}

/** A UTC calendar date. */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

function validYmd(y: number, m: number, d: number): Ymd | null {
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return { y, m, d };
}

/**
 * MRZ YYMMDD → a date. The century is not in the MRZ: a birth date takes the latest century that
 * does not put it in the future; an expiry date the century that puts it within 50 years of today.
 */
export function mrzDate(yymmdd: string, kind: 'birth' | 'expiry', now: number): Ymd | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const m = Number(yymmdd.slice(2, 4));
  const d = Number(yymmdd.slice(4, 6));
  const thisYear = new Date(now).getUTCFullYear();
  let y = 2000 + yy;
  if (kind === 'birth') {
    if (Date.UTC(y, m - 1, d) > now) y -= 100;
  } else if (y > thisYear + 50) {
    y -= 100;
  }
  return validYmd(y, m, d);
}

/** AAMVA date (8 digits): CCYYMMDD for Canada, MMDDCCYY otherwise. */
export function aamvaDate(value: string, country: string | null): Ymd | null {
  if (!/^\d{8}$/.test(value)) return null;
  if (country === 'CAN') return validYmd(Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6, 8)));
  return validYmd(Number(value.slice(4, 8)), Number(value.slice(0, 2)), Number(value.slice(2, 4)));
}

/** Applicant-form date: YYYY-MM-DD. */
export function isoDate(value: string): Ymd | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  return m ? validYmd(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

export const ymdString = (d: Ymd) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
export const sameYmd = (a: Ymd, b: Ymd) => a.y === b.y && a.m === b.m && a.d === b.d;

/** Whole days from `now`'s UTC day to `d` (negative: in the past). */
export function daysUntil(d: Ymd, now: number): number {
  const today = new Date(now);
  const t0 = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.UTC(d.y, d.m - 1, d.d) - t0) / 86_400_000);
}

/** Age in whole years on `now`'s UTC day (a 29 February birthday counts on 1 March in common years). */
export function ageYears(birth: Ymd, now: number): number {
  const t = new Date(now);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  let age = y - birth.y;
  if (m < birth.m || (m === birth.m && d < birth.d)) age--;
  return age;
}
