/**
 * The read side of one session (tenant Basic auth). Also the function the web enrolment UI uses
 * to read a session by id (`getSessionForTenant` / `deps.store.sessions.get`).
 *
 * Face embeddings are biometric templates: they are stored for the decision but never returned
 * over the API (the `embedding` / `portraitEmbedding` arrays are replaced by their length).
 */
import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { nextDocumentPage, stepsRemaining } from './states.js';
import type { Capture, Session, Step } from './types.js';
import { readVerification, type VerificationView } from '../verification/read-verification.js';

export interface CaptureView {
  captureId: string;
  kind: Capture['kind'];
  pageSide: Capture['pageSide'];
  accepted: boolean;
  error: string | null;
  imageId: string | null;
  createdAt: string;
  result: unknown;
}

export interface SessionView {
  sessionId: string;
  externalId: string | null;
  status: Session['status'];
  steps: Step[];
  stepsRemaining: Step[];
  nextDocumentPage: 'FRONT' | 'BACK' | null;
  returnUrl: string;
  applicantForm: Session['applicantForm'];
  skipIntegrityCheck: boolean;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  document: {
    type: string | null;
    country: string | null;
    isTwoSideDocument: boolean | null;
    mrz: unknown;
    front: CaptureView | null;
    back: CaptureView | null;
  } | null;
  face: CaptureView | null;
  attempts: CaptureView[];
  /** Status, decision, factors, review and webhook log (src/server/verification/). */
  verification: VerificationView;
}

const iso = (ms: number) => new Date(ms).toISOString();

function redactEmbeddings(result: unknown): unknown {
  if (!result || typeof result !== 'object') return result;
  const out: Record<string, unknown> = { ...(result as Record<string, unknown>) };
  for (const key of ['embedding', 'portraitEmbedding']) {
    const v = out[key];
    if (Array.isArray(v)) out[key] = { redacted: true, length: v.length };
  }
  return out;
}

function captureView(c: Capture): CaptureView {
  return {
    captureId: c.id,
    kind: c.kind,
    pageSide: c.pageSide,
    accepted: c.accepted,
    error: c.error,
    imageId: c.imageId,
    createdAt: iso(c.createdAt),
    result: redactEmbeddings(c.result),
  };
}

/** The session if it exists and belongs to `tenantId`; another tenant's session is "not found". */
export async function getSessionForTenant(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string): Promise<Session> {
  const s = await deps.store.sessions.get(sessionId.toLowerCase());
  if (!s || s.tenantId !== tenantId) throw new CodedError('SESSION_NOT_FOUND');
  return s;
}

export async function readSession(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string): Promise<SessionView> {
  const s = await getSessionForTenant(deps, tenantId, sessionId);
  const captures = await deps.store.sessions.listCaptures(s.id);
  const byId = new Map(captures.map((c) => [c.id, c]));
  const pick = (id: string | null) => (id ? byId.get(id) ?? null : null);
  const front = pick(s.frontCaptureId);
  const back = pick(s.backCaptureId);
  const face = pick(s.faceCaptureId);
  const fr = front?.result as { type?: string | null; country?: string | null; isTwoSideDocument?: boolean | null; mrz?: unknown } | undefined;
  const br = back?.result as { mrz?: unknown } | undefined;
  return {
    sessionId: s.id,
    externalId: s.externalId,
    status: s.status,
    steps: s.steps,
    stepsRemaining: stepsRemaining(s),
    nextDocumentPage: nextDocumentPage(s),
    returnUrl: s.returnUrl,
    applicantForm: s.applicantForm,
    skipIntegrityCheck: s.skipIntegrityCheck,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    completedAt: s.completedAt === null ? null : iso(s.completedAt),
    document: front
      ? {
          type: fr?.type ?? null,
          country: fr?.country ?? null,
          isTwoSideDocument: fr?.isTwoSideDocument ?? null,
          // The MRZ may be on either page (TD1 cards carry it on the back).
          mrz: fr?.mrz ?? br?.mrz ?? null,
          front: captureView(front),
          back: back ? captureView(back) : null,
        }
      : null,
    face: face ? captureView(face) : null,
    attempts: captures.map(captureView),
    verification: await readVerification(deps.store, s.id),
  };
}
