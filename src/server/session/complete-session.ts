import { CodedError } from '../../shared/errors.js';
import { loadFresh } from './captures.js';
import type { SessionDeps } from './deps.js';
import { completeDecision } from './states.js';
import type { Session } from './types.js';

/** How often complete re-reads after losing a race to a capture (not to another complete). */
const MAX_ATTEMPTS = 8;

/**
 * Completes the session once its steps are done. Atomic: the UPDATE is conditional on the version
 * read and on status <> 'COMPLETED', so of many concurrent completes exactly one succeeds and the
 * others answer SESSION_ALREADY_COMPLETED.
 */
export async function completeSession(deps: SessionDeps, session: Session): Promise<{ customerReturnUrl: string }> {
  let current = session;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) current = await loadFresh(deps, session.id);
    const decision = completeDecision(current);
    if (decision !== 'COMPLETE') throw new CodedError(decision);
    if (await deps.store.sessions.complete(current.id, current.version, deps.now())) {
      await deps.onCompleted?.(current.id);
      return { customerReturnUrl: current.returnUrl };
    }
  }
  throw new Error('complete lost every race');
}
