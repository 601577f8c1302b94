/**
 * Console logins: operator username + password (scrypt, same cost as tenants; the same work is
 * done for unknown users) → a random 32-byte token in an HttpOnly, SameSite=Strict cookie scoped
 * to /console; the database keeps only its SHA-256, with a per-login CSRF token that every form
 * carries. Logins last LOGIN_TTL_MS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CodedError } from '../../shared/errors.js';
import { dummyPasswordHash, verifyPassword } from '../session/credentials.js';
import type { Operator, OperatorRepo } from '../store/operators.js';

export const COOKIE_NAME = 'idv_console';
export const LOGIN_TTL_MS = 8 * 3600_000;
/** Failed sign-ins allowed per username per window (per process) before it is refused outright. Stricter: lower. */
export const MAX_FAILED_LOGINS = 10;
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
/** Usernames tracked at most (bounded memory); the oldest windows are dropped first. */
const MAX_TRACKED = 10_000;

/** Counts failed sign-ins per username in a fixed window; in memory, per process. */
export function createLoginThrottle(now: () => number) {
  const failures = new Map<string, { count: number; until: number }>();
  return {
    blocked(username: string): boolean {
      const f = failures.get(username);
      if (f && f.until <= now()) failures.delete(username);
      return (failures.get(username)?.count ?? 0) >= MAX_FAILED_LOGINS;
    },
    failed(username: string): void {
      const t = now();
      const f = failures.get(username);
      if (f && f.until > t) f.count++;
      else {
        failures.delete(username);
        failures.set(username, { count: 1, until: t + FAILED_LOGIN_WINDOW_MS });
      }
      while (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value!);
    },
    succeeded(username: string): void {
      failures.delete(username);
    },
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
): Promise<{ token: string; operator: Operator }> {
  if (throttle.blocked(username)) throw new CodedError('OPERATOR_UNAUTHORIZED', 'too many failed sign-ins');
  const op = await operators.getByUsername(username);
  const ok = await verifyPassword(password, op?.passwordHash ?? (await dummyPasswordHash()));
  if (!op || !ok || op.disabledAt !== null) {
    throttle.failed(username);
    throw new CodedError('OPERATOR_UNAUTHORIZED');
  }
  throttle.succeeded(username);
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
