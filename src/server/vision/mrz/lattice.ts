/**
 * From the recogniser's per-step output to per-position evidence for a line of known length.
 *
 * An MRZ line has a fixed number of characters (30, 36 or 44). The recogniser (CTC) gives, at
 * every model step, a probability for each character and for "blank"; the text it returns is one
 * path through those steps (the best class per step, repeats collapsed). Instead of that one
 * path, `linePosteriors` sums over EVERY labelling of exactly L characters and every alignment of
 * it to the steps (the CTC forward-backward recursion with the label count in the state), and
 * returns, for each of the L positions, the probability of each character there. A filler run the
 * greedy path collapsed (`<<<<` read `<<<`) is then not a wrong-length read to repair by rules: the
 * L-character labellings that split the run where the blank was least sure carry the mass.
 *
 * Pure: no model, no image. Input: `CtcFrames` (ocr/recognize.ts), output: Float64Array L × n.
 */
import type { CtcFrames } from '../ocr/index.js';

export interface LinePosteriors {
  /** Characters of the columns (the frames' alphabet), n of them. */
  alphabet: string;
  length: number;
  /** probs[k * n + c]: probability that character k (0-based) of the line is alphabet[c]. */
  probs: Float64Array;
  /** log P(the strip holds exactly `length` characters) under the recogniser: compares lengths. */
  logZ: number;
}

/**
 * Prior probability of each "junk" label the strip may hold before the line's first character or
 * after its last: the strip is padded beyond the detected line (the detector clips end
 * characters), so it may show part of a neighbouring glyph, the card's edge or a guilloche that
 * the recogniser reads as a character. Without this, the fixed length would have to drop a real
 * character to make room, shifting every position after it.
 */
export const JUNK_LABEL_P = 0.1;

/**
 * Per-position character probabilities of a line of exactly `length` characters (with any number
 * of junk labels before and after it, each of prior `JUNK_LABEL_P`), or null when the steps
 * cannot hold that many (fewer steps than characters, or no path at all).
 *
 * States per step: label index k ∈ 0..L+1 (0: junk before the line, 1..L the line, L+1: junk
 * after it), emitting character c (E) or blank after k labels (B).
 */
export function linePosteriors(frames: CtcFrames, length: number, junk = JUNK_LABEL_P, labelPrior?: Float64Array): LinePosteriors | null {
  const n = frames.alphabet.length;
  const W = n + 1; // columns per step: blank, then the alphabet
  const T = frames.steps;
  const L = length;
  if (T < L || L < 1) return null;
  const y = frames.probs;
  const K = L + 2; // label indices 0..L+1
  const EK = K * n;
  // Characters that matter at each step (the others are ≈ 0 and are left out: speed).
  const active = activeChars(frames);
  const E = new Float64Array(T * EK);
  const B = new Float64Array(T * K);
  const s = new Float64Array(T);
  const SE = new Float64Array(K);
  /** Weight of starting label k as character c: junk labels carry the junk prior, line labels
   * `labelPrior` (per position, over the alphabet) when given. */
  const gain = (k: number, c: number) => (k === 0 || k === L + 1 ? junk : labelPrior ? labelPrior[(k - 1) * n + c]! : 1);
  {
    let sum = y[0]!;
    B[0] = y[0]!;
    for (const c of active[0]!) {
      const v1 = y[1 + c]!;
      E[1 * n + c] = v1 * gain(1, c);
      E[0 * n + c] = junk * v1;
      sum += E[n + c]! + E[c]!;
    }
    s[0] = sum;
    scale(E, 0, EK, B, 0, K, sum);
  }
  for (let t = 1; t < T; t++) {
    const pe = (t - 1) * EK;
    const pb = (t - 1) * K;
    const ce = t * EK;
    const cb = t * K;
    const yt = t * W;
    const blank = y[yt]!;
    const prev = active[t - 1]!;
    const cur = active[t]!;
    for (let k = 0; k < K; k++) {
      let acc = 0;
      for (const c of prev) acc += E[pe + k * n + c]!;
      SE[k] = acc;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const b = blank * (B[pb + k]! + SE[k]!);
      B[cb + k] = b;
      sum += b;
      for (const c of cur) {
        const yc = y[yt + 1 + c]!;
        // Stay on the same label (repeat), or start label k as c from a state that is not "label
        // k − 1 emitting c" (a repeat would collapse); junk labels may follow junk labels.
        let from = 0;
        if (k === 0) from = B[pb]! + SE[0]! - E[pe + c]!;
        else {
          from = B[pb + k - 1]! + SE[k - 1]! - E[pe + (k - 1) * n + c]!;
          if (k === L + 1) from += B[pb + k]! + SE[k]! - E[pe + k * n + c]!;
        }
        const v = yc * (E[pe + k * n + c]! + gain(k, c) * from);
        E[ce + k * n + c] = v;
        sum += v;
      }
    }
    if (!(sum > 0)) return null;
    s[t] = sum;
    scale(E, ce, EK, B, cb, K, sum);
  }
  const last = (T - 1) * EK;
  let zHat = B[(T - 1) * K + L]! + B[(T - 1) * K + L + 1]!;
  for (let c = 0; c < n; c++) zHat += E[last + L * n + c]! + E[last + (L + 1) * n + c]!;
  if (!(zHat > 0)) return null;
  let logZ = Math.log(zHat);
  for (let t = 0; t < T; t++) logZ += Math.log(s[t]!);

  // Backward (scaled by the same s[t + 1]) and the posterior of each line label's character: the
  // flow into E[t][k][c] from a state other than E[t−1][k][c] starts label k as c, once per path.
  // β of the emitting states is kept for the step's active characters only (the others are 0).
  const post = new Float64Array(L * n);
  let bE = new Float64Array(EK);
  let bB = new Float64Array(K);
  let nE = new Float64Array(EK);
  let nB = new Float64Array(K);
  let bActive = active[T - 1]!;
  let nStale: readonly number[] = [];
  for (const c of bActive) {
    bE[L * n + c] = 1;
    bE[(L + 1) * n + c] = 1;
  }
  bB[L] = 1;
  bB[L + 1] = 1;
  const S = new Float64Array(K + 1);
  for (let t = T - 1; t >= 0; t--) {
    const yt = t * W;
    if (t === 0) {
      for (const c of active[0]!) post[c]! += (y[1 + c]! * gain(1, c) * bE[n + c]!) / (s[0]! * zHat);
    } else {
      const pe = (t - 1) * EK;
      const pb = (t - 1) * K;
      const norm = s[t]! * zHat;
      const prev = active[t - 1]!;
      for (let k = 1; k <= L; k++) {
        let enter = B[pb + k - 1]!;
        for (const c of prev) enter += E[pe + (k - 1) * n + c]!;
        for (const c of bActive) {
          const b = bE[k * n + c]!;
          if (b === 0) continue;
          const from = enter - E[pe + (k - 1) * n + c]!;
          post[(k - 1) * n + c]! += (y[yt + 1 + c]! * gain(k, c) * from * b) / norm;
        }
      }
    }
    if (t === 0) break;
    // β at step t − 1 from β at t. S[k] = Σ_c y(c) β(E[k][c]) × gain(k, c): entering label k.
    const blank = y[yt]!;
    for (let k = 0; k < K; k++) {
      let acc = 0;
      for (const c of bActive) acc += y[yt + 1 + c]! * bE[k * n + c]! * gain(k, c);
      S[k] = acc;
    }
    const st = s[t]!;
    const into = active[t - 1]!;
    for (const c of nStale) for (let k = 0; k < K; k++) nE[k * n + c] = 0;
    for (let k = 0; k < K; k++) {
      // From "after k labels" the next new label is k + 1 — or, for junk, another junk label.
      const nextNew = (k + 1 < K ? S[k + 1]! : 0) + (k === 0 || k === L + 1 ? S[k]! : 0);
      nB[k] = (blank * bB[k]! + nextNew) / st;
      for (const c of into) {
        const yc = y[yt + 1 + c]!;
        const same = yc * bE[k * n + c]!;
        let next = 0;
        if (k + 1 < K) next += S[k + 1]! - gain(k + 1, c) * yc * bE[(k + 1) * n + c]!;
        if (k === 0 || k === L + 1) next += S[k]! - gain(k, c) * yc * bE[k * n + c]!;
        nE[k * n + c] = (same + blank * bB[k]! + next) / st;
      }
    }
    [bE, nE] = [nE, bE];
    [bB, nB] = [nB, bB];
    nStale = bActive;
    bActive = into;
  }
  // Each position's distribution sums to 1 up to rounding: renormalise.
  for (let k = 0; k < L; k++) {
    let sum = 0;
    for (let c = 0; c < n; c++) sum += post[k * n + c]!;
    if (sum > 0) for (let c = 0; c < n; c++) post[k * n + c]! /= sum;
  }
  return { alphabet: frames.alphabet, length: L, probs: post, logZ };
}

/** Below this probability at a step a character is left out of that step, unless it is among
 * the step's `ACTIVE_MIN_COUNT` likeliest (a step's mass changes by < 0.4 %; on the dev pages a
 * step keeps 7.5 of 37 characters on average, 29 at 1e-6: the lattice is 4× faster). */
const ACTIVE_MIN_P = 1e-4;
const ACTIVE_MIN_COUNT = 2;

/** Per step, the characters (alphabet indices) that matter. */
function activeChars(frames: CtcFrames): number[][] {
  const n = frames.alphabet.length;
  const out: number[][] = [];
  for (let t = 0; t < frames.steps; t++) {
    const base = t * (n + 1) + 1;
    const order = [...Array(n).keys()].sort((a, b) => frames.probs[base + b]! - frames.probs[base + a]!);
    out.push(order.filter((c, i) => i < ACTIVE_MIN_COUNT || frames.probs[base + c]! >= ACTIVE_MIN_P).sort((a, b) => a - b));
  }
  return out;
}

function scale(E: Float64Array, eo: number, en: number, B: Float64Array, bo: number, bn: number, by: number): void {
  for (let i = 0; i < en; i++) E[eo + i]! /= by;
  for (let i = 0; i < bn; i++) B[bo + i]! /= by;
}

/** Share of a uniform distribution mixed into each read before pooling, so that one read's zero
 * cannot veto what the others see (0–1). */
const POOL_SMOOTHING = 1e-4;

/**
 * Reads of one line pooled: a weighted geometric mean of their per-position distributions,
 * renormalised. Each read's weight is the softmax, over the reads, of its sharpness — the log
 * probability it gives its own best character at every position: a read that dropped a character
 * (CTC's usual error at a narrow pitch) spreads every position after the drop over two characters
 * and counts for little. A geometric mean, not a product: the recogniser's errors repeat across
 * reads of the same print, so agreeing reads must not make it surer than one read; and not an
 * arithmetic mean, which a flat read dilutes everywhere.
 */
export function poolPosteriors(reads: readonly LinePosteriors[]): LinePosteriors | null {
  if (reads.length === 0) return null;
  const first = reads[0]!;
  const n = first.alphabet.length;
  const sharp = reads.map((r) => sharpness(r));
  const top = Math.max(...sharp);
  const raw = sharp.map((x) => Math.exp(x - top));
  const total = raw.reduce((a, b) => a + b, 0);
  const w = raw.map((x) => x / total);
  const logs = new Float64Array(first.probs.length);
  reads.forEach((r, k) => {
    for (let i = 0; i < logs.length; i++) logs[i]! += w[k]! * Math.log((1 - POOL_SMOOTHING) * r.probs[i]! + POOL_SMOOTHING / n);
  });
  const probs = new Float64Array(first.probs.length);
  for (let pos = 0; pos < first.length; pos++) {
    let max = -Infinity;
    for (let c = 0; c < n; c++) max = Math.max(max, logs[pos * n + c]!);
    let sum = 0;
    for (let c = 0; c < n; c++) sum += probs[pos * n + c] = Math.exp(logs[pos * n + c]! - max);
    for (let c = 0; c < n; c++) probs[pos * n + c]! /= sum;
  }
  return { alphabet: first.alphabet, length: first.length, probs, logZ: reads.reduce((s, r, k) => s + w[k]! * r.logZ, 0) };
}

/** Σ over positions of log(max probability): the log probability of the read's own best line
 * under per-position independence. */
export function sharpness(r: LinePosteriors): number {
  const n = r.alphabet.length;
  let s = 0;
  for (let k = 0; k < r.length; k++) {
    let m = 0;
    for (let c = 0; c < n; c++) m = Math.max(m, r.probs[k * n + c]!);
    s += Math.log(Math.max(m, 1e-12));
  }
  return s;
}

/** Weight, in the structural prior, of a character outside the decoded character's group. */
export const OFF_GROUP_WEIGHT = 0.1;

/**
 * A structural label prior from a decoded line: at each position, characters of the decoded
 * character's group (letter, digit, filler) weigh 1, the others `OFF_GROUP_WEIGHT`. Re-aligning a
 * read under it suppresses alignments shifted by a dropped or doubled character (they put letters
 * where the zone has fillers and fillers where it has letters) without favouring one letter over
 * its look-alike: a doubt between H and N stays a doubt.
 */
export function groupPrior(line: string, alphabet: string): Float64Array {
  const n = alphabet.length;
  const group = (ch: string) => (ch === '<' ? 2 : /[0-9]/.test(ch) ? 1 : 0);
  const out = new Float64Array(line.length * n);
  for (let k = 0; k < line.length; k++) {
    const g = group(line[k]!);
    for (let c = 0; c < n; c++) out[k * n + c] = group(alphabet[c]!) === g ? 1 : OFF_GROUP_WEIGHT;
  }
  return out;
}
