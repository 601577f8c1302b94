/**
 * Phone link codes: 12 characters from a 31-letter alphabet without look-alikes (no 0/O, 1/I/L),
 * shown as XXXX-XXXX-XXXX so a person can type it: log2(31^12) ≈ 59 bits. With a 10-minute life
 * and single use, guessing one is out of reach (2^59 tries); only the SHA-256 is stored.
 */
import { createHash, randomInt } from 'node:crypto';

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 12;

export function newCode(): string {
  let raw = '';
  for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/** Uppercased, separators dropped; null when it cannot be a code (so no lookup is made). */
export function normaliseCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

export function hashCode(normalised: string): string {
  return createHash('sha256').update(normalised).digest('hex');
}
