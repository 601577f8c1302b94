import { CodedError } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import { createFailureCache, createScryptGate, createVerificationCache, dummyPasswordHash } from './credentials.js';
import { hashedKey, type LimitRule, type RateLimiter } from './rate-limits.js';
import type { Tenant } from './types.js';

/** Basic-auth credentials of a request from `client` (its address) → an enabled tenant. */
export type TenantAuthenticator = ((username: string, password: string, client: string) => Promise<Tenant>) & {
  /** scrypt computations run so far (cache misses that reached the gate). */
  readonly stats: { scrypt: number };
};

export interface TenantAuthOptions {
  limiter: RateLimiter;
  /** Failed credential checks allowed per client address and per user name, per window. */
  failures: LimitRule;
  now?: () => number;
  /** How long a refusal that cost no scrypt is held before it is answered, ms (default 1000; 0 in tests that count fast). */
  penaltyMs?: number;
}

/** Requests held at most at once by the penalty (beyond: answered at once; the sockets are the attacker's cost). */
const MAX_HELD = 1000;

/**
 * Holds a cheap refusal for `ms` before it is answered: a client in a closed loop of wrong
 * credentials (keep-alive, many connections) then sends one attempt per connection per `ms`
 * instead of thousands a second, which would otherwise take the event loop from legitimate
 * requests even though each refusal is cheap. Bounded; timers only.
 */
export function createPenalty(ms: number) {
  let held = 0;
  return async () => {
    if (ms <= 0 || held >= MAX_HELD) return;
    held++;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      held--;
    }
  };
}

/**
 * Basic-auth credentials → an enabled tenant, or TENANT_UNAUTHORIZED (unknown user names cost the
 * same scrypt as known ones). Cheapest first:
 * 1. the tenant row by user name (one indexed read: a rotation or a disable on any node is seen);
 * 2. credentials verified recently (cache keyed by the stored hash) → the tenant, no scrypt and no
 *    limit (an integrator whose user name an attacker hammers keeps working);
 * 3. the failure budget of the client address and of the user name, counted in the database so
 *    every node shares it: spent → RATE_LIMITED (429, Retry-After) before any scrypt;
 * 4. the same wrong credentials seen recently → TENANT_UNAUTHORIZED, no scrypt;
 *    (3 and 4 are held for a penalty second before they are answered: see createPenalty);
 * 5. scrypt through a gate (bounded concurrency, a per-address share, identical checks coalesced);
 *    a failure counts against both budgets.
 */
export function createTenantAuthenticator(store: Store, opts: TenantAuthOptions): TenantAuthenticator {
  const now = opts.now ?? Date.now;
  const verified = createVerificationCache(60_000, 1000, now);
  const failed = createFailureCache(opts.failures.windowMs, 10_000, now);
  const gate = createScryptGate();
  const penalty = createPenalty(opts.penaltyMs ?? 1000);
  const stats = { scrypt: 0 };
  const authenticate = async (username: string, password: string, client: string) => {
    const tenant = await store.tenants.getByUsername(username);
    if (tenant && verified.has(password, tenant.passwordHash)) {
      if (tenant.disabledAt !== null) throw new CodedError('TENANT_UNAUTHORIZED');
      return tenant;
    }
    const budgets = [`auth-fail:addr:${client}`, hashedKey('auth-fail:user', username)];
    try {
      await opts.limiter.assertBudget(opts.failures, budgets);
    } catch (err) {
      await penalty();
      throw err;
    }
    const against = tenant?.passwordHash ?? `unknown-user:${username}`;
    const fail = async () => {
      failed.remember(against, password);
      await opts.limiter.record(opts.failures, budgets);
      return new CodedError('TENANT_UNAUTHORIZED');
    };
    if (failed.has(against, password)) {
      await penalty();
      throw await fail();
    }
    stats.scrypt++;
    const ok = await gate.verify(client, password, tenant?.passwordHash ?? (await dummyPasswordHash()));
    if (!tenant || !ok) throw await fail();
    verified.remember(password, tenant.passwordHash);
    if (tenant.disabledAt !== null) throw new CodedError('TENANT_UNAUTHORIZED');
    return tenant;
  };
  return Object.assign(authenticate, { stats });
}
