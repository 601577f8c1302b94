import type { FaceCheckResult } from '../vision/contract.js';
import {
  MAX_UPDATE_ATTEMPTS,
  assertOpen,
  dropImages,
  jsonSafe,
  loadFresh,
  pendingCapture,
  recordRejection,
  requireEngines,
  type ImageInput,
} from './captures.js';
import type { SessionDeps } from './deps.js';
import type { Session } from './types.js';

/** A selfie: engine verdict; an accepted face replaces the previous one. Before or after the document. */
export async function submitFace(deps: SessionDeps, session: Session, image: ImageInput): Promise<void> {
  assertOpen(session);
  const engines = requireEngines(deps);
  const result = (await deps.vision.run(() => engines.face.checkFace(image.bytes))) as FaceCheckResult;
  const stored = jsonSafe(result);
  if (result.code) return recordRejection(deps, session.id, 'FACE', null, result.code, stored, image);
  const pending = pendingCapture(deps, session.id, 'FACE', null, image, stored);
  try {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? session : await loadFresh(deps, session.id);
      assertOpen(current);
      const patch = {
        status: 'IN_PROGRESS' as const,
        documentState: current.documentState,
        frontCaptureId: current.frontCaptureId,
        backCaptureId: current.backCaptureId,
        faceCaptureId: pending.capture.id,
      };
      if (await pending.commit(current.version, patch)) {
        await dropImages(deps, session.id, [current.faceCaptureId]);
        return;
      }
    }
  } finally {
    await pending.discard();
  }
  throw new Error('face update lost every race');
}
