/**
 * The page's document advice (GET /web-enrolment/api/document-advice), over HTTP with the real
 * store: a refused document photo is stored with the engine's whole result by submitDocument; the
 * page learns only the advice code of the latest document attempt, and the public API's refusal
 * stays exactly `{hasError, error}`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CAPTURE_ADVICE, type CaptureAdvice, type DocumentAdvice } from '../../src/shared/embed.js';
import { LOCALES, MESSAGES } from '../../src/shared/i18n/index.js';
import type { DocumentResult } from '../../src/server/vision/contract.js';
import type { CaptureAdvice as EngineAdvice } from '../../src/server/vision/document/capture-advice.js';
import { FakeFaceEngine, fakeFaceImage } from '../helpers/fake-engines.js';
import { createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { ScriptedDocumentEngine } from './harness.js';

let svc: TestService;
let t: TestTenant;
const doc = new ScriptedDocumentEngine();
let photo: Buffer;
before(async () => {
  svc = await startTestService({ engines: { face: new FakeFaceEngine(), document: doc } });
  t = await createTestTenant(svc.store);
  photo = await fakeFaceImage(null); // any decodable image: the scripted engine ignores the pixels
});
after(() => svc?.close());

/** A refusal as the engine reports it: an error, the advice and the measurements behind it. */
function refused(error: NonNullable<DocumentResult['error']>, captureAdvice: unknown): Partial<DocumentResult> {
  return {
    error, type: null, country: null, pageSide: null, isTwoSideDocument: null, portraitEmbedding: null, portraitEmbeddingModel: null,
    details: { captureAdvice, imageQuality: { meanLuma: 21.5, glareFraction: 0.01, sharpness: 3.2, textLines: 1 } },
  };
}

/** POST a photo one second after the previous one (the test clock stands still otherwise). */
function post(token: string, path: 'document' | 'face', image: Buffer) {
  svc.clock.now += 1000;
  return postImage(svc.app, token, path, image);
}

/** Type checking fails here if the engine's advice codes and the page's ever differ. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameCodes: Same<EngineAdvice, CaptureAdvice> = true;

test("the page knows exactly the engine's advice codes, with a sentence in every locale", () => {
  assert.equal(sameCodes, true);
  for (const locale of LOCALES) {
    for (const code of CAPTURE_ADVICE) assert.ok(MESSAGES[locale][`advice.${code}`].length > 0, `${locale} advice.${code}`);
  }
});

async function advice(token: string) {
  const res = await svc.app.inject({ url: '/web-enrolment/api/document-advice', headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json() as DocumentAdvice };
}

test('no document attempt yet: nothing to advise', async () => {
  const s = await openSession(svc.app, t);
  assert.deepEqual(await advice(s.accessToken), { status: 200, body: { refusedWith: null, advice: null } });
});

test('a refused document photo: the public reply stays {hasError, error}; the page gets only the advice code', async () => {
  const s = await openSession(svc.app, t);
  doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', 'GLARE')];
  const r = await post(s.accessToken, 'document', photo);
  assert.equal(r.statusCode, 422);
  assert.deepEqual(Object.keys(r.json()).sort(), ['error', 'hasError', 'message', 'requestId'], 'the usual error body, nothing added');
  assert.equal(r.json().error, 'DOCUMENT_NOT_RECOGNIZED');
  assert.doesNotMatch(r.body, /GLARE|advice|imageQuality/i);

  // The whole engine result is stored with the rejected attempt…
  const [stored] = await svc.store.sessions.listCaptures(s.sessionId);
  assert.equal(stored?.accepted, false);
  assert.deepEqual((stored?.result as DocumentResult).details.captureAdvice, 'GLARE');
  // …and the page sees exactly two fields: the code and the advice, no measurements.
  const a = await advice(s.accessToken);
  assert.equal(a.status, 200);
  assert.deepEqual(a.body, { refusedWith: 'DOCUMENT_NOT_RECOGNIZED', advice: 'GLARE' });
});

test('the latest document attempt counts: a new refusal replaces the advice, a face refusal does not', async () => {
  const s = await openSession(svc.app, t);
  doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', 'TOO_DARK'), refused('FACE_QUALITY_LOW', 'BLURRY')];
  assert.equal((await post(s.accessToken, 'document', photo)).statusCode, 422);
  assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: 'DOCUMENT_NOT_RECOGNIZED', advice: 'TOO_DARK' });
  assert.equal((await post(s.accessToken, 'document', photo)).statusCode, 422);
  assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: 'FACE_QUALITY_LOW', advice: 'BLURRY' });
  assert.equal((await post(s.accessToken, 'face', await fakeFaceImage('FACE_NOT_FOUND'))).statusCode, 422);
  assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: 'FACE_QUALITY_LOW', advice: 'BLURRY' });
});

test('no specific cause, an unknown advice value, or an older engine without advice: the code only', async () => {
  const s = await openSession(svc.app, t);
  doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', null), refused('DOCUMENT_NOT_RECOGNIZED', 'SOMETHING_NEW'), { error: 'DOCUMENT_NOT_RECOGNIZED', details: {} }];
  for (let i = 0; i < 3; i++) {
    assert.equal((await post(s.accessToken, 'document', photo)).statusCode, 422);
    assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: 'DOCUMENT_NOT_RECOGNIZED', advice: null });
  }
});

test('an accepted page after a refusal: no advice any more', async () => {
  const s = await openSession(svc.app, t);
  doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', 'TOO_FAR'), { pageSide: 'FRONT', isTwoSideDocument: true }];
  assert.equal((await post(s.accessToken, 'document', photo)).statusCode, 422);
  assert.equal((await advice(s.accessToken)).body.advice, 'TOO_FAR');
  assert.equal((await post(s.accessToken, 'document', photo)).statusCode, 200);
  assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: null, advice: null });
});

test("a WRONG_SIDE refusal (the engine's result has no error) carries no advice", async () => {
  const s = await openSession(svc.app, t);
  doc.script = [{ pageSide: 'BACK', isTwoSideDocument: true }];
  const r = await post(s.accessToken, 'document', photo);
  assert.equal(r.json().error, 'WRONG_SIDE');
  assert.deepEqual((await advice(s.accessToken)).body, { refusedWith: 'WRONG_SIDE', advice: null });
});

test("Bearer only, and only the token's own session", async () => {
  const a = await openSession(svc.app, t);
  const b = await openSession(svc.app, t);
  doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', 'NO_DOCUMENT')];
  assert.equal((await post(a.accessToken, 'document', photo)).statusCode, 422);
  assert.equal((await advice(a.accessToken)).body.advice, 'NO_DOCUMENT');
  assert.deepEqual((await advice(b.accessToken)).body, { refusedWith: null, advice: null });
  const anonymous = await svc.app.inject({ url: '/web-enrolment/api/document-advice' });
  assert.equal(anonymous.statusCode, 401);
  const basic = await svc.app.inject({ url: '/web-enrolment/api/document-advice', headers: { authorization: t.basic } });
  assert.equal(basic.statusCode, 401);
});
