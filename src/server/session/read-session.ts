/**
 * The read side of one session (tenant Basic auth; the review console reads it too).
 *
 * Lean by default: status, steps, the normalised document built from its pages
 * (verification/extract-document.ts), the face, every attempt with its code, image links and the
 * verification (decision, reasons, factors). `detail: 'full'` adds each capture's engine result
 * (text lines, boxes, measurements). Never in either: face embeddings and face signatures
 * (biometric templates, kept for the decision: replaced by their length) and image bytes (the portrait crop the document
 * engine stores is served by URL, `portraitUrl`).
 */
import { CodedError } from '../../shared/errors.js';
import { boundArrays } from '../../shared/json.js';
import type { DocumentResult, FaceCheckResult } from '../vision/contract.js';
import type { SessionDeps } from './deps.js';
import { portraitCropOf } from './session-images.js';
import { nextDocumentPage, stepsRemaining } from './states.js';
import type { Capture, Session, Step } from './types.js';
import { extractDocument, type ExtractedDocument } from '../verification/extract-document.js';
import { readVerification, type VerificationView } from '../verification/read-verification.js';

export type ReadDetail = 'summary' | 'full';

interface Links {
  imageId: string | null;
  imageUrl: string | null;
}

export interface DocumentPageView extends Links {
  captureId: string;
  pageSide: 'FRONT' | 'BACK';
  createdAt: string;
  portraitUrl: string | null;
  /** What the engine read on this page alone. */
  reading: Pick<DocumentResult, 'type' | 'country' | 'pageSide' | 'isTwoSideDocument'>;
  result?: unknown;
}

export interface FaceView extends Links {
  captureId: string;
  createdAt: string;
  problems: string[];
  result?: unknown;
}

export interface AttemptView extends Links {
  captureId: string;
  kind: Capture['kind'];
  pageSide: Capture['pageSide'];
  accepted: boolean;
  error: string | null;
  createdAt: string;
  result?: unknown;
}

export interface DocumentView extends ExtractedDocument {
  front: DocumentPageView | null;
  back: DocumentPageView | null;
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
  document: DocumentView | null;
  face: FaceView | null;
  attempts: AttemptView[];
  /** Status, decision, factors, review and webhook log (src/server/verification/). */
  verification: VerificationView;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The engine result as the full read shows it: embeddings replaced by their length, the portrait crop by its URL. */
export function publicResult(result: unknown): unknown {
  if (!result || typeof result !== 'object') return result;
  result = boundArrays(result);
  const out: Record<string, unknown> = { ...(result as Record<string, unknown>) };
  for (const key of ['embedding', 'portraitEmbedding', 'faceSignature', 'portraitSignature']) {
    const v = out[key];
    if (Array.isArray(v)) out[key] = { redacted: true, length: v.length };
  }
  const details = out.details as Record<string, unknown> | undefined;
  const portrait = details?.portrait as Record<string, unknown> | null | undefined;
  if (portrait && typeof portrait === 'object' && 'cropJpegBase64' in portrait) {
    const { cropJpegBase64: _bytes, ...rest } = portrait;
    out.details = { ...details, portrait: rest };
  }
  return out;
}

function links(sessionId: string, c: Capture): Links {
  return { imageId: c.imageId, imageUrl: c.imageId ? `/api/v1/sessions/${sessionId}/images/${c.imageId}` : null };
}

function attemptView(c: Capture, detail: ReadDetail): AttemptView {
  return {
    captureId: c.id,
    kind: c.kind,
    pageSide: c.pageSide,
    accepted: c.accepted,
    error: c.error,
    createdAt: iso(c.createdAt),
    ...links(c.sessionId, c),
    ...(detail === 'full' ? { result: publicResult(c.result) } : {}),
  };
}

function pageView(c: Capture, side: 'FRONT' | 'BACK', detail: ReadDetail): DocumentPageView {
  const r = (c.result ?? {}) as Partial<DocumentResult>;
  return {
    captureId: c.id,
    pageSide: side,
    createdAt: iso(c.createdAt),
    ...links(c.sessionId, c),
    portraitUrl: portraitCropOf(c.result) ? `/api/v1/sessions/${c.sessionId}/captures/${c.id}/portrait` : null,
    reading: { type: r.type ?? null, country: r.country ?? null, pageSide: r.pageSide ?? null, isTwoSideDocument: r.isTwoSideDocument ?? null },
    ...(detail === 'full' ? { result: publicResult(c.result) } : {}),
  };
}

function faceView(c: Capture, detail: ReadDetail): FaceView {
  const r = (c.result ?? {}) as Partial<FaceCheckResult>;
  return {
    captureId: c.id,
    createdAt: iso(c.createdAt),
    ...links(c.sessionId, c),
    problems: Array.isArray(r.problems) ? r.problems : [],
    ...(detail === 'full' ? { result: publicResult(c.result) } : {}),
  };
}

/** The session if it exists and belongs to `tenantId`; another tenant's session is "not found". */
export async function getSessionForTenant(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string): Promise<Session> {
  const s = await deps.store.sessions.get(sessionId.toLowerCase());
  if (!s || s.tenantId !== tenantId) throw new CodedError('SESSION_NOT_FOUND');
  return s;
}

export async function readSession(
  deps: Pick<SessionDeps, 'store'>,
  tenantId: string,
  sessionId: string,
  opts: { detail?: ReadDetail } = {},
): Promise<SessionView> {
  const detail = opts.detail ?? 'summary';
  const s = await getSessionForTenant(deps, tenantId, sessionId);
  const captures = await deps.store.sessions.listCaptures(s.id);
  const byId = new Map(captures.map((c) => [c.id, c]));
  const pick = (id: string | null) => (id ? byId.get(id) ?? null : null);
  const front = pick(s.frontCaptureId);
  const back = pick(s.backCaptureId);
  const face = pick(s.faceCaptureId);
  // The two-digit MRZ years are read against the day the document was last captured (or the
  // session completed), so the same session always reads the same dates.
  const asOf = s.completedAt ?? Math.max(front?.createdAt ?? 0, back?.createdAt ?? 0, s.updatedAt);
  const doc = front || back ? extractDocument((front?.result as DocumentResult) ?? null, (back?.result as DocumentResult) ?? null, asOf) : null;
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
    document: doc
      ? { ...doc, front: front ? pageView(front, 'FRONT', detail) : null, back: back ? pageView(back, 'BACK', detail) : null }
      : null,
    face: face ? faceView(face, detail) : null,
    attempts: captures.map((c) => attemptView(c, detail)),
    verification: await readVerification(deps.store, s.id),
  };
}
