/**
 * The two ways in: integrators' backends use HTTP Basic (tenant credentials); capture calls use a
 * Bearer access token bound to one session. Both run as onRequest hooks, before the body is read,
 * so an unauthenticated caller cannot make us parse 20 MB.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CodedError } from '../../shared/errors.js';
import type { TenantAuthenticator } from '../session/authenticate-tenant.js';
import { authorizeSession } from '../session/authorize-session.js';
import type { SessionDeps } from '../session/deps.js';
import type { Session, Tenant } from '../session/types.js';
import { decodeUtf8, isCleanText } from './strict-input.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
    enrolmentSession: Session | null;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(header) : null;
  return m?.[1];
}

/** `Basic …` → user name and password; undefined when absent or not Basic; NUL or invalid UTF-8 → REQUEST_INVALID. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const m = header ? /^Basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i.exec(header) : null;
  if (!m) return undefined;
  const decoded = decodeUtf8(Buffer.from(m[1]!, 'base64'), 'authorization');
  if (!isCleanText(decoded)) throw new CodedError('REQUEST_INVALID', 'authorization: NUL in the credentials', { expose: true });
  const i = decoded.indexOf(':');
  if (i <= 0) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

export function requireSession(deps: SessionDeps) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.enrolmentSession = await authorizeSession(deps, bearerToken(request.headers.authorization));
  };
}

export function requireTenant(authenticate: TenantAuthenticator) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const creds = basicCredentials(request.headers.authorization);
    if (!creds) throw new CodedError('TENANT_UNAUTHORIZED');
    request.tenant = await authenticate(creds.username, creds.password, request.ip);
  };
}
