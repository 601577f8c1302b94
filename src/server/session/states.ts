/**
 * The session state machine, as data. Pure: no I/O, no clock. This file is the one place that
 * decides what an accepted document page does to the session (docs/api.md, docs/adr/0004).
 *
 *   status:   CREATED ──first accepted capture──▶ IN_PROGRESS ──complete (steps done)──▶ COMPLETED
 *             (COMPLETED is terminal: every call then answers SESSION_ALREADY_COMPLETED)
 *
 *   document: NONE ──FRONT one-sided──▶ DONE
 *             NONE ──FRONT two-sided──▶ AWAITING_BACK ──BACK of the same document──▶ DONE
 *             any  ──FRONT (retake or another document)──▶ replaces the front (see DOCUMENT_TABLE)
 *             any  ──BACK not the back of the stored two-sided front──▶ WRONG_SIDE (state unchanged)
 *
 *   face:     independent of the document; before or after it; a new accepted face replaces the old.
 *
 * A document is one object built from its pages: pages belong to the same document unless they
 * contradict each other on a fact both really carry (`contradictions`) — a front read without a
 * country is completed by its back, never refused for it. The side the engine reports is taken,
 * except where the pages themselves say otherwise (a page with the MRZ beside the holder's
 * portrait is the front, whatever the engine called it; see `documentEvent`).
 */
import type { DocumentState, Session, Step } from './types.js';

/** What an accepted document page means relative to what the session already holds. */
export type DocumentEvent =
  /** A front page of a one-sided document (passport data page). */
  | 'FRONT_ONE_SIDED'
  /** A retake of a two-sided front: same type as the stored front, and the stored back is of the same document. */
  | 'FRONT_TWO_SIDED_MATCHES_BACK'
  /** A front page of a two-sided document (no back stored, or the back is another document's). */
  | 'FRONT_TWO_SIDED'
  /** A back page of the same document as the stored two-sided front. */
  | 'BACK_MATCHES_FRONT'
  /** A back page with no two-sided front stored, or another document's back. */
  | 'BACK_UNEXPECTED'
  /**
   * Called BACK by the engine, but the page may be a front that carries the MRZ (`mayBeMrzFront`:
   * an MRZ, and a usable portrait or none looked for), and it is not the back of the stored front:
   * the front of a document whose MRZ is printed beside the portrait (French 2×36 ID card,
   * 1997–2010 US green card), read as a new front.
   */
  | 'BACK_WITH_MRZ_AND_PORTRAIT'
  /** The same page again: the stored front is such a page (called BACK, may be an MRZ front), and this one is too, of the same document. */
  | 'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN'
  /**
   * Called FRONT, with a portrait, of the same document as a stored front the engine had called
   * BACK (taken for the front by the rule above): that stored page was the back after all.
   */
  | 'FRONT_AFTER_FRONT_CALLED_BACK'
  /**
   * Called FRONT, but it carries neither MRZ nor a portrait, while the stored two-sided front of
   * the same document may be an MRZ front: the back of a card whose MRZ is on the front (the
   * engine calls a side without MRZ and barcode a front).
   */
  | 'PLAIN_PAGE_AFTER_MRZ_FRONT';

export type DocumentAction =
  /** Store as front; forget any back (a different document, or a one-sided one). */
  | 'SET_FRONT_CLEAR_BACK'
  /** Store as front; keep the back (a retake of the same document's front). */
  | 'SET_FRONT_KEEP_BACK'
  /** Store as back (first time or a retake). */
  | 'SET_BACK'
  /** Store as front; the stored front becomes the back. */
  | 'SET_FRONT_MOVE_FRONT_TO_BACK'
  /** Refuse with WRONG_SIDE; nothing changes. */
  | 'REJECT_WRONG_SIDE';

export interface DocumentTransition {
  action: DocumentAction;
  next: DocumentState;
}

const reject = (state: DocumentState): DocumentTransition => ({ action: 'REJECT_WRONG_SIDE', next: state });
const newFront: DocumentTransition = { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' };
const back: DocumentTransition = { action: 'SET_BACK', next: 'DONE' };

/** Every (state, event) pair, spelled out. "cannot happen" rows are what documentEvent never yields there; they still get the safe answer. */
export const DOCUMENT_TABLE: Record<DocumentState, Record<DocumentEvent, DocumentTransition>> = {
  NONE: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: newFront,
    FRONT_TWO_SIDED_MATCHES_BACK: newFront, // cannot happen: no back in NONE
    BACK_MATCHES_FRONT: reject('NONE'), // cannot happen: no front in NONE
    BACK_UNEXPECTED: reject('NONE'),
    BACK_WITH_MRZ_AND_PORTRAIT: newFront,
    BACK_WITH_MRZ_AND_PORTRAIT_AGAIN: newFront, // cannot happen: no front in NONE
    FRONT_AFTER_FRONT_CALLED_BACK: newFront, // cannot happen: no front in NONE
    PLAIN_PAGE_AFTER_MRZ_FRONT: newFront, // cannot happen: no front in NONE
  },
  AWAITING_BACK: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: newFront,
    FRONT_TWO_SIDED_MATCHES_BACK: newFront, // cannot happen: no back yet
    BACK_MATCHES_FRONT: back,
    BACK_UNEXPECTED: reject('AWAITING_BACK'),
    BACK_WITH_MRZ_AND_PORTRAIT: newFront,
    BACK_WITH_MRZ_AND_PORTRAIT_AGAIN: newFront,
    FRONT_AFTER_FRONT_CALLED_BACK: { action: 'SET_FRONT_MOVE_FRONT_TO_BACK', next: 'DONE' },
    PLAIN_PAGE_AFTER_MRZ_FRONT: back,
  },
  DONE: {
    FRONT_ONE_SIDED: { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' },
    FRONT_TWO_SIDED: newFront,
    FRONT_TWO_SIDED_MATCHES_BACK: { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' },
    BACK_MATCHES_FRONT: back,
    BACK_UNEXPECTED: reject('DONE'),
    BACK_WITH_MRZ_AND_PORTRAIT: newFront,
    BACK_WITH_MRZ_AND_PORTRAIT_AGAIN: { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' },
    FRONT_AFTER_FRONT_CALLED_BACK: { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' }, // cannot happen: a back is stored
    PLAIN_PAGE_AFTER_MRZ_FRONT: back,
  },
};

/** Which document a page belongs to, as far as the page itself says. */
export interface DocumentIdentity {
  type: string | null;
  /** Issuing state as the engine read it (MRZ, barcode or printed names); null when it could not tell. */
  country: string | null;
  /** A number the page really carries: an MRZ document number whose check digit verifies, or an AAMVA barcode's. */
  documentNumber: string | null;
}

export type IdentityFact = 'country' | 'documentNumber';

const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/**
 * The facts on which two pages disagree, among those both really carry: the issuing state and the
 * document number. A fact one page lacks (a front read without a country, a page without MRZ) is
 * no contradiction. The type is not compared across sides: a card side's type is often the
 * engine's guess (a generic MRZ code I/A/C, no header), and a front and back of one card are read
 * with different rules (docs/adr/0004).
 */
export function contradictions(a: DocumentIdentity, b: DocumentIdentity): IdentityFact[] {
  const out: IdentityFact[] = [];
  if (a.country && b.country && a.country !== b.country) out.push('country');
  if (a.documentNumber && b.documentNumber && alnum(a.documentNumber) !== alnum(b.documentNumber)) out.push('documentNumber');
  return out;
}

/** Same document: no contradiction on a fact both pages carry. */
export function sameDocument(a: DocumentIdentity, b: DocumentIdentity): boolean {
  return contradictions(a, b).length === 0;
}

export interface PageFacts {
  /** The side the engine reported (null → FRONT, the permissive reading). */
  side: 'FRONT' | 'BACK';
  twoSided: boolean;
  identity: DocumentIdentity;
  /** The page carries an MRZ: read (valid or not), or MRZ-like text the reader could not parse. */
  hasMrz: boolean;
  /** A usable portrait found, none found, or none looked for (the engine looks only where it can change its answer). */
  portrait: 'FOUND' | 'NONE' | 'NOT_SEARCHED';
}

/**
 * A page that may be a front carrying the MRZ: it has one, and a usable portrait — or the engine
 * did not look for one (it does not when it cannot read the MRZ, e.g. the French 2×36 layout).
 * A TD1 back with its MRZ read is searched and shows no usable portrait, so it is not one.
 */
const mayBeMrzFront = (p: PageFacts) => p.hasMrz && p.portrait !== 'NONE';

/** Classify an accepted page against the stored front/back (null when absent). */
export function documentEvent(page: PageFacts, front: PageFacts | null, back: PageFacts | null): DocumentEvent {
  const twoSidedFront = front?.twoSided ? front : null;
  const ofStoredFront = twoSidedFront !== null && sameDocument(page.identity, twoSidedFront.identity);
  if (page.side === 'BACK') {
    if (ofStoredFront && mayBeMrzFront(page) && twoSidedFront.side === 'BACK' && mayBeMrzFront(twoSidedFront)) return 'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN';
    if (ofStoredFront) return 'BACK_MATCHES_FRONT';
    return mayBeMrzFront(page) ? 'BACK_WITH_MRZ_AND_PORTRAIT' : 'BACK_UNEXPECTED';
  }
  if (!page.twoSided) return 'FRONT_ONE_SIDED';
  if (ofStoredFront && twoSidedFront.side === 'BACK' && page.portrait === 'FOUND' && !back) return 'FRONT_AFTER_FRONT_CALLED_BACK';
  if (ofStoredFront && mayBeMrzFront(twoSidedFront) && !page.hasMrz && page.portrait !== 'FOUND') return 'PLAIN_PAGE_AFTER_MRZ_FRONT';
  const sameTypeAsFront = !twoSidedFront || !page.identity.type || !twoSidedFront.identity.type || page.identity.type === twoSidedFront.identity.type;
  return back && sameTypeAsFront && sameDocument(page.identity, back.identity) ? 'FRONT_TWO_SIDED_MATCHES_BACK' : 'FRONT_TWO_SIDED';
}

/** The side a page is stored as after `action`. */
export const storedSide = (action: Exclude<DocumentAction, 'REJECT_WRONG_SIDE'>): 'FRONT' | 'BACK' => (action === 'SET_BACK' ? 'BACK' : 'FRONT');

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
