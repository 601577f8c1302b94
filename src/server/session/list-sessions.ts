import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { stepsRemaining } from './states.js';
import type { SessionStatus, Step } from './types.js';
import { verificationRepo } from '../store/verification.js';

export const LIST_DEFAULT_LIMIT = 20;
export const LIST_MAX_LIMIT = 100;

export interface SessionSummary {
  sessionId: string;
  externalId: string | null;
  status: SessionStatus;
  stepsRemaining: Step[];
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  /** From the verification part: status (PENDING when none yet) and automatic decision. */
  verificationStatus: string;
  decision: string | null;
}

export interface ListInput {
  status?: SessionStatus;
  externalId?: string;
  verificationStatus?: string;
  decision?: string;
  cursor?: string;
  limit?: number;
}

/** Opaque cursor: base64url of [createdAt, id] of the last session of the previous page. */
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
      return { createdAt: v[0] as number, id: v[1] as string };
    }
  } catch {
    // fall through
  }
  throw new CodedError('REQUEST_INVALID', 'cursor is not valid');
}

/** The tenant's sessions, newest first, filtered, one page at a time. */
export async function listSessions(deps: Pick<SessionDeps, 'store'>, tenantId: string, input: ListInput) {
  const limit = Math.min(input.limit ?? LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
  const rows = await deps.store.sessions.list(tenantId, {
    ...(input.status ? { status: input.status } : {}),
    ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
    ...(input.verificationStatus ? { verificationStatus: input.verificationStatus } : {}),
    ...(input.decision ? { decision: input.decision } : {}),
    ...(input.cursor ? { after: decodeCursor(input.cursor) } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const verdicts = await verificationRepo(deps.store.db).statuses(page.map((s) => s.id));
  const last = page[page.length - 1];
  return {
    sessions: page.map(
      (s): SessionSummary => ({
        sessionId: s.id,
        externalId: s.externalId,
        status: s.status,
        stepsRemaining: stepsRemaining(s),
        createdAt: new Date(s.createdAt).toISOString(),
        updatedAt: new Date(s.updatedAt).toISOString(),
        completedAt: s.completedAt === null ? null : new Date(s.completedAt).toISOString(),
        verificationStatus: verdicts.get(s.id)?.status ?? 'PENDING',
        decision: verdicts.get(s.id)?.decision ?? null,
      }),
    ),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url') : null,
  };
}
