/**
 * Cross-check of the MRZ name field against the printed (VIZ) text lines. Names carry no check
 * digit, so a misread name letter in an otherwise valid MRZ goes unnoticed (`MEULENDIJK` read
 * `HEULENDIJK` at ~8-px characters). The same name is printed in the visual zone in larger type:
 * where a VIZ word matches an MRZ name part up to a few OCR look-alikes, and the VIZ read of a
 * differing letter is confident while the MRZ read of it was doubtful, the VIZ letter is taken.
 *
 * Pure: no I/O. Only positions inside the names field change (no check digit covers it, and no
 * check-digit-covered field is ever touched here); every change is returned as evidence.
 */
import { LAYOUTS, type MrzFormat } from '../mrz/index.js';

export interface NameCheckConfig {
  /** The MRZ and the printed zone are two independent reads of a name letter. Where they
   * disagree on look-alikes, the VIZ letter replaces the MRZ one when its posterior odds —
   * vizP·(1 − mrzP) / (mrzP·(1 − vizP)), each read's probability taken as its chance of being
   * right and the other's letter as the alternative — are at least this: 10 = a posterior of 0.91,
   * the decoder's `keepDepartureFrom`. (An MRZ letter at 0.69 against a printed one at 0.999 is
   * replaced, odds 450; one at 0.95 against 0.99 stays, odds 5.2.) Higher = stricter. */
  minFixOdds: number;
  /** Smallest recogniser probability (0–1) of the VIZ letter for it to replace the MRZ letter;
   * it must also exceed the MRZ read's probability of the letter it replaces. Higher = stricter. */
  vizMinCharP: number;
  /** Most edits between an MRZ name part and a VIZ word for them to count as the same word
   * (look-alike substitutions, single-letter insertions/deletions, the IJ↔U digraph). Lower =
   * stricter. */
  maxEdits: number;
  /** Name parts shorter than this many letters are not cross-checked (short words match too
   * easily). Higher = stricter. */
  minTokenLetters: number;
  /** Most K/C/S (the filler's usual misreads) at the start or at the end of an MRZ name part that
   * become fillers when confident VIZ words spell the part without them (between two printed words:
   * one or two, the `<` or `<<` separator), letters. 0 = never. Lower = stricter. */
  maxFillerLetters: number;
}

export const DEFAULT_NAME_CHECK: NameCheckConfig = { minFixOdds: 10, vizMinCharP: 0.9, maxEdits: 2, minTokenLetters: 4, maxFillerLetters: 3 };


/** Letters the recogniser confuses with each other (groups; any two in a group are look-alikes). */
const LOOKALIKE_GROUPS = ['HMN', 'ODQ', 'ILJ', 'UV', 'EF', 'CG', 'PR', 'BE'];
const lookalike = (a: string, b: string) => a !== b && LOOKALIKE_GROUPS.some((g) => g.includes(a) && g.includes(b));

export interface VizRead {
  text: string;
  confidence: number;
  chars?: { char: string; p: number }[];
}

export interface NameFix {
  /** MRZ name part as read and as corrected. */
  mrzToken: string;
  corrected: string;
  /** The VIZ word that supplied the letters, and its line. */
  vizToken: string;
  vizLine: string;
  /** Each replaced letter: MRZ line and index, letters, probabilities (MRZ p — null when unknown —,
   * VIZ p). A letter the VIZ word lacks (a misread filler) becomes `<`, with the VIZ word's lowest
   * letter probability. */
  changes: { line: number; index: number; from: string; to: string; mrzP: number | null; vizP: number }[];
}

export interface NameCheck {
  lines: string[];
  fixes: NameFix[];
  /** MRZ name parts that a VIZ word spells exactly. */
  confirmed: string[];
  /** Every MRZ name part a VIZ word confirmed or corrected: its MRZ line and span (after the
   * fix), and the lowest recogniser probability of the VIZ letters that did it. */
  supported: { line: number; start: number; end: number; vizP: number }[];
}

interface VizToken {
  text: string;
  p: number[];
  /** Whether each letter was read as a capital A–Z (lower case l/i/I look alike: never taken). */
  upper: boolean[];
  line: string;
}

/** Upper-case letter words of the VIZ lines, accents removed, with per-letter probabilities. */
function vizTokens(viz: readonly VizRead[]): VizToken[] {
  const out: VizToken[] = [];
  for (const v of viz) {
    const chars = v.chars && v.chars.map((c) => c.char).join('') === v.text ? v.chars : null;
    let cur: VizToken | null = null;
    [...v.text].forEach((ch, i) => {
      const letter = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
      if (/^[A-Z]$/.test(letter)) {
        cur ??= { text: '', p: [], upper: [], line: v.text };
        cur.text += letter;
        cur.p.push(chars ? chars[i]!.p : v.confidence);
        cur.upper.push(/^[A-Z]$/.test(ch));
      } else if (cur) {
        out.push(cur);
        cur = null;
      }
    });
    if (cur) out.push(cur);
  }
  return out;
}

type Step = { kind: 'same' | 'sub' | 'indel' | 'digraph'; m: number; v: number; pi: number; pj: number };

/**
 * Cheapest alignment of an MRZ word with a VIZ word: equal letters free; look-alike substitution,
 * one-letter insertion or deletion, and MRZ "IJ" ↔ VIZ "U" (the Dutch IJ read as one letter) cost
 * 1 each; other substitutions are not allowed. An edit at a VIZ letter the recogniser itself
 * doubted (`vizP` below `sureP`) costs half: it is weaker evidence that the words differ there.
 * Returns the steps, or null above maxEdits.
 */
function align(m: string, v: string, maxEdits: number, vizP?: readonly number[], sureP = 1): Step[] | null {
  const at = (j: number) => (vizP && (vizP[j] ?? 1) < sureP ? 0.5 : 1);
  const INF = 1e9;
  const n = m.length;
  const k = v.length;
  const cost: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(k + 1).fill(INF));
  const from: (Step | null)[][] = Array.from({ length: n + 1 }, () => new Array<Step | null>(k + 1).fill(null));
  cost[0]![0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= k; j++) {
      const c = cost[i]![j]!;
      if (c >= INF || c > maxEdits) continue;
      const relax = (ni: number, nj: number, add: number, step: Omit<Step, 'pi' | 'pj'>) => {
        if (ni > n || nj > k || c + add >= cost[ni]![nj]!) return;
        cost[ni]![nj] = c + add;
        from[ni]![nj] = { ...step, pi: i, pj: j };
      };
      if (i < n && j < k) {
        if (m[i] === v[j]) relax(i + 1, j + 1, 0, { kind: 'same', m: i, v: j });
        else if (lookalike(m[i]!, v[j]!)) relax(i + 1, j + 1, at(j), { kind: 'sub', m: i, v: j });
      }
      if (i + 1 < n && j < k && m[i] === 'I' && m[i + 1] === 'J' && v[j] === 'U') relax(i + 2, j + 1, at(j), { kind: 'digraph', m: i, v: j });
      if (i < n) relax(i + 1, j, 1, { kind: 'indel', m: i, v: j });
      if (j < k) relax(i, j + 1, at(j), { kind: 'indel', m: i, v: j });
    }
  }
  if (cost[n]![k]! > maxEdits) return null;
  const steps: Step[] = [];
  let i = n;
  let j = k;
  while (i > 0 || j > 0) {
    const s = from[i]![j]!;
    steps.unshift(s);
    [i, j] = [s.pi, s.pj];
  }
  return steps;
}

/**
 * An MRZ name part that is confident VIZ words joined by K/C/S — the filler's usual misreads: up to
 * `maxFillerLetters` at the part's start or end ("SPECIMENK" where "SPECIMEN" is printed), one or
 * two between two printed words ("LOESKALBERTINE" where "LOES" and "ALBERTINE" are printed). Those
 * letters are misread fillers. Each VIZ word must be at least `minTokenLetters` long, read as
 * capitals, every letter ≥ `vizMinCharP`. Null when no such reading exists (fewest letters changed
 * first).
 */
function fillerSplit(
  word: string,
  at: number,
  tokens: readonly VizToken[],
  charP: readonly (number | null)[],
  cfg: NameCheckConfig,
): { token: VizToken; changes: Omit<NameFix['changes'][number], 'line'>[] } | null {
  if (cfg.maxFillerLetters <= 0) return null;
  const sure = tokens.filter((t) => t.text.length >= cfg.minTokenLetters && t.upper.every(Boolean) && t.p.every((p) => p >= cfg.vizMinCharP));
  if (sure.length === 0) return null;
  const isFiller = (ch: string) => ch === 'K' || ch === 'C' || ch === 'S';
  // Search states: (index, before a word?) with the fillers used so far; fewest fillers first.
  type State = { i: number; fillers: number[]; words: VizToken[] };
  let frontier: State[] = [];
  for (let k = 0; k <= cfg.maxFillerLetters && k < word.length; k++) {
    if (k > 0 && !isFiller(word[k - 1]!)) break;
    frontier.push({ i: k, fillers: Array.from({ length: k }, (_, j) => j), words: [] });
  }
  let best: State | null = null;
  while (frontier.length > 0) {
    const next: State[] = [];
    for (const st of frontier) {
      for (const t of sure) {
        if (!word.startsWith(t.text, st.i)) continue;
        const after = st.i + t.text.length;
        const words = [...st.words, t];
        // The part ends here, or after up to maxFillerLetters trailing look-alikes.
        for (let k = 0; k <= cfg.maxFillerLetters && after + k <= word.length; k++) {
          if (k > 0 && !isFiller(word[after + k - 1]!)) break;
          if (after + k === word.length) {
            const fillers = [...st.fillers, ...Array.from({ length: k }, (_, j) => after + j)];
            if (fillers.length > 0 && (!best || fillers.length < best.fillers.length)) best = { i: word.length, fillers, words };
          }
        }
        // …or one or two look-alikes stand for the fillers between two printed words.
        for (let k = 1; k <= 2 && after + k < word.length; k++) {
          if (!isFiller(word[after + k - 1]!)) break;
          next.push({ i: after + k, fillers: [...st.fillers, ...Array.from({ length: k }, (_, j) => after + j)], words });
        }
      }
    }
    frontier = next.filter((st) => st.words.length < 6);
  }
  if (!best) return null;
  const token = best.words.reduce((a, b) => (Math.min(...b.p) < Math.min(...a.p) ? b : a));
  const vizP = Math.round(Math.min(...best.words.flatMap((w) => w.p)) * 1000) / 1000;
  return { token, changes: best.fillers.map((j) => ({ index: at + j, from: word[j]!, to: '<', mrzP: charP[at + j] ?? null, vizP })) };
}

/** Posterior odds of the printed letter over the MRZ letter where the two reads disagree (see
 * `minFixOdds`); a probability read as 1 is taken as 0.999 (the recogniser's are rounded). */
export function fixOdds(mrzP: number, vizP: number): number {
  const v = Math.min(vizP, 0.999);
  const m = Math.min(Math.max(mrzP, 1e-6), 0.999);
  return (v * (1 - m)) / (m * (1 - v));
}

/**
 * Cross-check the names field of an MRZ (`lines` as read, `charP` the recogniser's probability per
 * character, null where unknown) against VIZ reads. A letter changes only when one MRZ name part
 * aligns with VIZ words within `maxEdits`, no VIZ word spells it exactly, every such VIZ word that
 * proposes a letter at that position proposes the same one, the two are look-alikes, the MRZ
 * letter's probability is known, and the VIZ letter — read as a capital — has a probability
 * ≥ vizMinCharP and posterior odds over the MRZ letter ≥ minFixOdds (fixOdds).
 */
export function crossCheckNames(
  format: MrzFormat,
  lines: readonly string[],
  charP: readonly (readonly (number | null)[])[],
  viz: readonly VizRead[],
  cfg: NameCheckConfig = DEFAULT_NAME_CHECK,
): NameCheck {
  const out = [...lines];
  const fixes: NameFix[] = [];
  const confirmed: string[] = [];
  const supported: NameCheck['supported'] = [];
  const tokens = vizTokens(viz);
  const minP = (t: VizToken) => Math.round(Math.min(...t.p) * 1000) / 1000;
  // The names field (ICAO), or the surname and given-name fields of a national layout.
  for (const field of LAYOUTS[format].fields.filter((f) => f.kind === 'name')) {
    const row = [...out[field.line]!];
    const re = /[A-Z]+/g;
    const names = lines[field.line]!.slice(field.start, field.end);
    let m: RegExpExecArray | null;
    while ((m = re.exec(names))) {
      const word = m[0];
      if (word.length < cfg.minTokenLetters) continue;
      const at = field.start + m.index;
      const exact = tokens.filter((t) => t.text === word);
      if (exact.length > 0) {
        confirmed.push(word);
        supported.push({ line: field.line, start: at, end: at + word.length, vizP: Math.max(...exact.map(minP)) });
        continue;
      }
      const filler = fillerSplit(word, at, tokens, charP[field.line] ?? [], cfg);
      if (filler) {
        for (const c of filler.changes) row[c.index] = '<';
        fixes.push({ mrzToken: word, corrected: row.slice(at, at + word.length).join(''), vizToken: filler.token.text, vizLine: filler.token.line, changes: filler.changes.map((c) => ({ ...c, line: field.line })) });
        supported.push({ line: field.line, start: at, end: at + word.length, vizP: Math.min(...filler.changes.map((c) => c.vizP)) });
        continue;
      }
      // Proposed letter per MRZ index, from every VIZ word that aligns.
      const proposals = new Map<number, { to: string; vizP: number; token: VizToken }[]>();
      for (const t of tokens) {
        if (t.text.length < cfg.minTokenLetters) continue;
        const steps = align(word, t.text, cfg.maxEdits, t.p, cfg.vizMinCharP);
        if (!steps) continue;
        for (const s of steps) {
          if (s.kind !== 'sub' || !t.upper[s.v]) continue;
          const list = proposals.get(s.m) ?? [];
          list.push({ to: t.text[s.v]!, vizP: t.p[s.v]!, token: t });
          proposals.set(s.m, list);
        }
      }
      const changes: NameFix['changes'] = [];
      let source: VizToken | null = null;
      for (const [i, list] of proposals) {
        if (new Set(list.map((l) => l.to)).size !== 1) continue; // VIZ words disagree: keep the MRZ
        const best = list.reduce((a, b) => (b.vizP > a.vizP ? b : a));
        const mrzP = charP[field.line]?.[at + i] ?? null;
        if (mrzP === null || best.vizP < cfg.vizMinCharP || fixOdds(mrzP, best.vizP) < cfg.minFixOdds) continue;
        changes.push({ line: field.line, index: at + i, from: word[i]!, to: best.to, mrzP, vizP: Math.round(best.vizP * 1000) / 1000 });
        source ??= best.token;
      }
      if (changes.length === 0 || !source) continue;
      for (const c of changes) row[c.index] = c.to;
      const corrected = row.slice(at, at + word.length).join('');
      fixes.push({ mrzToken: word, corrected, vizToken: source.text, vizLine: source.line, changes: changes.sort((a, b) => a.index - b.index) });
      // The part is supported only when the VIZ word now spells it exactly.
      const spelled = tokens.filter((t) => t.text === corrected);
      if (spelled.length > 0) supported.push({ line: field.line, start: at, end: at + word.length, vizP: Math.max(...spelled.map(minP)) });
    }
    out[field.line] = row.join('');
  }
  return { lines: out, fixes, confirmed, supported };
}

/** Spans of the name fields as MrzFields keys: ICAO names split at `<<`; national layouts' own. */
function nameSpans(format: MrzFormat, lines: readonly string[]): { key: string; line: number; start: number; end: number }[] {
  const fields = LAYOUTS[format].fields.filter((f) => f.kind === 'name');
  return fields.flatMap((f) => {
    if (f.name !== 'names') return [{ key: f.name, line: f.line, start: f.start, end: f.end }];
    const names = lines[f.line]!.slice(f.start, f.end);
    const sep = names.replace(/<+$/, '').indexOf('<<');
    const cut = sep < 0 ? names.length : sep + 2;
    return [
      { key: 'lastName', line: f.line, start: f.start, end: f.start + cut },
      { key: 'firstName', line: f.line, start: f.start + cut, end: f.end },
    ];
  });
}

/**
 * The names' confidences once the printed names were compared (docs/vision-documents.md "MRZ
 * names ↔ printed names"). A name field whose every part of ≥ `minTokenLetters` letters is
 * spelled by a VIZ word (as read, or after a fix) has two independent reads agreeing: its
 * confidence becomes 1 − (1 − c)(1 − v), c the MRZ posterior and v the VIZ word's lowest letter
 * probability; a field with a fixed part takes v (the MRZ evidence was for the old letters).
 * Short parts (initials) cannot be confirmed this way and leave the field as the MRZ read it.
 */
export function namesConfidenceAfterViz(
  format: MrzFormat,
  lines: readonly string[],
  confidence: Readonly<Record<string, number>>,
  check: NameCheck,
  cfg: NameCheckConfig = DEFAULT_NAME_CHECK,
): Record<string, number> {
  const out = { ...confidence };
  const fixedAt = new Set(check.fixes.flatMap((f) => f.changes.map((c) => `${c.line}:${c.index}`)));
  for (const span of nameSpans(format, lines)) {
    const text = lines[span.line]!.slice(span.start, span.end);
    const parts = [...text.matchAll(/[A-Z]+/g)].filter((m) => m[0].length >= cfg.minTokenLetters).map((m) => ({ start: span.start + m.index, end: span.start + m.index + m[0].length }));
    if (parts.length === 0 || out[span.key] === undefined) continue;
    const support = parts.map((p) => check.supported.find((s) => s.line === span.line && s.start <= p.start && s.end >= p.end));
    if (support.some((s) => !s)) continue;
    const v = Math.min(...support.map((s) => s!.vizP));
    let fixed = false;
    for (let i = span.start; i < span.end; i++) if (fixedAt.has(`${span.line}:${i}`)) fixed = true;
    const c = out[span.key]!;
    out[span.key] = Math.round((fixed ? v : 1 - (1 - c) * (1 - v)) * 1000) / 1000;
  }
  return out;
}
