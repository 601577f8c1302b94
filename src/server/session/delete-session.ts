import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { getSessionForTenant } from './read-session.js';

/**
 * Erases a session with every image and result. Images go first and again after the rows, so an
 * image written by a capture racing the delete does not survive it.
 */
export async function deleteSession(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string): Promise<void> {
  const s = await getSessionForTenant(deps, tenantId, sessionId);
  await deps.store.images.deleteSession(s.id);
  if (!(await deps.store.sessions.delete(tenantId, s.id))) throw new CodedError('SESSION_NOT_FOUND');
  await deps.store.images.deleteSession(s.id);
}
