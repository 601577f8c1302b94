/** The pure transition table and its helpers (src/server/session/states.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCUMENT_TABLE, completeDecision, documentEvent, nextDocumentPage, sameDocument, stepsRemaining, type PageFacts } from '../../src/server/session/states.js';

const id = { type: 'IDENTITY_CARD', country: 'SVK', documentNumber: null };
const front2: PageFacts = { side: 'FRONT', twoSided: true, identity: id };
const back2: PageFacts = { side: 'BACK', twoSided: true, identity: id };
const passport: PageFacts = { side: 'FRONT', twoSided: false, identity: { type: 'PASSPORT', country: 'DEU', documentNumber: 'C01X00T47' } };

test('documentEvent classifies pages against what is stored', () => {
  assert.equal(documentEvent(back2, null, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent(back2, front2, null), 'BACK_MATCHES_FRONT');
  assert.equal(documentEvent(back2, passport, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent({ ...back2, identity: { ...id, country: 'CZE' } }, front2, null), 'BACK_UNEXPECTED');
  assert.equal(documentEvent(front2, null, null), 'FRONT_TWO_SIDED');
  assert.equal(documentEvent(front2, front2, back2), 'FRONT_TWO_SIDED_MATCHES_BACK');
  assert.equal(documentEvent({ ...front2, identity: { ...id, type: 'DRIVING_LICENCE' } }, front2, back2), 'FRONT_TWO_SIDED');
  assert.equal(documentEvent(passport, front2, back2), 'FRONT_ONE_SIDED');
});

test('sameDocument: type and country must match; MRZ numbers only when both pages have one', () => {
  assert.equal(sameDocument(id, { ...id, documentNumber: 'X1' }), true);
  assert.equal(sameDocument({ ...id, documentNumber: 'X2' }, { ...id, documentNumber: 'X1' }), false);
  assert.equal(sameDocument(id, { ...id, type: null }), false);
});

test('the table: every state × event is defined; WRONG_SIDE never changes the state', () => {
  for (const [state, row] of Object.entries(DOCUMENT_TABLE)) {
    assert.deepEqual(Object.keys(row).sort(), ['BACK_MATCHES_FRONT', 'BACK_UNEXPECTED', 'FRONT_ONE_SIDED', 'FRONT_TWO_SIDED', 'FRONT_TWO_SIDED_MATCHES_BACK']);
    for (const t of Object.values(row)) if (t.action === 'REJECT_WRONG_SIDE') assert.equal(t.next, state);
  }
  assert.deepEqual(DOCUMENT_TABLE.NONE.FRONT_TWO_SIDED, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
  assert.deepEqual(DOCUMENT_TABLE.AWAITING_BACK.BACK_MATCHES_FRONT, { action: 'SET_BACK', next: 'DONE' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.FRONT_TWO_SIDED_MATCHES_BACK, { action: 'SET_FRONT_KEEP_BACK', next: 'DONE' });
  assert.deepEqual(DOCUMENT_TABLE.DONE.FRONT_TWO_SIDED, { action: 'SET_FRONT_CLEAR_BACK', next: 'AWAITING_BACK' });
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
