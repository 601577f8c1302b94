/** The capture flow's pure state machine (src/web/flow.ts) and the postMessage target rule. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetOrigins, type SessionSnapshot } from '../../src/shared/embed.js';
import { initialState, planFor, progressOf, transition, type FlowEvent, type FlowState } from '../../src/web/flow.js';

const fresh: SessionSnapshot = {
  sessionId: 's1', status: 'CREATED', steps: ['document', 'face'], stepsRemaining: ['document', 'face'], nextDocumentPage: 'FRONT',
};
const run = (s: FlowState, ...events: FlowEvent[]) => events.reduce(transition, s);

test('plan from the server view: back pending, face done, steps order kept', () => {
  assert.deepEqual(planFor(fresh), ['DOCUMENT_FRONT', 'FACE']);
  assert.deepEqual(planFor({ ...fresh, nextDocumentPage: 'BACK' }), ['DOCUMENT_BACK', 'FACE']);
  assert.deepEqual(planFor({ ...fresh, steps: ['face', 'document'], stepsRemaining: ['face', 'document'] }), ['FACE', 'DOCUMENT_FRONT']);
  assert.deepEqual(planFor({ ...fresh, stepsRemaining: ['face'], nextDocumentPage: null }), ['FACE']);
});

test('start: fatal error, completed session, handoff offer, or straight to capture', () => {
  assert.deepEqual(initialState(null, 'SESSION_UNAUTHORIZED', { offerHandoff: true }).screen, { name: 'fatal', code: 'SESSION_UNAUTHORIZED' });
  assert.deepEqual(initialState({ ...fresh, status: 'COMPLETED' }, null, { offerHandoff: false }).screen, { name: 'fatal', code: 'SESSION_ALREADY_COMPLETED' });
  assert.deepEqual(initialState(fresh, null, { offerHandoff: true }).screen, { name: 'handoff' });
  assert.deepEqual(initialState(fresh, null, { offerHandoff: false }).screen, { name: 'capture', step: 'DOCUMENT_FRONT' });
  assert.deepEqual(initialState({ ...fresh, stepsRemaining: [] }, null, { offerHandoff: false }).screen, { name: 'completing' });
});

test('two-sided document: front, back, face, completing, done', () => {
  const s0 = initialState(fresh, null, { offerHandoff: false });
  const s1 = run(s0, { type: 'CAPTURED' }, { type: 'DOCUMENT_ACCEPTED', pageSide: 'FRONT', isTwoSideDocument: true });
  assert.deepEqual(s1.screen, { name: 'capture', step: 'DOCUMENT_BACK' });
  assert.deepEqual(progressOf(s1), { current: 1, total: 2 });
  const s2 = run(s1, { type: 'CAPTURED' }, { type: 'DOCUMENT_ACCEPTED', pageSide: 'BACK', isTwoSideDocument: true });
  assert.deepEqual(s2.screen, { name: 'capture', step: 'FACE' });
  assert.deepEqual(progressOf(s2), { current: 2, total: 2 });
  const s3 = run(s2, { type: 'CAPTURED' }, { type: 'FACE_ACCEPTED' });
  assert.deepEqual(s3.screen, { name: 'completing' });
  const s4 = run(s3, { type: 'COMPLETED', returnUrl: 'https://x.example/r' });
  assert.deepEqual(s4.screen, { name: 'done', returnUrl: 'https://x.example/r' });
  assert.equal(transition(s4, { type: 'FAILED', code: 'INTERNAL_ERROR' }), s4, 'done is terminal');
});

test('refused photo → retake screen with the code → capture the same step again', () => {
  const s = run(initialState(fresh, null, { offerHandoff: false }), { type: 'CAPTURED' }, { type: 'REJECTED', code: 'DOCUMENT_NOT_RECOGNIZED' });
  assert.deepEqual(s.screen, { name: 'retake', step: 'DOCUMENT_FRONT', code: 'DOCUMENT_NOT_RECOGNIZED' });
  assert.deepEqual(run(s, { type: 'RETAKE' }).screen, { name: 'capture', step: 'DOCUMENT_FRONT' });
});

test('fatal codes end the flow', () => {
  const s = run(initialState(fresh, null, { offerHandoff: false }), { type: 'CAPTURED' }, { type: 'REJECTED', code: 'SESSION_ALREADY_COMPLETED' });
  assert.deepEqual(s.screen, { name: 'fatal', code: 'SESSION_ALREADY_COMPLETED' });
});

test('a front sent when the back is expected → WRONG_SIDE retake on the back', () => {
  const atBack = run(initialState({ ...fresh, nextDocumentPage: 'BACK' }, null, { offerHandoff: false }), { type: 'CAPTURED' });
  const s = transition(atBack, { type: 'DOCUMENT_ACCEPTED', pageSide: 'FRONT', isTwoSideDocument: true });
  assert.deepEqual(s.screen, { name: 'retake', step: 'DOCUMENT_BACK', code: 'WRONG_SIDE' });
  // A one-sided document's front (a passport instead of the card): the document step is done.
  const p = transition(atBack, { type: 'DOCUMENT_ACCEPTED', pageSide: 'FRONT', isTwoSideDocument: false });
  assert.deepEqual(p.screen, { name: 'capture', step: 'FACE' });
});

test('complete answered MISSING_DOCUMENT_AND_FACE → resync → retake the missing step', () => {
  const s = initialState({ ...fresh, stepsRemaining: [] }, null, { offerHandoff: false });
  const s1 = transition(s, { type: 'REJECTED', code: 'MISSING_DOCUMENT_AND_FACE' });
  assert.equal(s1, s);
  const s2 = transition(s1, { type: 'RESYNC', session: { ...fresh, stepsRemaining: ['face'], nextDocumentPage: null } });
  assert.deepEqual(s2.screen, { name: 'retake', step: 'FACE', code: 'MISSING_DOCUMENT_AND_FACE' });
});

test('handoff: the phone finishing ends the desktop; resync keeps the screen', () => {
  const s = initialState(fresh, null, { offerHandoff: true });
  const r = transition(s, { type: 'RESYNC', session: { ...fresh, stepsRemaining: ['face'], nextDocumentPage: null } });
  assert.equal(r.screen, s.screen, 'same screen object: no re-render');
  assert.deepEqual(transition(r, { type: 'THIS_DEVICE' }).screen, { name: 'capture', step: 'FACE' });
  assert.deepEqual(transition(r, { type: 'REMOTE_COMPLETED', returnUrl: null }).screen, { name: 'done', returnUrl: null });
});

test('postMessage targets: the parent origin when allowed, else each allowed origin, never *', () => {
  const allowed = ['https://shop.example', 'https://other.example'];
  assert.deepEqual(targetOrigins('https://shop.example', allowed), ['https://shop.example']);
  assert.deepEqual(targetOrigins('https://evil.example', allowed), allowed);
  assert.deepEqual(targetOrigins(null, ['*', 'https://a.example', 'javascript:x']), ['https://a.example']);
  assert.deepEqual(targetOrigins(null, []), []);
});

test('camera unusable on the desktop: USE_PHONE goes to the hand-off screen', () => {
  const s = initialState(fresh, null, { offerHandoff: false });
  assert.deepEqual(transition(s, { type: 'USE_PHONE' }).screen, { name: 'handoff' });
  const processing = transition(s, { type: 'CAPTURED' });
  assert.equal(transition(processing, { type: 'USE_PHONE' }), processing, 'only from a capture screen');
});

test('refusals in a row per step: counted, reset on acceptance; the ways out (another document, phone, upload) and Cancel', async () => {
  const { WAYS_OUT_AFTER } = await import('../../src/web/flow.js');
  const refuse = (code = 'DOCUMENT_NOT_RECOGNIZED'): FlowEvent[] => [{ type: 'CAPTURED' }, { type: 'REJECTED', code }];
  let s = initialState(fresh, null, { offerHandoff: false });
  for (let i = 1; i <= WAYS_OUT_AFTER; i++) {
    s = run(s, ...refuse());
    assert.equal(s.refusals.document, i);
    assert.deepEqual(s.screen, { name: 'retake', step: 'DOCUMENT_FRONT', code: 'DOCUMENT_NOT_RECOGNIZED' });
    if (i < WAYS_OUT_AFTER) s = run(s, { type: 'RETAKE' });
  }
  // Another document: the front again, count reset.
  const other = run(s, { type: 'OTHER_DOCUMENT' });
  assert.deepEqual(other.screen, { name: 'capture', step: 'DOCUMENT_FRONT' });
  assert.equal(other.refusals.document, 0);
  assert.deepEqual(other.plan, ['DOCUMENT_FRONT', 'FACE']);
  // The phone from the retake screen; a file chosen on it goes to processing.
  assert.deepEqual(run(s, { type: 'USE_PHONE' }).screen, { name: 'handoff' });
  assert.deepEqual(run(s, { type: 'CAPTURED' }).screen, { name: 'processing', step: 'DOCUMENT_FRONT' });
  // Accepted: the count resets; the face counts on its own; no "another document" on the face.
  const face = run(s, { type: 'CAPTURED' }, { type: 'DOCUMENT_ACCEPTED', pageSide: 'FRONT', isTwoSideDocument: false });
  assert.equal(face.refusals.document, 0);
  const faceRefused = run(face, ...refuse('FACE_TOO_SMALL'));
  assert.deepEqual(faceRefused.refusals, { document: 0, face: 1 });
  assert.equal(run(faceRefused, { type: 'OTHER_DOCUMENT' }), faceRefused);
  // Cancel during the upload: back to the same step's capture, nothing counted.
  const uploading = run(face, { type: 'CAPTURED' });
  const cancelled = run(uploading, { type: 'CANCELLED' });
  assert.deepEqual(cancelled.screen, { name: 'capture', step: 'FACE' });
  assert.equal(cancelled.refusals.face, 0);
});
