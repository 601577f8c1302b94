/** Shared steps of the capture use cases: run an engine, record the attempt, keep the image. */
import { CodedError, type ErrorCode } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import type { SessionPatch } from '../store/sessions.js';
import type { Capture, CaptureKind, Session } from './types.js';

/** How often a capture retries its conditional update when another request changed the session. */
export const MAX_UPDATE_ATTEMPTS = 8;

/** Images of refused attempts kept per session, newest first (older ones are deleted: storage stays bounded). */
export const MAX_REFUSED_IMAGES_KEPT = 10;

export interface ImageInput {
  bytes: Uint8Array;
  contentType: string;
}

export function assertOpen(session: Session): void {
  if (session.status === 'COMPLETED') throw new CodedError('SESSION_ALREADY_COMPLETED');
}

/** What a capture checks before its input is read or downloaded: the session is open, the engines are loaded. */
export function assertCaptureAllowed(deps: SessionDeps, session: Session): void {
  assertOpen(session);
  requireEngines(deps);
}

export function requireEngines(deps: SessionDeps) {
  const engines = deps.engines();
  if (!engines) throw new CodedError('SERVICE_NOT_READY');
  return engines;
}

/**
 * Keeps a refused attempt — its result and its image, so that a reviewer sees what the applicant
 * sent and why it was refused (deleted with the session, or by the image retention; the newest
 * MAX_REFUSED_IMAGES_KEPT per session) — and throws its code. A session completed (or deleted)
 * meanwhile gets no new attempt and keeps no image: SESSION_ALREADY_COMPLETED (or
 * SESSION_UNAUTHORIZED).
 */
export async function recordRejection(
  deps: SessionDeps,
  sessionId: string,
  kind: CaptureKind,
  pageSide: Capture['pageSide'],
  code: ErrorCode,
  result: unknown,
  image: ImageInput,
): Promise<never> {
  const imageId = deps.newId();
  await deps.store.images.put(sessionId, imageId, image.bytes);
  const inserted = await deps.store.sessions.insertCaptureIfOpen({
    id: deps.newId(),
    sessionId,
    kind,
    pageSide,
    accepted: false,
    error: code,
    result,
    imageId,
    contentType: image.contentType,
    imageBytes: image.bytes.length,
    createdAt: deps.now(),
  });
  if (!inserted) {
    await deps.store.images.delete(sessionId, imageId);
    const now = await deps.store.sessions.get(sessionId);
    throw new CodedError(now && !now.expiredAt ? 'SESSION_ALREADY_COMPLETED' : 'SESSION_UNAUTHORIZED');
  }
  const refused = (await deps.store.sessions.listCaptures(sessionId)).filter((c) => !c.accepted && c.imageId !== null);
  for (const old of refused.slice(0, Math.max(0, refused.length - MAX_REFUSED_IMAGES_KEPT))) {
    await deps.store.images.delete(sessionId, old.imageId!);
    await deps.store.sessions.clearCaptureImage(old.id);
  }
  throw new CodedError(code);
}

/**
 * An accepted capture being committed: its image is stored at the first `commit` and the capture
 * row is written in the same transaction as the session update (`updateWithCapture`), so a capture
 * refused by the session's state (completed, deleted, or the races lost) leaves neither a row nor
 * an image: `discard()` (always called, in a finally) deletes the image unless a commit applied.
 */
export function pendingCapture(deps: SessionDeps, sessionId: string, kind: CaptureKind, pageSide: Capture['pageSide'], image: ImageInput, result: unknown) {
  const capture: Capture = {
    id: deps.newId(),
    sessionId,
    kind,
    pageSide,
    accepted: true,
    error: null,
    result,
    imageId: deps.newId(),
    contentType: image.contentType,
    imageBytes: image.bytes.length,
    createdAt: deps.now(),
  };
  let stored = false;
  let committed = false;
  return {
    capture,
    async commit(version: number, patch: SessionPatch): Promise<boolean> {
      if (!stored) {
        await deps.store.images.put(sessionId, capture.imageId!, image.bytes);
        stored = true;
      }
      committed = await deps.store.sessions.updateWithCapture(sessionId, version, patch, deps.now(), capture);
      return committed;
    },
    async discard(): Promise<void> {
      if (stored && !committed) await deps.store.images.delete(sessionId, capture.imageId!);
    },
  };
}

/** After a retake: delete the replaced captures' images (the results stay for the record). */
export async function dropImages(deps: SessionDeps, sessionId: string, captureIds: Array<string | null>): Promise<void> {
  for (const id of captureIds) {
    if (!id) continue;
    const c = await deps.store.sessions.getCapture(id);
    if (c?.imageId) {
      await deps.store.images.delete(sessionId, c.imageId);
      await deps.store.sessions.clearCaptureImage(id);
    }
  }
}

export async function loadFresh(deps: SessionDeps, id: string): Promise<Session> {
  const s = await deps.store.sessions.get(id);
  // Deleted or expired while we worked: the token no longer grants anything.
  if (!s || s.expiredAt) throw new CodedError('SESSION_UNAUTHORIZED');
  return s;
}

/** Drops a JSON-unsafe value (typed arrays, undefined, NaN) into plain JSON. */
export function jsonSafe<T>(value: T): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v,
    ),
  ) as unknown;
}
