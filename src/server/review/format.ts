/** Readable dates, ages, periods and scores for the review console (English, UTC). Pure. */
import { ageYears, daysUntil, isoDate } from '../verification/document-data.js';
import type { Factor } from '../verification/types.js';
import type { DocumentType } from '../vision/contract.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `1974-08-12` → `12 Aug 1974`; anything else as given. */
export function readableDate(iso: string): string {
  const d = isoDate(iso);
  return d ? `${d.d} ${MONTHS[d.m - 1]} ${d.y}` : iso;
}

/** An ISO timestamp → `15 Jan 2026, 10:00 UTC`. */
export function readableTime(iso: string | null): string {
  if (!iso) return '—';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const hh = String(t.getUTCHours()).padStart(2, '0');
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

/** A number of days as the largest sensible unit: `3 days`, `5 months`, `12 years`. */
export function period(days: number): string {
  const n = Math.abs(days);
  const plural = (k: number, unit: string) => `${k} ${unit}${k === 1 ? '' : 's'}`;
  if (n < 60) return plural(n, 'day');
  if (n < 730) return plural(Math.floor(n / 30.44), 'month');
  return plural(Math.floor(n / 365.25), 'year');
}

/** `12 Aug 1974 (age 51)`. */
export function birthDateWithAge(iso: string, now: number): string {
  const d = isoDate(iso);
  return d ? `${readableDate(iso)} (age ${ageYears(d, now)})` : iso;
}

/** `15 Apr 2032 (valid, 6 years left)` or `15 Apr 2012 (expired 13 years ago)`. */
export function expiryWithPeriod(iso: string, now: number): string {
  const d = isoDate(iso);
  if (!d) return iso;
  const days = daysUntil(d, now);
  if (days < 0) return `${readableDate(iso)} (expired ${period(days)} ago)`;
  if (days === 0) return `${readableDate(iso)} (expires today)`;
  return `${readableDate(iso)} (valid, ${period(days)} left)`;
}

/** A factor's score in words, by its unit. */
export function readableScore(f: Factor): string {
  if (f.score === null) return '—';
  const unit = typeof f.evidence.scoreUnit === 'string' ? f.evidence.scoreUnit : '';
  if (unit === 'days until expiry') return f.score < 0 ? `expired ${period(f.score)} ago` : f.score === 0 ? 'expires today' : `${period(f.score)} left`;
  if (unit === 'years') return `${f.score} years`;
  if (unit.startsWith('share')) return `${Math.round(f.score * 100)} % (${unit})`;
  return `${f.score}${unit ? ` (${unit})` : ''}`;
}

/** One name per type of the one vocabulary (vision/contract.ts DOCUMENT_TYPES); a type stored by an older version shows as stored. */
const TYPE_NAMES: Record<DocumentType, string> = {
  PASSPORT: 'Passport',
  IDENTITY_CARD: 'Identity card',
  DRIVING_LICENCE: 'Driving licence',
  RESIDENCE_PERMIT: 'Residence permit',
  OTHER: 'Other document',
};
export const documentTypeName = (t: string | null | undefined) => (t ? (TYPE_NAMES as Record<string, string>)[t] ?? t : 'Document');

/** `ERIKSSON, Anna Maria`-style display of the normalised names (surname as printed, given names as printed). */
export function displayName(surname: string | null | undefined, givenNames: string | null | undefined): string | null {
  if (!surname && !givenNames) return null;
  return [surname, givenNames].filter(Boolean).join(', ');
}
