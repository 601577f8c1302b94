import { CodedError } from '../../shared/errors.js';
import type { DocumentResult } from '../vision/contract.js';
import {
  MAX_UPDATE_ATTEMPTS,
  assertOpen,
  dropImages,
  jsonSafe,
  loadFresh,
  recordAccepted,
  recordRejection,
  requireEngines,
  type ImageInput,
} from './captures.js';
import type { SessionDeps } from './deps.js';
import { DOCUMENT_TABLE, documentEvent, type PageFacts } from './states.js';
import type { Capture, Session } from './types.js';

export interface DocumentReply {
  isTwoSideDocument: boolean;
  pageSide: 'FRONT' | 'BACK';
  country: string | null;
  type: string | null;
}

function mrzDocumentNumber(r: Pick<DocumentResult, 'mrz'>): string | null {
  const n = r.mrz?.fields?.documentNumber;
  return typeof n === 'string' && n.length > 0 ? n : null;
}

/**
 * The page facts of an engine result. The engine may leave side/two-sidedness unknown (null);
 * then the page counts as a FRONT of a one-sided document — the permissive reading that never
 * blocks an applicant on an engine's uncertainty (the stored result keeps the nulls).
 */
export function pageFacts(r: Pick<DocumentResult, 'pageSide' | 'isTwoSideDocument' | 'type' | 'country' | 'mrz'>): PageFacts {
  return {
    side: r.pageSide ?? 'FRONT',
    twoSided: r.isTwoSideDocument ?? false,
    identity: { type: r.type, country: r.country, documentNumber: mrzDocumentNumber(r) },
  };
}

async function storedFacts(deps: SessionDeps, captureId: string | null): Promise<PageFacts | null> {
  if (!captureId) return null;
  const c = await deps.store.sessions.getCapture(captureId);
  return c ? pageFacts(c.result as DocumentResult) : null;
}

/** A document page: engine verdict, then the state machine (front → back, retakes, WRONG_SIDE). */
export async function submitDocument(deps: SessionDeps, session: Session, image: ImageInput): Promise<DocumentReply> {
  assertOpen(session);
  const engines = requireEngines(deps);
  const result = (await deps.vision.run(() => engines.document.analyzeDocument(image.bytes))) as DocumentResult;
  const stored = jsonSafe(result);
  const facts = pageFacts(result);
  if (result.error) return recordRejection(deps, session.id, 'DOCUMENT', result.pageSide, result.error, stored);

  let capture: Capture | null = null;
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    const current = attempt === 0 ? session : await loadFresh(deps, session.id);
    assertOpen(current);
    const event = documentEvent(
      facts,
      await storedFacts(deps, current.frontCaptureId),
      await storedFacts(deps, current.backCaptureId),
    );
    const t = DOCUMENT_TABLE[current.documentState][event];
    if (t.action === 'REJECT_WRONG_SIDE') {
      if (capture) {
        await dropImages(deps, session.id, [capture.id]);
        await deps.store.sessions.rejectCapture(capture.id, 'WRONG_SIDE');
        throw new CodedError('WRONG_SIDE');
      }
      return recordRejection(deps, session.id, 'DOCUMENT', facts.side, 'WRONG_SIDE', stored);
    }
    capture ??= await recordAccepted(deps, session.id, 'DOCUMENT', facts.side, image, stored);
    const front = t.action === 'SET_BACK' ? current.frontCaptureId : capture.id;
    const back = t.action === 'SET_BACK' ? capture.id : t.action === 'SET_FRONT_KEEP_BACK' ? current.backCaptureId : null;
    const ok = await deps.store.sessions.update(
      session.id,
      current.version,
      {
        status: 'IN_PROGRESS',
        documentState: t.next,
        frontCaptureId: front,
        backCaptureId: back,
        faceCaptureId: current.faceCaptureId,
      },
      deps.now(),
    );
    if (ok) {
      const replaced = [current.frontCaptureId, current.backCaptureId].filter((id) => id !== front && id !== back);
      await dropImages(deps, session.id, replaced);
      return {
        isTwoSideDocument: facts.twoSided,
        pageSide: facts.side,
        country: result.country,
        type: result.type,
      };
    }
  }
  // Persistent contention on one session: ours to report, the client may retry.
  throw new Error('document update lost every race');
}
