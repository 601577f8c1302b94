/**
 * A compact, exact-enough text form of the recogniser's per-step output (CtcFrames), so that its
 * reads of a test image can be recorded once and the decoder tested on them without the models
 * (scripts/record-mrz-reads.ts writes them; test/vision/mrz-decode.test.ts reads them).
 *
 * Per step: the blank's probability and every character with p ≥ 1e-4 (the lattice leaves out
 * the rest, lattice.ts), each rounded to 4 significant digits: `b:0.9812 A:0.0150 <:0.0031`.
 */
import type { CtcFrames } from '../ocr/index.js';

export interface RecordedRead {
  text: string;
  alphabet: string;
  /** One string per step. */
  steps: string[];
}

const MIN_P = 1e-4;
const fmt = (p: number) => Number(p.toPrecision(4)).toString();

export function recordFrames(text: string, frames: CtcFrames): RecordedRead {
  const n = frames.alphabet.length;
  const steps: string[] = [];
  for (let t = 0; t < frames.steps; t++) {
    const row = frames.probs.subarray(t * (n + 1), (t + 1) * (n + 1));
    const parts = [`b:${fmt(row[0]!)}`];
    for (let c = 0; c < n; c++) if (row[1 + c]! >= MIN_P) parts.push(`${frames.alphabet[c]}:${fmt(row[1 + c]!)}`);
    steps.push(parts.join(' '));
  }
  return { text, alphabet: frames.alphabet, steps };
}

/** Back to CtcFrames (characters left out get 0; each step renormalised). */
export function replayFrames(r: RecordedRead): CtcFrames {
  const n = r.alphabet.length;
  const probs = new Float32Array(r.steps.length * (n + 1));
  r.steps.forEach((step, t) => {
    let sum = 0;
    for (const part of step.split(' ')) {
      const i = part.lastIndexOf(':');
      const ch = part.slice(0, i);
      const p = Number(part.slice(i + 1));
      const col = ch === 'b' ? 0 : 1 + r.alphabet.indexOf(ch);
      if (col < 0) throw new RangeError(`recorded step ${t}: ${ch} is not in the alphabet`);
      probs[t * (n + 1) + col] = p;
      sum += p;
    }
    for (let c = 0; c <= n; c++) probs[t * (n + 1) + c]! /= sum;
  });
  return { alphabet: r.alphabet, steps: r.steps.length, probs };
}
