/** The pure transition table and its helpers (src/server/session/states.ts): every case of docs/adr/0004. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOCUMENT_TABLE,
  completeDecision,
  contradictions,
  documentEvent,
  nextDocumentPage,
  sameDocument,
  stepsRemaining,
  type DocumentEvent,
  type PageFacts,
} from '../../src/server/session/states.js';

const id = { type: 'IDENTITY_CARD', country: 'SVK', documentNumber: null };
const page = (side: 'FRONT' | 'BACK', over: Omit<Partial<PageFacts>, 'identity'> & { identity?: Partial<PageFacts['identity']> } = {}): PageFacts => ({
  side,
  twoSided: true,
  hasMrz: side === 'BACK',
  portrait: side === 'FRONT' ? 'FOUND' : 'NONE',
  ...over,
  identity: { ...id, ...over.identity },
});
const front2 = page('FRONT');
const back2 = page('BACK');
const passport: PageFacts = { side: 'FRONT', twoSided: false, hasMrz: true, portrait: 'FOUND', identity: { type: 'PASSPORT', country: 'DEU', documentNumber: 'C01X00T47' } };

test('documentEvent classifies pages against what is stored', () => {
  assert.equal(documentEvent(back2, null, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent(back2, front2, null), 'BACK_MATCHES_FRONT');
  assert.equal(documentEvent(back2, passport, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent(page('BACK', { identity: { country: 'CZE' } }), front2, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent(front2, null, null), 'FRONT_TWO_SIDED');
  assert.equal(documentEvent(front2, front2, back2), 'FRONT_TWO_SIDED_MATCHES_BACK');
  assert.equal(documentEvent(page('FRONT', { identity: { type: 'DRIVING_LICENCE' } }), front2, back2), 'FRONT_TWO_SIDED', 'another kind of front: a new document');
  assert.equal(documentEvent(passport, front2, back2), 'FRONT_ONE_SIDED');
});

test('fusion: a front read without a country is completed by its back, never refused for it', () => {
  // German residence permit, Portuguese residence permit, Serbian ID card: the front names no state.
  const frontNoCountry = page('FRONT', { identity: { type: 'RESIDENCE_PERMIT', country: null } });
  const backDeu = page('BACK', { identity: { type: 'RESIDENCE_PERMIT', country: 'DEU', documentNumber: 'Y12345678' } });
  assert.equal(documentEvent(backDeu, frontNoCountry, null), 'BACK_MATCHES_FRONT');
  // And the other way round (a back whose MRZ issuing state was unreadable).
  assert.equal(documentEvent(page('BACK', { identity: { country: null } }), page('FRONT', { identity: { country: 'UTO' } }), null), 'BACK_MATCHES_FRONT');
  // The type is read with different rules on each side; it is no contradiction.
  assert.equal(documentEvent(page('BACK', { identity: { type: 'IDENTITY_CARD', country: 'DEU' } }), frontNoCountry, null), 'BACK_MATCHES_FRONT');
  assert.equal(DOCUMENT_TABLE.AWAITING_BACK.BACK_MATCHES_FRONT.next, 'DONE');
});

test('contradictions only on facts both pages carry: the state and a verified document number', () => {
  assert.deepEqual(contradictions(id, { ...id, documentNumber: 'X1' }), []);
  assert.deepEqual(contradictions({ ...id, documentNumber: 'X2' }, { ...id, documentNumber: 'X1' }), ['documentNumber']);
  assert.deepEqual(contradictions({ ...id, documentNumber: 'AB 12' }, { ...id, documentNumber: 'ab12' }), [], 'spacing and case are no difference');
  assert.deepEqual(contradictions(id, { ...id, country: 'CZE', documentNumber: 'X1' }), ['country']);
  assert.deepEqual(contradictions({ ...id, country: null }, { ...id, country: 'CZE' }), []);
  assert.deepEqual(contradictions(id, { ...id, type: 'DRIVING_LICENCE' }), []);
  assert.equal(sameDocument(id, { ...id, type: null }), true);
  const withNumber = page('FRONT', { identity: { documentNumber: 'AA1111111' } });
  assert.equal(documentEvent(page('BACK', { identity: { documentNumber: 'BB2222222' } }), withNumber, null), 'BACK_UNEXPECTED');
});

test('a front that carries the MRZ (French 2×36 ID card): accepted as the front whatever the engine called it', () => {
  const mrzFront = page('FRONT', { hasMrz: true, portrait: 'FOUND', identity: { country: 'FRA', documentNumber: '880692310285' } });
  const mrzFrontCalledBack = { ...mrzFront, side: 'BACK' as const };
  const plainBack = page('FRONT', { hasMrz: false, portrait: 'NONE', identity: { country: 'FRA' } }); // the engine calls a side without MRZ a front

  // Engine says FRONT (#12's engine): front, then its plain back.
  assert.equal(documentEvent(mrzFront, null, null), 'FRONT_TWO_SIDED');
  assert.equal(documentEvent(plainBack, mrzFront, null), 'PLAIN_PAGE_AFTER_MRZ_FRONT');
  assert.deepEqual(DOCUMENT_TABLE.AWAITING_BACK.PLAIN_PAGE_AFTER_MRZ_FRONT, { action: 'SET_BACK', next: 'DONE' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.PLAIN_PAGE_AFTER_MRZ_FRONT, { action: 'SET_BACK', next: 'DONE' }, 'a retake of the back');

  // Engine says BACK (today's engine): not refused on the first call.
  assert.equal(documentEvent(mrzFrontCalledBack, null, null), 'BACK_WITH_MRZ_AND_PORTRAIT');
  assert.deepEqual(DOCUMENT_TABLE.NONE.BACK_WITH_MRZ_AND_PORTRAIT, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
  assert.equal(documentEvent(plainBack, mrzFrontCalledBack, null), 'PLAIN_PAGE_AFTER_MRZ_FRONT');
  // The same page again is a retake of the front, not its back.
  assert.equal(documentEvent(mrzFrontCalledBack, mrzFrontCalledBack, null), 'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN');
  assert.deepEqual(DOCUMENT_TABLE.AWAITING_BACK.BACK_WITH_MRZ_AND_PORTRAIT_AGAIN, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.BACK_WITH_MRZ_AND_PORTRAIT_AGAIN, { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' });
  assert.equal(documentEvent(mrzFrontCalledBack, mrzFrontCalledBack, plainBack), 'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN');
  // Today's engine cannot parse the French layout: MRZ-like text only, no portrait looked for — still a front.
  const unreadMrzFront = page('BACK', { hasMrz: true, portrait: 'NOT_SEARCHED', identity: { country: 'FRA' } });
  assert.equal(documentEvent(unreadMrzFront, null, null), 'BACK_WITH_MRZ_AND_PORTRAIT');
  assert.equal(documentEvent(page('FRONT', { hasMrz: false, portrait: 'NOT_SEARCHED', identity: { country: 'FRA' } }), unreadMrzFront, null), 'PLAIN_PAGE_AFTER_MRZ_FRONT');
  // A TD1 back whose MRZ was read and which the engine searched without finding a portrait stays a back (WRONG_SIDE first).
  assert.equal(documentEvent(page('BACK', { hasMrz: true, portrait: 'NONE' }), null, null), 'BACK_UNEXPECTED');
  // Another document's MRZ-and-portrait side while a back is awaited: a new front.
  assert.equal(documentEvent(page('BACK', { hasMrz: true, portrait: 'FOUND', identity: { country: 'ITA' } }), front2, null), 'BACK_WITH_MRZ_AND_PORTRAIT');
});

test('a TD1 back whose ghost portrait the engine found, shown first: taken for the front, then put back when the real front comes', () => {
  const ghostBack = page('BACK', { hasMrz: true, portrait: 'FOUND' });
  assert.equal(documentEvent(ghostBack, null, null), 'BACK_WITH_MRZ_AND_PORTRAIT');
  assert.equal(documentEvent(front2, ghostBack, null), 'FRONT_AFTER_FRONT_CALLED_BACK');
  assert.deepEqual(DOCUMENT_TABLE.AWAITING_BACK.FRONT_AFTER_FRONT_CALLED_BACK, { action: 'SET_FRONT_MOVE_FRONT_TO_BACK', next: 'DONE' });
  // The same ghost back after the real front is simply the back.
  assert.equal(documentEvent(ghostBack, front2, null), 'BACK_MATCHES_FRONT');
  // A back without portrait first stays WRONG_SIDE (the spec: start with the front).
  assert.equal(documentEvent(back2, null, null), 'BACK_UNEXPECTED');
  assert.equal(DOCUMENT_TABLE.NONE.BACK_UNEXPECTED.action, 'REJECT_WRONG_SIDE');
});

test('a passport is one page', () => {
  assert.equal(documentEvent(passport, null, null), 'FRONT_ONE_SIDED');
  assert.deepEqual(DOCUMENT_TABLE.NONE.FRONT_ONE_SIDED, { action: 'SET_FRONT_CLEAR_BACK', next: 'DONE' });
  assert.equal(documentEvent(page('BACK', { identity: passport.identity }), passport, null), 'BACK_UNEXPECTED');
});

const EVENTS: DocumentEvent[] = [
  'BACK_MATCHES_FRONT',
  'BACK_UNEXPECTED',
  'BACK_WITH_MRZ_AND_PORTRAIT',
  'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN',
  'FRONT_AFTER_FRONT_CALLED_BACK',
  'FRONT_ONE_SIDED',
  'FRONT_TWO_SIDED',
  'FRONT_TWO_SIDED_MATCHES_BACK',
  'PLAIN_PAGE_AFTER_MRZ_FRONT',
];

test('the table: every state × event is defined; WRONG_SIDE never changes the state', () => {
  for (const [state, row] of Object.entries(DOCUMENT_TABLE)) {
    assert.deepEqual(Object.keys(row).sort(), EVENTS);
    for (const t of Object.values(row)) if (t.action === 'REJECT_WRONG_SIDE') assert.equal(t.next, state);
  }
  assert.deepEqual(DOCUMENT_TABLE.NONE.FRONT_TWO_SIDED, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
  assert.deepEqual(DOCUMENT_TABLE.AWAITING_BACK.BACK_MATCHES_FRONT, { action: 'SET_BACK', next: 'DONE' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.FRONT_TWO_SIDED_MATCHES_BACK, { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.FRONT_TWO_SIDED, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
});

test('documentEvent never yields a "cannot happen" row', () => {
  // Exhaustive over small page variations: the events seen in NONE have no front; in AWAITING_BACK no back.
  const variants: PageFacts[] = [];
  for (const side of ['FRONT', 'BACK'] as const)
    for (const twoSided of [true, false])
      for (const hasMrz of [true, false])
        for (const portrait of ['FOUND', 'NONE', 'NOT_SEARCHED'] as const)
          for (const country of ['SVK', 'CZE', null]) variants.push({ side, twoSided, hasMrz, portrait, identity: { ...id, country } });
  for (const p of variants) {
    assert.ok(!['BACK_MATCHES_FRONT', 'FRONT_TWO_SIDED_MATCHES_BACK', 'FRONT_AFTER_FRONT_CALLED_BACK', 'PLAIN_PAGE_AFTER_MRZ_FRONT', 'BACK_WITH_MRZ_AND_PORTRAIT_AGAIN'].includes(documentEvent(p, null, null)));
    for (const f of variants) {
      assert.ok(!['FRONT_TWO_SIDED_MATCHES_BACK'].includes(documentEvent(p, f, null)));
      for (const b of variants) assert.notEqual(documentEvent(p, f, b), 'FRONT_AFTER_FRONT_CALLED_BACK');
    }
  }
});

test('steps remaining, next page and the complete decision', () => {
  const base = { steps: ['document', 'face'] as Array<'document' | 'face'>, documentState: 'NONE' as const, faceCaptureId: null, status: 'CREATED' as const };
  assert.deepEqual(stepsRemaining(base), ['document', 'face']);
  assert.equal(nextDocumentPage(base), 'FRONT');
  assert.equal(nextDocumentPage({ documentState: 'AWAITING_BACK' }), 'BACK');
  assert.deepEqual(stepsRemaining({ ...base, documentState: 'AWAITING_BACK', faceCaptureId: 'f' }), ['document']);
  assert.equal(completeDecision({ ...base, documentState: 'AWAITING_BACK', faceCaptureId: 'f' }), 'MISSING_DOCUMENT_AND_FACE');
  assert.equal(completeDecision({ ...base, documentState: 'DONE', faceCaptureId: 'f' }), 'COMPLETE');
  assert.equal(completeDecision({ ...base, steps: ['face'], faceCaptureId: 'f' }), 'COMPLETE');
  assert.equal(completeDecision({ ...base, status: 'COMPLETED', documentState: 'DONE', faceCaptureId: 'f' }), 'SESSION_ALREADY_COMPLETED');
});
