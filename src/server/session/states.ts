/**
 * The session state machine, as data. Pure: no I/O, no clock.
 *
 *   status:   CREATED ──first accepted capture──▶ IN_PROGRESS ──complete (steps done)──▶ COMPLETED
 *             (COMPLETED is terminal: every call then answers SESSION_ALREADY_COMPLETED)
 *
 *   document: NONE ──FRONT one-sided──▶ DONE
 *             NONE ──FRONT two-sided──▶ AWAITING_BACK ──BACK of the same document──▶ DONE
 *             any  ──FRONT (retake or another document)──▶ replaces the front (see DOCUMENT_TABLE)
 *             any  ──BACK not matching the stored two-sided front──▶ WRONG_SIDE (state unchanged)
 *
 *   face:     independent of the document; before or after it; a new accepted face replaces the old.
 */
import type { DocumentState, Session, Step } from './types.js';

/** What an accepted document page means relative to what the session already holds. */
export type DocumentEvent =
  /** A front page of a one-sided document (passport data page). */
  | 'FRONT_ONE_SIDED'
  /** A front page of a two-sided document that is the same document as the stored back. */
  | 'FRONT_TWO_SIDED_MATCHES_BACK'
  /** A front page of a two-sided document (no back stored, or the back is another document's). */
  | 'FRONT_TWO_SIDED'
  /** A back page of the same document as the stored two-sided front. */
  | 'BACK_MATCHES_FRONT'
  /** A back page with no two-sided front stored, or another document's back. */
  | 'BACK_UNEXPECTED';

export type DocumentAction =
  /** Store as front; forget any back (a different document, or a one-sided one). */
  | 'SET_FRONT_CLEAR_BACK'
  /** Store as front; keep the back (a retake of the same document's front). */
  | 'SET_FRONT_KEEP_BACK'
  /** Store as back (first time or a retake). */
  | 'SET_BACK'
  /** Refuse with WRONG_SIDE; nothing changes. */
  | 'REJECT_WRONG_SIDE';

export interface DocumentTransition {
  action: DocumentAction;
  next: DocumentState;
}

const reject = (state: DocumentState): DocumentTransition => ({ action: 'REJECT_WRONG_SIDE', next: state });

/** Every (state, event) pair, spelled out. */
export const DOCUMENT_TABLE: Record<DocumentState, Record<DocumentEvent, DocumentTransition>> = {
  NONE: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' },
    FRONT_TWO_SIDED_MATCHES_BACK: { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' }, // cannot happen: no back in NONE
    BACK_MATCHES_FRONT: reject('NONE'), // cannot happen: no front in NONE
    BACK_UNEXPECTED: reject('NONE'),
  },
  AWAITING_BACK: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' },
    FRONT_TWO_SIDED_MATCHES_BACK: { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' }, // cannot happen: no back yet
    BACK_MATCHES_FRONT: { action: 'SET_BACK', next: 'DONE' },
    BACK_UNEXPECTED: reject('AWAITING_BACK'),
  },
  DONE: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' },
    FRONT_TWO_SIDED_MATCHES_BACK: { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' },
    BACK_MATCHES_FRONT: { action: 'SET_BACK', next: 'DONE' },
    BACK_UNEXPECTED: reject('DONE'),
  },
};

/** Which document a page belongs to, as far as the engine could tell. */
export interface DocumentIdentity {
  type: string | null;
  country: string | null;
  /** From the MRZ, when the page has one. */
  documentNumber: string | null;
}

/** Same document: same type and country, and the same MRZ document number when both pages have one. */
export function sameDocument(a: DocumentIdentity, b: DocumentIdentity): boolean {
  if (a.type !== b.type || a.country !== b.country) return false;
  if (a.documentNumber && b.documentNumber && a.documentNumber !== b.documentNumber) return false;
  return true;
}

export interface PageFacts {
  side: 'FRONT' | 'BACK';
  twoSided: boolean;
  identity: DocumentIdentity;
}

/** Classify an accepted page against the stored front/back (null when absent). */
export function documentEvent(page: PageFacts, front: PageFacts | null, back: PageFacts | null): DocumentEvent {
  if (page.side === 'FRONT') {
    if (!page.twoSided) return 'FRONT_ONE_SIDED';
    return back && sameDocument(page.identity, back.identity) ? 'FRONT_TWO_SIDED_MATCHES_BACK' : 'FRONT_TWO_SIDED';
  }
  return front && front.twoSided && sameDocument(page.identity, front.identity) ? 'BACK_MATCHES_FRONT' : 'BACK_UNEXPECTED';
}

/** Steps of the session not yet done, in the session's order. */
export function stepsRemaining(s: Pick<Session, 'steps' | 'documentState' | 'faceCaptureId'>): Step[] {
  return s.steps.filter((step) => (step === 'document' ? s.documentState !== 'DONE' : s.faceCaptureId === null));
}

/** The document page the applicant should capture next, or null when the document step is done. */
export function nextDocumentPage(s: Pick<Session, 'documentState'>): 'FRONT' | 'BACK' | null {
  return s.documentState === 'NONE' ? 'FRONT' : s.documentState === 'AWAITING_BACK' ? 'BACK' : null;
}

export type CompleteDecision = 'COMPLETE' | 'SESSION_ALREADY_COMPLETED' | 'MISSING_DOCUMENT_AND_FACE';

export function completeDecision(s: Pick<Session, 'status' | 'steps' | 'documentState' | 'faceCaptureId'>): CompleteDecision {
  if (s.status === 'COMPLETED') return 'SESSION_ALREADY_COMPLETED';
  return stepsRemaining(s).length > 0 ? 'MISSING_DOCUMENT_AND_FACE' : 'COMPLETE';
}
