/**
 * Tolerant name matching of a typed name against a name read from the document. Pure.
 *
 *  EXACT    the words are equal in the ICAO or the plain spelling (spaces and hyphens ignored);
 *  TOLERANT the same person in all likelihood: one side's words all appear on the other
 *           (a second given name left out), the MRZ truncated a long name (the document's name is
 *           a prefix ≥ 10 letters of the typed one), or one typo (edit distance 1 for up to 8
 *           letters, 2 above);
 *  MISMATCH anything else.
 */
import { mrzName, nameSpellings } from './transliterate.js';

export type NameMatch = 'EXACT' | 'TOLERANT' | 'MISMATCH';

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Letters allowed to differ: one up to 8 letters, two above. */
const typoBudget = (len: number) => (len <= 8 ? 1 : 2);
/** MRZ truncation: names longer than the field are cut; a prefix this long is accepted. */
const MIN_TRUNCATED_PREFIX = 10;

function compareSpelling(typed: string, doc: string): NameMatch {
  const a = typed.replace(/ /g, '');
  const b = doc.replace(/ /g, '');
  if (a === b) return 'EXACT';
  const ta = typed.split(' ');
  const tb = doc.split(' ');
  if (ta.every((w) => tb.includes(w)) || tb.every((w) => ta.includes(w))) return 'TOLERANT';
  if (b.length >= MIN_TRUNCATED_PREFIX && a.startsWith(b)) return 'TOLERANT';
  if (editDistance(a, b) <= typoBudget(Math.max(a.length, b.length))) return 'TOLERANT';
  return 'MISMATCH';
}

const RANK: Record<NameMatch, number> = { EXACT: 2, TOLERANT: 1, MISMATCH: 0 };

/** Best verdict over the typed name's spellings (ICAO and plain) against the document's name. */
export function matchName(typed: string, documentName: string): NameMatch {
  const doc = mrzName(documentName);
  let best: NameMatch = 'MISMATCH';
  for (const spelling of nameSpellings(typed)) {
    const v = compareSpelling(spelling, doc);
    if (RANK[v] > RANK[best]) best = v;
  }
  return best;
}
