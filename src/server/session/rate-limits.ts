/**
 * Rate limits shared by every node: counters in the database (store/rate-limits.ts), fixed
 * windows. A rule is a number of events per window per key; a key names what is counted (a client
 * address, a user name, a tenant). Answers RATE_LIMITED (429) with Retry-After = the seconds left in
 * the window. See docs/security.md for the rules and their defaults.
 */
import { createHash } from 'node:crypto';
import { CodedError } from '../../shared/errors.js';
import type { RateLimitRepo } from '../store/rate-limits.js';

export interface LimitRule {
  /** Events allowed per window and key; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

/** The fixed window `rule` is in at `t`: its start and the seconds left (Retry-After). */
export function windowAt(rule: LimitRule, t: number): { start: number; retryAfterS: number } {
  const start = Math.floor(t / rule.windowMs) * rule.windowMs;
  return { start, retryAfterS: (start + rule.windowMs - t) / 1000 };
}

export const rateLimited = (retryAfterS: number) => new CodedError('RATE_LIMITED', 'rate limit', { retryAfterS });

export interface RateLimiter {
  /** RATE_LIMITED when one of `keys` has already spent `rule.limit` events in this window; counts nothing. */
  assertBudget(rule: LimitRule, keys: string[]): Promise<void>;
  /** Counts one event for each key; RATE_LIMITED when that takes one over `rule.limit`. */
  spend(rule: LimitRule, keys: string[]): Promise<void>;
  /** Counts one event for each key (a failure to remember); never throws RATE_LIMITED. */
  record(rule: LimitRule, keys: string[]): Promise<void>;
  /** At most once a minute, in the background: deletes the counters of windows long past (rules of `rule`'s length or shorter). */
  maybePrune(rule: LimitRule): void;
}

/** A short, fixed-length key part for a value a caller chooses (a user name can be long). */
export const hashedKey = (prefix: string, value: string) => `${prefix}:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;

const PRUNE_EVERY_MS = 60_000;

export function createRateLimiter(repo: RateLimitRepo, now: () => number = Date.now): RateLimiter {
  let lastPrune = 0;
  let longestWindowMs = 0;
  const windowOf = (rule: LimitRule) => windowAt(rule, now());
  const prune = () => {
    if (longestWindowMs === 0) return;
    const t = now();
    if (t - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = t;
    repo.prune(t - 2 * longestWindowMs).catch(() => {});
  };
  const refuse = rateLimited;
  const hit = async (rule: LimitRule, keys: string[]) => {
    longestWindowMs = Math.max(longestWindowMs, rule.windowMs);
    const w = windowOf(rule);
    const counts = await repo.hit([...new Set(keys)], w.start);
    prune();
    return { over: [...counts.values()].some((n) => n > rule.limit), retryAfterS: w.retryAfterS };
  };
  return {
    async assertBudget(rule, keys) {
      if (rule.limit <= 0 || keys.length === 0) return;
      const w = windowOf(rule);
      const counts = await repo.counts([...new Set(keys)], w.start);
      if ([...counts.values()].some((n) => n >= rule.limit)) throw refuse(w.retryAfterS);
    },
    async spend(rule, keys) {
      if (rule.limit <= 0 || keys.length === 0) return;
      const r = await hit(rule, keys);
      if (r.over) throw refuse(r.retryAfterS);
    },
    async record(rule, keys) {
      if (rule.limit <= 0 || keys.length === 0) return;
      await hit(rule, keys);
    },
    maybePrune(rule) {
      longestWindowMs = Math.max(longestWindowMs, rule.windowMs);
      prune();
    },
  };
}
