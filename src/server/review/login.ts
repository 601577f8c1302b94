/**
 * Console logins: operator username + password (scrypt, same cost as tenants; the same work is
 * done for unknown users) → a random 32-byte token in an HttpOnly, SameSite=Strict cookie scoped
 * to /console; the database keeps only its SHA-256, with a per-login CSRF token that every form
 * carries. Logins last LOGIN_TTL_MS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CodedError } from '../../shared/errors.js';
import { dummyPasswordHash, verifyPassword } from '../session/credentials.js';
import { createRateLimiter, hashedKey } from '../session/rate-limits.js';
import type { Operator, OperatorRepo } from '../store/operators.js';
import type { RateLimitRepo } from '../store/rate-limits.js';

export const COOKIE_NAME = 'idv_console';
export const LOGIN_TTL_MS = 8 * 3600_000;
/** Failed sign-ins allowed per user name and per client address per window (shared by every node) before sign-in is refused outright. Stricter: lower. */
export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Counts failed sign-ins per user name and per client address in fixed windows, in the database
 * (session/rate-limits.ts), so a second node does not grant ten more tries.
 */
export function createLoginThrottle(repo: RateLimitRepo, now: () => number) {
  const limiter = createRateLimiter(repo, now);
  const rule = { limit: MAX_FAILED_LOGINS, windowMs: FAILED_LOGIN_WINDOW_MS };
  const keys = (username: string, address: string) => [hashedKey('console-fail:user', username), `console-fail:addr:${address}`];
  return {
    async blocked(username: string, address: string): Promise<boolean> {
      try {
        await limiter.assertBudget(rule, keys(username, address));
        return false;
      } catch (err) {
        if (err instanceof CodedError && err.code === 'RATE_LIMITED') return true;
        throw err;
      }
    },
    failed: (username: string, address: string) => limiter.record(rule, keys(username, address)),
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function logIn(
  operators: OperatorRepo,
  throttle: LoginThrottle,
  username: string,
  password: string,
  now: number,
  address = 'unknown',
): Promise<{ token: string; operator: Operator }> {
  if (await throttle.blocked(username, address)) throw new CodedError('OPERATOR_UNAUTHORIZED', 'too many failed sign-ins');
  const op = await operators.getByUsername(username);
  const ok = await verifyPassword(password, op?.passwordHash ?? (await dummyPasswordHash()));
  if (!op || !ok || op.disabledAt !== null) {
    await throttle.failed(username, address);
    throw new CodedError('OPERATOR_UNAUTHORIZED');
  }
  const token = randomBytes(32).toString('base64url');
  await operators.deleteExpiredLogins(now);
  await operators.createLogin(sha256(token), { operatorId: op.id, csrfToken: randomBytes(24).toString('base64url'), expiresAt: now + LOGIN_TTL_MS }, now);
  return { token, operator: op };
}

export interface ConsoleUser {
  operator: Operator;
  csrfToken: string;
  tokenHash: string;
}

export function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE_NAME) return v.join('=') || null;
  }
  return null;
}

export async function currentUser(operators: OperatorRepo, cookieHeader: string | undefined, now: number): Promise<ConsoleUser> {
  const token = cookieToken(cookieHeader);
  if (!token || token.length > 100) throw new CodedError('OPERATOR_UNAUTHORIZED');
  const tokenHash = sha256(token);
  const login = await operators.getLogin(tokenHash);
  if (!login || login.expiresAt < now) throw new CodedError('OPERATOR_UNAUTHORIZED');
  const operator = await operators.get(login.operatorId);
  if (!operator || operator.disabledAt !== null) throw new CodedError('OPERATOR_UNAUTHORIZED');
  return { operator, csrfToken: login.csrfToken, tokenHash };
}

export const logOut = (operators: OperatorRepo, tokenHash: string) => operators.deleteLogin(tokenHash);
