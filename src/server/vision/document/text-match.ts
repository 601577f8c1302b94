/** Find known phrases (headers, country names) in OCR text, tolerant of small OCR slips. */

/** Upper case, accents removed, everything but letters and digits → one space. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Levenshtein distance with an early exit once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

export interface PhraseHit<T> {
  item: T;
  phrase: string;
  /** Index of the text line the phrase was found in. */
  line: number;
  edits: number;
}

interface PreparedPhrase<T> {
  item: T;
  phrase: string;
  norm: string;
  words: number;
  compact: string;
}

/** Normalised phrases, longest first, per phrase table (tables are built once: classify.ts). */
const PREPARED = new WeakMap<object, PreparedPhrase<unknown>[]>();

function preparedPhrases<T>(items: ReadonlyArray<{ item: T; phrase: string }>): PreparedPhrase<T>[] {
  const cached = PREPARED.get(items);
  if (cached) return cached as PreparedPhrase<T>[];
  const prepared = items
    .map((x) => {
      const norm = normalizeText(x.phrase);
      return { item: x.item, phrase: x.phrase, norm, words: norm.split(' ').length, compact: norm.replace(/ /g, '') };
    })
    .filter((x) => x.compact.length > 0)
    .sort((a, b) => b.compact.length - a.compact.length);
  PREPARED.set(items, prepared);
  return prepared;
}

/**
 * Every phrase found in a line (a phrase never spans two OCR lines). Longer phrases are matched
 * first and take their letters, so "NEW MEXICO" hides "MEXICO". Two ways to match:
 * - whole words, allowing `editsPer8` edits per 8 letters of the phrase (none below 8 letters);
 * - phrases of 8+ letters also anywhere inside the line with spaces removed, with the same edit
 *   allowance (text recognisers often drop the spaces between Latin words: "NATIONALIDENTITYCARD").
 */
export function findPhrases<T>(
  lines: readonly string[],
  items: ReadonlyArray<{ item: T; phrase: string }>,
  editsPer8: number,
): PhraseHit<T>[] {
  const prepared = preparedPhrases(items);
  const hits: PhraseHit<T>[] = [];
  lines.forEach((raw, lineIndex) => {
    const words = normalizeText(raw).split(' ').filter(Boolean);
    const starts: number[] = [];
    let compact = '';
    for (const w of words) {
      starts.push(compact.length);
      compact += w;
    }
    const taken = new Array<boolean>(compact.length).fill(false);
    const free = (from: number, to: number) => !taken.slice(from, to).some(Boolean);
    const take = (from: number, to: number) => taken.fill(true, from, to);
    for (const p of prepared) {
      const maxEdits = Math.floor(p.compact.length / 8) * editsPer8;
      let found = false;
      for (let i = 0; i + p.words <= words.length && !found; i++) {
        const from = starts[i]!;
        const to = i + p.words < words.length ? starts[i + p.words]! : compact.length;
        if (!free(from, to)) continue;
        const window = words.slice(i, i + p.words).join(' ');
        const edits = window === p.norm ? 0 : maxEdits > 0 ? editDistance(window, p.norm, maxEdits) : maxEdits + 1;
        if (edits <= maxEdits) {
          hits.push({ item: p.item, phrase: p.phrase, line: lineIndex, edits });
          take(from, to);
          found = true;
        }
      }
      if (!found && p.compact.length >= 8) {
        const m = bestSubstringMatch(p.compact, compact, maxEdits);
        if (m.edits <= maxEdits && free(m.start, m.end)) {
          hits.push({ item: p.item, phrase: p.phrase, line: lineIndex, edits: m.edits });
          take(m.start, m.end);
        }
      }
    }
  });
  return hits;
}

/**
 * Smallest edit distance between `pattern` and any substring of `text` (Sellers' semi-global
 * alignment, O(|pattern|·|text|)), with the substring's approximate span. With `max`, it stops as
 * soon as the distance must exceed it (a row's minimum never decreases) and reports `max + 1`.
 */
export function bestSubstringMatch(pattern: string, text: string, max = Infinity): { edits: number; start: number; end: number } {
  const m = pattern.length;
  const n = text.length;
  // Every substring misses at least m − n of the pattern's characters.
  if (m - n > max) return { edits: max + 1, start: 0, end: 0 };
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    const pc = pattern.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1]! + (pc === text.charCodeAt(j - 1) ? 0 : 1);
      const del = prev[j]! + 1;
      const ins = cur[j - 1]! + 1;
      const v = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return { edits: max + 1, start: 0, end: 0 };
    [prev, cur] = [cur, prev];
  }
  let end = 0;
  for (let j = 1; j <= n; j++) if (prev[j]! < prev[end]!) end = j;
  return { edits: prev[end]!, start: Math.max(0, end - m), end };
}
