/**
 * Error rates of a verification score (higher = more alike) from genuine and impostor pairs, and
 * their confidence intervals by a person-level bootstrap: people are resampled with replacement
 * and every pair is rebuilt from the resample, because pairs that share a person are not
 * independent. Pure; the randomness is a seeded generator.
 */
import { seededRandom } from './seeded.js';

export interface ScoredPair {
  /** Identities of the two sides. */
  idA: string;
  idB: string;
  score: number;
}

export interface Interval {
  value: number | null;
  /** 2.5th and 97.5th percentiles over the bootstrap resamples (null when never defined). */
  ci95: [number, number] | null;
}

/** Share of genuine scores below `t` (a false non-match: the same person refused). */
export function fnmrAt(genuine: readonly number[], t: number): number | null {
  return genuine.length === 0 ? null : genuine.filter((s) => s < t).length / genuine.length;
}

/** Share of impostor scores at or above `t` (a false match: a stranger accepted). */
export function fmrAt(impostor: readonly number[], t: number): number | null {
  return impostor.length === 0 ? null : impostor.filter((s) => s >= t).length / impostor.length;
}

/**
 * The lowest threshold whose FMR is at most `fmr`: just above the k-th highest impostor score,
 * k = floor(fmr × n). Null without impostors.
 */
export function thresholdAtFmr(impostor: readonly number[], fmr: number): number | null {
  if (impostor.length === 0) return null;
  const sorted = [...impostor].sort((a, b) => b - a);
  const k = Math.floor(fmr * sorted.length);
  return k >= sorted.length ? -Infinity : nextUp(sorted[k]!);
}

const nextUp = (x: number) => x + Math.max(1e-9, Math.abs(x) * 1e-12);

/** Equal error rate: at the threshold where FMR and FNMR cross, the larger of the two (conservative). */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): { eer: number; threshold: number } | null {
  if (genuine.length === 0 || impostor.length === 0) return null;
  const candidates = [...new Set([...genuine, ...impostor].map(nextUp))].sort((a, b) => a - b);
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  let best = { eer: 1, threshold: candidates[0]! };
  let gi = 0, ii = 0;
  for (const t of candidates) {
    while (gi < g.length && g[gi]! < t) gi++;
    while (ii < im.length && im[ii]! < t) ii++;
    const e = Math.max(gi / g.length, (im.length - ii) / im.length);
    if (e < best.eer) best = { eer: e, threshold: t };
  }
  return best;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * (sorted.length - 1) + 0.5)))]!;

/**
 * A statistic of (genuine, impostor) score lists, with its 95 % interval over `resamples`
 * person-level bootstrap resamples. Genuine pairs are pairs of one identity; impostor pairs join
 * two identities (an identity drawn twice is two copies of one person, never an impostor of itself).
 */
export function bootstrap(
  pairs: readonly ScoredPair[],
  stat: (genuine: number[], impostor: number[]) => number | null,
  resamples = 1000,
  seed = 1,
): Interval {
  const genuineOf = new Map<string, number[]>();
  const impostorOf = new Map<string, number[]>();
  const ids = new Set<string>();
  const key = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
  for (const p of pairs) {
    ids.add(p.idA);
    ids.add(p.idB);
    if (p.idA === p.idB) {
      const l = genuineOf.get(p.idA) ?? [];
      l.push(p.score);
      genuineOf.set(p.idA, l);
    } else {
      const k = key(p.idA, p.idB);
      const l = impostorOf.get(k) ?? [];
      l.push(p.score);
      impostorOf.set(k, l);
    }
  }
  const people = [...ids].sort();
  const all = (list: Iterable<number[]>) => [...list].flat();
  const value = stat(all(genuineOf.values()), all(impostorOf.values()));
  const rnd = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const draw = people.map(() => people[Math.floor(rnd() * people.length)]!);
    const g: number[] = [];
    const im: number[] = [];
    for (let i = 0; i < draw.length; i++) {
      const gi = genuineOf.get(draw[i]!);
      if (gi) g.push(...gi);
      for (let j = i + 1; j < draw.length; j++) {
        if (draw[i] === draw[j]) continue;
        const ij = impostorOf.get(key(draw[i]!, draw[j]!));
        if (ij) im.push(...ij);
      }
    }
    const v = stat(g, im);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  return { value, ci95: values.length > 0 ? [percentile(values, 0.025), percentile(values, 0.975)] : null };
}
