import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import type { Session } from './types.js';

/**
 * Bearer token → the session it grants. Any bad token, a session that no longer exists (deleted),
 * a session of another tenant, a token of an earlier incarnation of the session id (deleted and
 * opened again: another token generation), a session the expiry pass closed, or a disabled
 * tenant → SESSION_UNAUTHORIZED.
 */
export async function authorizeSession(deps: SessionDeps, token: string | undefined): Promise<Session> {
  if (!token) throw new CodedError('SESSION_UNAUTHORIZED');
  const claims = await deps.tokens.verify(token);
  const session = await deps.store.sessions.get(claims.sessionId);
  if (!session || session.tenantId !== claims.tenantId) throw new CodedError('SESSION_UNAUTHORIZED');
  if ((session.tokenGeneration ?? null) !== claims.generation) throw new CodedError('SESSION_UNAUTHORIZED');
  if (session.expiredAt) throw new CodedError('SESSION_UNAUTHORIZED');
  const tenant = await deps.store.tenants.get(session.tenantId);
  if (!tenant || tenant.disabledAt !== null) throw new CodedError('SESSION_UNAUTHORIZED');
  return session;
}
