/** Seeded randomness for the evaluation tools: the same seed gives the same run. */
import { createHash } from 'node:crypto';

/** mulberry32: a small, fast, seedable PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from a name and a run seed (a file always gets the same draw in a run). */
export function seedOf(name: string, runSeed: number): number {
  return createHash('sha256').update(`${runSeed}:${name}`).digest().readUInt32LE(0);
}
