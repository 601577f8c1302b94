/**
 * Names as they appear in an MRZ (ICAO Doc 9303 part 3, section 6 "Transliteration"): upper case
 * A–Z only. National characters follow the ICAO table (Ä→AE, Ö→OE, Ü→UE, ß→SS, Å→AA, Æ→AE,
 * Ø→OE, Œ→OE, Þ→TH, Ĳ→IJ, Ŀ→L…); other Latin letters with diacritics lose the mark (É→E, Č→C,
 * Ñ→N). Many issuers drop the mark instead of spelling Ä as AE, so both spellings are produced
 * and a match with either counts (docs/decision.md). Cyrillic, Greek and Arabic names are not
 * transliterated here (their ICAO tables are not implemented): such a name only matches after
 * the applicant typed its Latin form.
 */
const ICAO_MULTI: Record<string, string> = {
  Ä: 'AE',
  Ö: 'OE',
  Ü: 'UE',
  ß: 'SS',
  ẞ: 'SS',
  Å: 'AA',
  Æ: 'AE',
  Ø: 'OE',
  Œ: 'OE',
  Þ: 'TH',
  Ĳ: 'IJ',
  Ð: 'D',
  Đ: 'D',
  Ħ: 'H',
  Ł: 'L',
  Ŀ: 'L',
  Ŧ: 'T',
  Ŋ: 'N',
};

/** Upper-case A–Z words separated by single spaces; '<', hyphens, apostrophes and dots are separators. */
function words(s: string): string {
  return s
    .replace(/[^A-Z]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

function stripMarks(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** The ICAO spelling (Ä→AE…) of a name. */
export function icaoTransliterate(name: string): string {
  const upper = name.normalize('NFC').toUpperCase();
  let out = '';
  for (const ch of upper) out += ICAO_MULTI[ch] ?? ch;
  // Apostrophes and hyphens separate name parts; any remaining mark is dropped.
  return words(stripMarks(out));
}

/** The spelling without diacritics (Ä→A): what many issuers print instead. */
export function plainTransliterate(name: string): string {
  const upper = name.normalize('NFC').toUpperCase();
  let out = '';
  for (const ch of upper) {
    const multi = ICAO_MULTI[ch];
    // Letters without a decomposition (Ø, Æ, Ł…) keep their ICAO spelling.
    out += multi && stripMarks(ch) === ch ? multi : ch;
  }
  return words(stripMarks(out));
}

/** Both spellings, without duplicates. */
export function nameSpellings(name: string): string[] {
  return [...new Set([icaoTransliterate(name), plainTransliterate(name)])].filter((s) => s !== '');
}

/** An MRZ name field (`MUSTERMANN<<ERIKA`, or already split with spaces) as words. */
export function mrzName(field: string): string {
  return words(field.toUpperCase().replace(/</g, ' '));
}
