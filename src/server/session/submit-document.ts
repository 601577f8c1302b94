import type { DocumentResult } from '../vision/contract.js';
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
import { DOCUMENT_TABLE, documentEvent, storedSide, type PageFacts } from './states.js';
import { extractDocument } from '../verification/extract-document.js';
import type { Session } from './types.js';

export interface DocumentReply {
  isTwoSideDocument: boolean;
  pageSide: 'FRONT' | 'BACK';
  country: string | null;
  type: string | null;
}

type Facts = Pick<DocumentResult, 'pageSide' | 'isTwoSideDocument' | 'type' | 'country' | 'mrz' | 'portraitEmbedding' | 'details'>;

/** A document number the page really carries: the MRZ's when its check digit verifies, else an AAMVA barcode's. */
function verifiedDocumentNumber(r: Facts): string | null {
  const f = (r.mrz?.fields ?? {}) as Record<string, unknown>;
  const n = typeof f.documentNumber === 'string' ? f.documentNumber.replace(/<+/g, '') : '';
  const checks = f.checks as Record<string, { valid?: boolean }> | undefined;
  const verified = checks?.documentNumber ? checks.documentNumber.valid === true : r.mrz?.valid === true;
  if (n && verified) return n;
  const codes = Array.isArray(r.details?.barcodes) ? (r.details.barcodes as Array<{ aamva?: { fields?: { documentNumber?: unknown } } | null }>) : [];
  for (const c of codes) {
    const dn = c.aamva?.fields?.documentNumber;
    if (typeof dn === 'string' && dn.trim() !== '') return dn.trim();
  }
  return null;
}

/**
 * The page facts of an engine result. The engine may leave side/two-sidedness unknown (null);
 * then the page counts as a FRONT of a one-sided document — the permissive reading that never
 * blocks an applicant on an engine's uncertainty (the stored result keeps the nulls).
 */
export function pageFacts(r: Facts): PageFacts {
  return {
    side: r.pageSide ?? 'FRONT',
    twoSided: r.isTwoSideDocument ?? false,
    identity: { type: r.type, country: r.country, documentNumber: verifiedDocumentNumber(r) },
    hasMrz: !!r.mrz || mrzLikeText(r),
    portrait: Array.isArray(r.portraitEmbedding) && r.portraitEmbedding.length > 0 ? 'FOUND' : r.details?.facesFound === null || r.details?.facesFound === undefined ? 'NOT_SEARCHED' : 'NONE',
  };
}

/** Printed text the engine read that looks like an MRZ line it could not parse (its own rule: 20+ of A–Z 0–9 < with a << run). */
function mrzLikeText(r: Facts): boolean {
  const viz = r.details?.viz;
  if (!Array.isArray(viz)) return false;
  return (viz as Array<{ text?: unknown }>).some((l) => typeof l.text === 'string' && l.text.includes('<<') && /^[A-Z0-9<]{20,}$/.test(l.text.replace(/\s/g, '')));
}

async function storedResult(deps: SessionDeps, captureId: string | null): Promise<DocumentResult | null> {
  if (!captureId) return null;
  const c = await deps.store.sessions.getCapture(captureId);
  return c ? (c.result as DocumentResult) : null;
}

/** A document page: engine verdict, then the state machine (front → back, retakes, WRONG_SIDE). */
export async function submitDocument(deps: SessionDeps, session: Session, image: ImageInput): Promise<DocumentReply> {
  assertOpen(session);
  const engines = requireEngines(deps);
  const result = (await deps.vision.run(() => engines.document.analyzeDocument(image.bytes))) as DocumentResult;
  const stored = jsonSafe(result);
  const facts = pageFacts(result);
  if (result.error) return recordRejection(deps, session.id, 'DOCUMENT', result.pageSide, result.error, stored, image);

  const pending = pendingCapture(deps, session.id, 'DOCUMENT', facts.side, image, stored);
  try {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? session : await loadFresh(deps, session.id);
      assertOpen(current);
      const [storedFront, storedBack] = [await storedResult(deps, current.frontCaptureId), await storedResult(deps, current.backCaptureId)];
      const event = documentEvent(facts, storedFront && pageFacts(storedFront), storedBack && pageFacts(storedBack));
      const t = DOCUMENT_TABLE[current.documentState][event];
      if (t.action === 'REJECT_WRONG_SIDE') return await recordRejection(deps, session.id, 'DOCUMENT', facts.side, 'WRONG_SIDE', stored, image);
      // The capture keeps the side the session took it for (the stored result keeps the engine's).
      const side = storedSide(t.action);
      pending.capture.pageSide = side;
      const ours = pending.capture.id;
      const front = t.action === 'SET_BACK' ? current.frontCaptureId : ours;
      const back =
        t.action === 'SET_BACK'
          ? ours
          : t.action === 'SET_FRONT_KEEP_BACK'
            ? current.backCaptureId
            : t.action === 'SET_FRONT_MOVE_FRONT_TO_BACK'
              ? current.frontCaptureId
              : null;
      const patch = { status: 'IN_PROGRESS' as const, documentState: t.next, frontCaptureId: front, backCaptureId: back, faceCaptureId: current.faceCaptureId };
      if (await pending.commit(current.version, patch)) {
        if (t.action === 'SET_FRONT_MOVE_FRONT_TO_BACK' && back) await deps.store.sessions.setCapturePageSide(back, 'BACK');
        const replaced = [current.frontCaptureId, current.backCaptureId].filter((id) => id !== front && id !== back);
        await dropImages(deps, session.id, replaced);
        // The document as known after this page: both pages fused.
        const resultOf = (id: string | null) =>
          id === null ? null : id === ours ? result : id === current.frontCaptureId ? storedFront : id === current.backCaptureId ? storedBack : null;
        const doc = extractDocument(resultOf(front), resultOf(back), deps.now());
        return {
          isTwoSideDocument: doc.isTwoSideDocument ?? facts.twoSided,
          pageSide: side,
          country: doc.country,
          type: doc.type,
        };
      }
    }
  } finally {
    await pending.discard();
  }
  // Persistent contention on one session: ours to report, the client may retry.
  throw new Error('document update lost every race');
}
