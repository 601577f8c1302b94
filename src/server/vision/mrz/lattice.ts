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
 * after it), emitting character c (E) or blank after k labels (B). Label indices no path reaches
 * at a step (exactly 0) are skipped, and weights below 1e-250 of a step's total are flushed to 0
 * (that far from every likely path they change no result, and skipping them is most of the
 * speed on long lines).
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
  // Characters that matter at each step (the others are ≈ 0 and are left out: speed), flat.
  const { act, at } = activeChars(frames);
  /** gain[k · n + c]: weight of starting label k as character c — junk labels carry the junk
   * prior, line labels `labelPrior` (per position, over the alphabet) when given, else 1. */
  const gain = new Float64Array(EK);
  for (let c = 0; c < n; c++) {
    gain[c] = junk;
    gain[(L + 1) * n + c] = junk;
  }
  if (labelPrior) gain.set(labelPrior.subarray(0, L * n), n);
  else gain.fill(1, n, (L + 1) * n);
  // Forward weights, from scratch buffers reused across calls (a line's E is megabytes): only the
  // rows each step computes are cleared, with one row either side (the next step reads them).
  const { E, B, BS } = scratch(T * EK, T * K);
  /** BS[t · K + k] = B + Σ_c E at step t, label k: the weight of "after k labels" in any state. */
  const clearRows = (t: number, kLo: number, kHi: number) => {
    const a = Math.max(0, kLo - 1);
    const b = Math.min(K - 1, kHi + 1);
    E.fill(0, t * EK + a * n, t * EK + (b + 1) * n);
    B.fill(0, t * K + a, t * K + b + 1);
    BS.fill(0, t * K + a, t * K + b + 1);
  };
  const s = new Float64Array(T);
  // Band of label indices holding weight at each step (exact zeros outside).
  const lo = new Int32Array(T);
  const hi = new Int32Array(T);
  {
    clearRows(0, 0, 1);
    let sum = y[0]!;
    B[0] = y[0]!;
    for (let a = at[0]!; a < at[1]!; a++) {
      const c = act[a]!;
      const v1 = y[1 + c]!;
      E[n + c] = v1 * gain[n + c]!;
      E[c] = junk * v1;
      sum += E[n + c]! + E[c]!;
    }
    s[0] = sum;
    finishStep(E, B, BS, 0, K, n, act, at[0]!, at[1]!, sum, lo, hi, 0, 1);
  }
  for (let t = 1; t < T; t++) {
    const pe = (t - 1) * EK;
    const pb = (t - 1) * K;
    const ce = t * EK;
    const cb = t * K;
    const yt = t * W;
    const blank = y[yt]!;
    const a0 = at[t]!;
    const a1 = at[t + 1]!;
    const kLo = lo[t - 1]!;
    const kHi = Math.min(K - 1, hi[t - 1]! + 1);
    clearRows(t, kLo, kHi);
    let sum = 0;
    for (let k = kLo; k <= kHi; k++) {
      const bsK = BS[pb + k]!;
      const bsPrev = k > 0 ? BS[pb + k - 1]! : 0;
      const b = blank * bsK;
      B[cb + k] = b;
      sum += b;
      const ek = pe + k * n;
      const eprev = pe + (k - 1) * n;
      const gk = k * n;
      const ok = ce + k * n;
      for (let a = a0; a < a1; a++) {
        const c = act[a]!;
        const yc = y[yt + 1 + c]!;
        // Stay on the same label (repeat), or start label k as c from a state that is not "label
        // k − 1 emitting c" (a repeat would collapse); junk labels may follow junk labels.
        const same = E[ek + c]!;
        let from: number;
        if (k === 0) from = bsK - same;
        else {
          from = bsPrev - E[eprev + c]!;
          if (k === L + 1) from += bsK - same;
        }
        const v = yc * (same + gain[gk + c]! * from);
        E[ok + c] = v;
        sum += v;
      }
    }
    if (!(sum > 0)) return null;
    s[t] = sum;
    finishStep(E, B, BS, t, K, n, act, a0, a1, sum, lo, hi, kLo, kHi);
  }
  const last = T - 1;
  let zHat = 0;
  for (const k of [L, L + 1]) {
    if (k < lo[last]! || k > hi[last]!) continue;
    zHat += B[last * K + k]!;
    for (let c = 0; c < n; c++) zHat += E[last * EK + k * n + c]!;
  }
  if (!(zHat > 0)) return null;
  let logZ = Math.log(zHat);
  for (let t = 0; t < T; t++) logZ += Math.log(s[t]!);

  // Backward (scaled by the same s[t + 1]) and the posterior of each line label's character: the
  // flow into E[t][k][c] from a state other than E[t−1][k][c] starts label k as c, once per path.
  // β of the emitting states is kept for the step's active characters only (the others are 0),
  // and only over the label indices the forward pass reached (β elsewhere meets α = 0).
  const post = new Float64Array(L * n);
  let bE = new Float64Array(EK);
  let bB = new Float64Array(K);
  let nE = new Float64Array(EK);
  let nB = new Float64Array(K);
  for (const k of [L, L + 1]) {
    // Only inside the last step's band: what is written is cleared by that band later.
    if (k < lo[last]! || k > hi[last]!) continue;
    for (let a = at[last]!; a < at[last + 1]!; a++) bE[k * n + act[a]!] = 1;
    bB[k] = 1;
  }
  let staleA0 = 0;
  let staleA1 = 0;
  let staleLo = 0;
  let staleHi = -1;
  const S = new Float64Array(K + 1);
  for (let t = last; t >= 0; t--) {
    const yt = t * W;
    const a0 = at[t]!;
    const a1 = at[t + 1]!;
    if (t === 0) {
      const norm = s[0]! * zHat;
      for (let a = a0; a < a1; a++) {
        const c = act[a]!;
        post[c]! += (y[1 + c]! * gain[n + c]! * bE[n + c]!) / norm;
      }
      break;
    }
    const pe = (t - 1) * EK;
    const pb = (t - 1) * K;
    const norm = s[t]! * zHat;
    const kLo = Math.max(1, lo[t]!);
    const kHi = Math.min(L, hi[t]!);
    for (let k = kLo; k <= kHi; k++) {
      const enter = BS[pb + k - 1]!;
      if (enter === 0) continue;
      const eprev = pe + (k - 1) * n;
      const bk = k * n;
      const pk = (k - 1) * n;
      for (let a = a0; a < a1; a++) {
        const c = act[a]!;
        const b = bE[bk + c]!;
        if (b === 0) continue;
        post[pk + c]! += (y[yt + 1 + c]! * gain[bk + c]! * (enter - E[eprev + c]!) * b) / norm;
      }
    }
    // β at step t − 1 from β at t. S[k] = Σ_c y(c) β(E[k][c]) × gain(k, c): entering label k.
    const blank = y[yt]!;
    const bLo = lo[t]!;
    const bHi = hi[t]!;
    S.fill(0);
    for (let k = bLo; k <= bHi; k++) {
      let acc = 0;
      const bk = k * n;
      for (let a = a0; a < a1; a++) {
        const c = act[a]!;
        acc += y[yt + 1 + c]! * bE[bk + c]! * gain[bk + c]!;
      }
      S[k] = acc;
    }
    const st = s[t]!;
    const p0 = at[t - 1]!;
    const p1 = at[t]!;
    // nE still holds β of step t + 1: clear what was written there.
    for (let k = staleLo; k <= staleHi; k++) for (let a = staleA0; a < staleA1; a++) nE[k * n + act[a]!] = 0;
    nB.fill(0);
    const pLo = lo[t - 1]!;
    const pHi = hi[t - 1]!;
    for (let k = pLo; k <= pHi; k++) {
      // From "after k labels" the next new label is k + 1 — or, for junk, another junk label.
      const isJunk = k === 0 || k === L + 1;
      const sNext = k + 1 < K ? S[k + 1]! : 0;
      const nextNew = sNext + (isJunk ? S[k]! : 0);
      const bb = blank * bB[k]!;
      nB[k] = (bb + nextNew) / st;
      const bk = k * n;
      const bk1 = (k + 1) * n;
      for (let a = p0; a < p1; a++) {
        const c = act[a]!;
        const yc = y[yt + 1 + c]!;
        const same = yc * bE[bk + c]!;
        let next = 0;
        if (k + 1 < K) next += sNext - gain[bk1 + c]! * yc * bE[bk1 + c]!;
        if (isJunk) next += S[k]! - gain[bk + c]! * same;
        nE[bk + c] = (same + bb + next) / st;
      }
    }
    [bE, nE] = [nE, bE];
    [bB, nB] = [nB, bB];
    staleA0 = a0;
    staleA1 = a1;
    staleLo = bLo;
    staleHi = bHi;
  }
  // Each position's distribution sums to 1 up to rounding: renormalise.
  for (let k = 0; k < L; k++) {
    let sum = 0;
    for (let c = 0; c < n; c++) sum += post[k * n + c]!;
    if (sum > 0) for (let c = 0; c < n; c++) post[k * n + c]! /= sum;
  }
  return { alphabet: frames.alphabet, length: L, probs: post, logZ };
}

let scratchE = new Float64Array(0);
let scratchB = new Float64Array(0);
let scratchBS = new Float64Array(0);
/** The forward pass's buffers, grown when a call needs more (linePosteriors is synchronous: one
 * call uses them at a time). */
function scratch(eLen: number, bLen: number): { E: Float64Array; B: Float64Array; BS: Float64Array } {
  if (scratchE.length < eLen) scratchE = new Float64Array(eLen);
  if (scratchB.length < bLen) {
    scratchB = new Float64Array(bLen);
    scratchBS = new Float64Array(bLen);
  }
  return { E: scratchE, B: scratchB, BS: scratchBS };
}

/** Weights below this share of a step's total are set to 0 (linePosteriors). */
const FLUSH_BELOW = 1e-250;

/** Scale step t (label indices kLo..kHi) to sum 1, flush negligible weights, sum each label's
 * weight into BS, and record the band of label indices still holding weight. */
function finishStep(E: Float64Array, B: Float64Array, BS: Float64Array, t: number, K: number, n: number, act: Int32Array, a0: number, a1: number, sum: number, lo: Int32Array, hi: Int32Array, kLo: number, kHi: number): void {
  const ce = t * K * n;
  const cb = t * K;
  let first = -1;
  let last = -1;
  for (let k = kLo; k <= kHi; k++) {
    let b = B[cb + k]! / sum;
    if (b < FLUSH_BELOW) b = 0;
    B[cb + k] = b;
    let acc = b;
    const o = ce + k * n;
    for (let a = a0; a < a1; a++) {
      const c = act[a]!;
      let v = E[o + c]! / sum;
      if (v < FLUSH_BELOW) v = 0;
      E[o + c] = v;
      acc += v;
    }
    BS[cb + k] = acc;
    if (acc > 0) {
      if (first < 0) first = k;
      last = k;
    }
  }
  lo[t] = first < 0 ? kLo : first;
  hi[t] = first < 0 ? kLo - 1 : last;
}

/** Below this probability at a step a character is left out of that step, unless it is among
 * the step's two likeliest (a step's mass changes by < 0.4 %; on the dev pages a step keeps 7.5
 * of 37 characters on average, 29 at 1e-6: the lattice is 4× faster). */
const ACTIVE_MIN_P = 1e-4;

/** Per step, the characters (alphabet indices, ascending) that matter: `act[at[t]] ..
 * act[at[t + 1] − 1]`. */
function activeChars(frames: CtcFrames): { act: Int32Array; at: Int32Array } {
  const n = frames.alphabet.length;
  const T = frames.steps;
  const p = frames.probs;
  const act = new Int32Array(T * n);
  const at = new Int32Array(T + 1);
  let m = 0;
  for (let t = 0; t < T; t++) {
    const base = t * (n + 1) + 1;
    // The two likeliest, then everything at or above ACTIVE_MIN_P.
    let a = -1;
    let b = -1;
    for (let c = 0; c < n; c++) {
      const v = p[base + c]!;
      if (a < 0 || v > p[base + a]!) {
        b = a;
        a = c;
      } else if (b < 0 || v > p[base + b]!) b = c;
    }
    at[t] = m;
    for (let c = 0; c < n; c++) if (c === a || c === b || p[base + c]! >= ACTIVE_MIN_P) act[m++] = c;
  }
  at[T] = m;
  return { act, at };
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
