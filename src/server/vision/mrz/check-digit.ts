/** ICAO 9303 part 3 §4.9 check digits: weights 7, 3, 1 repeating; 0–9 → 0–9, A–Z → 10–35, < → 0. */
export function charValue(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (ch === '<') return 0;
  return Number.NaN;
}

/** The check digit (0–9) of a field, or NaN when it holds a character outside the MRZ alphabet. */
export function checkDigit(field: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += charValue(field[i]!) * weights[i % 3]!;
  return sum % 10;
}

/**
 * Does `check` (one character as printed) verify `field`? A filler `<` verifies only a field that
 * is all fillers (allowed for empty optional data, Doc 9303 part 4 §4.2.2).
 */
export function verifies(field: string, check: string): boolean {
  if (check === '<') return /^<*$/.test(field);
  if (!/^[0-9]$/.test(check)) return false;
  return checkDigit(field) === Number(check);
}
