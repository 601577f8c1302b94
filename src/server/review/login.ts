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

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function logIn(operators: OperatorRepo, username: string, password: string, now: number): Promise<{ token: string; operator: Operator }> {
  const op = await operators.getByUsername(username);
  const ok = await verifyPassword(password, op?.passwordHash ?? (await dummyPasswordHash()));
  if (!op || !ok || op.disabledAt !== null) throw new CodedError('OPERATOR_UNAUTHORIZED');
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
