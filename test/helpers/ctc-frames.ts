/**
 * Synthetic recogniser outputs for the MRZ decoder's tests (a fake of the recogniser's per-step
 * probabilities, named as such): each character of a text takes `stepsPerChar` steps — one step
 * where the character peaks, the rest blank — the way a CTC recogniser reads a clean strip.
 * `confuse` puts some of a character's probability on others at its peak step.
 */
import type { CtcFrames } from '../../src/server/vision/ocr/index.js';
import { MRZ_ALPHABET } from '../../src/server/vision/mrz/index.js';

export interface FakeReadOptions {
  stepsPerChar?: number;
  /** Probability of the character read at its peak step (the rest spread over the others). */
  peak?: number;
  /** At these indices of the text: the probabilities at the peak step (they replace `peak`). */
  confuse?: Record<number, Record<string, number>>;
  /** These characters are glued to the one before (the same character): every step between the
   * two peaks reads it at 0.6 and blank at 0.4, so the greedy path sees one character, not two. */
  glued?: number[];
}

export function fakeFrames(text: string, options: FakeReadOptions = {}): CtcFrames {
  const n = MRZ_ALPHABET.length;
  const per = options.stepsPerChar ?? 4;
  const peak = options.peak ?? 0.98;
  const steps = text.length * per + 2;
  const probs = new Float32Array(steps * (n + 1));
  const floor = 1e-5;
  for (let t = 0; t < steps; t++) {
    const row = t * (n + 1);
    for (let c = 0; c <= n; c++) probs[row + c] = floor;
    probs[row] = 1;
  }
  [...text].forEach((ch, i) => {
    const t = 1 + i * per + Math.floor(per / 2);
    const row = t * (n + 1);
    const dist = options.confuse?.[i] ?? { [ch]: peak };
    let mass = 0;
    for (const [c, p] of Object.entries(dist)) {
      probs[row + 1 + MRZ_ALPHABET.indexOf(c)] = p;
      mass += p;
    }
    probs[row] = Math.max(floor, 1 - mass);
  });
  for (const i of options.glued ?? []) {
    const ch = MRZ_ALPHABET.indexOf(text[i]!);
    const from = 1 + (i - 1) * per + Math.floor(per / 2);
    for (let t = from + 1; t < from + per; t++) {
      const row = t * (n + 1);
      probs[row] = 0.4;
      probs[row + 1 + ch] = 0.6;
    }
  }
  for (let t = 0; t < steps; t++) {
    const row = t * (n + 1);
    let sum = 0;
    for (let c = 0; c <= n; c++) sum += probs[row + c]!;
    for (let c = 0; c <= n; c++) probs[row + c]! /= sum;
  }
  return { alphabet: MRZ_ALPHABET, steps, probs };
}
