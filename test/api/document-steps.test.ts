/** The document/face/complete state machine over HTTP: sides, retakes, WRONG_SIDE, steps, verdicts. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeDocumentImage, fakeFaceImage, type FakeDocumentPage } from '../helpers/fake-engines.js';

let svc: TestService;
let t: TestTenant;
before(async () => {
  svc = await startTestService();
  t = await createTestTenant(svc.store);
});
after(() => svc.close());

const ID_SVK = { type: 'IDENTITY_CARD', country: 'SVK', isTwoSideDocument: true } as const;
const page = (p: FakeDocumentPage) => fakeDocumentImage(p);
async function doc(token: string, p: FakeDocumentPage) {
  return postImage(svc.app, token, 'document', await page(p));
}
async function read(sessionId: string) {
  return (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${sessionId}`, headers: { authorization: t.basic } })).json();
}

describe('document sides', () => {
  test('a back first is WRONG_SIDE (422) and nothing is stored but the attempt', async () => {
    const s = await openSession(svc.app, t);
    const r = await doc(s.accessToken, { ...ID_SVK, pageSide: 'BACK' });
    assert.equal(r.statusCode, 422);
    assert.equal(r.json().error, 'WRONG_SIDE');
    const v = await read(s.sessionId);
    assert.equal(v.document, null);
    assert.equal(v.status, 'CREATED');
    assert.deepEqual(v.attempts.map((x: { error: string }) => x.error), ['WRONG_SIDE']);
  });

  test("another document's back (country or verified MRZ number differ) is WRONG_SIDE", async () => {
    const s = await openSession(svc.app, t);
    assert.equal((await doc(s.accessToken, { ...ID_SVK, pageSide: 'FRONT', documentNumber: 'AA1111111' })).statusCode, 200);
    for (const other of [
      { ...ID_SVK, country: 'CZE' },
      { ...ID_SVK, documentNumber: 'BB2222222' },
    ]) {
      const r = await doc(s.accessToken, { ...other, pageSide: 'BACK' });
      assert.equal(r.statusCode, 422);
      assert.equal(r.json().error, 'WRONG_SIDE');
    }
    assert.equal((await read(s.sessionId)).nextDocumentPage, 'BACK');
    const ok = await doc(s.accessToken, { ...ID_SVK, pageSide: 'BACK', documentNumber: 'AA1111111' });
    assert.equal(ok.statusCode, 200);
    assert.equal((await read(s.sessionId)).nextDocumentPage, null);
  });

  test('a front read without a country is completed by its back: the reply reports the document as known after each page', async () => {
    // German residence permit: the front names no state, the back's MRZ does (D → DEU).
    const s = await openSession(svc.app, t);
    const f = await doc(s.accessToken, { type: 'RESIDENCE_PERMIT', country: null, pageSide: 'FRONT', isTwoSideDocument: true });
    assert.deepEqual(f.json(), { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: null, type: 'RESIDENCE_PERMIT' });
    const b = await doc(s.accessToken, { type: 'RESIDENCE_PERMIT', country: 'DEU', pageSide: 'BACK', documentNumber: 'Y00013456' });
    assert.deepEqual(b.json(), { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'DEU', type: 'RESIDENCE_PERMIT' });
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
    assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
    const v = await read(s.sessionId);
    assert.equal(v.document.country, 'DEU');
    assert.equal(v.document.number.value, 'Y00013456');
    assert.equal(v.verification.status !== 'PENDING', true);
    // The type is read with other rules on each side: a back typed otherwise is no other document.
    const s2 = await openSession(svc.app, t);
    await doc(s2.accessToken, { ...ID_SVK, pageSide: 'FRONT' });
    assert.equal((await doc(s2.accessToken, { ...ID_SVK, type: 'DRIVING_LICENCE', pageSide: 'BACK' })).statusCode, 200);
  });

  test('a front carrying the MRZ and the portrait is accepted as FRONT even when the engine calls it BACK; its plain back then completes it', async () => {
    const s = await openSession(svc.app, t);
    const fra = { type: 'IDENTITY_CARD' as const, country: 'FRA', isTwoSideDocument: true };
    const f = await doc(s.accessToken, { ...fra, pageSide: 'BACK', documentNumber: '880692310285', portrait: true });
    assert.deepEqual(f.json(), { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: 'FRA', type: 'IDENTITY_CARD' });
    assert.equal((await read(s.sessionId)).nextDocumentPage, 'BACK');
    // Its back carries no MRZ and no portrait: the engine calls such a side a front.
    const b = await doc(s.accessToken, { ...fra, pageSide: 'FRONT', portrait: false });
    assert.equal(b.json().pageSide, 'BACK');
    const v = await read(s.sessionId);
    assert.equal(v.nextDocumentPage, null);
    assert.equal(v.document.front.pageSide, 'FRONT');
    assert.equal(v.document.back.pageSide, 'BACK');
  });

  test('a passport is one page: done after its front; a back afterwards is WRONG_SIDE', async () => {
    const s = await openSession(svc.app, t);
    const r = await doc(s.accessToken, { type: 'PASSPORT', country: 'DEU', pageSide: 'FRONT', isTwoSideDocument: false });
    assert.deepEqual(r.json(), { hasError: false, isTwoSideDocument: false, pageSide: 'FRONT', country: 'DEU', type: 'PASSPORT' });
    assert.equal((await doc(s.accessToken, { type: 'PASSPORT', country: 'DEU', pageSide: 'BACK', isTwoSideDocument: false })).json().error, 'WRONG_SIDE');
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
    assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
  });

  test('retakes replace: the same front keeps the back; a new document drops it; replaced images are deleted', async () => {
    const s = await openSession(svc.app, t);
    await doc(s.accessToken, { ...ID_SVK, pageSide: 'FRONT' });
    await doc(s.accessToken, { ...ID_SVK, pageSide: 'BACK' });
    let v = await read(s.sessionId);
    const firstFront = v.document.front.captureId;
    const back = v.document.back.captureId;

    assert.equal((await doc(s.accessToken, { ...ID_SVK, pageSide: 'FRONT' })).statusCode, 200);
    v = await read(s.sessionId);
    assert.notEqual(v.document.front.captureId, firstFront);
    assert.equal(v.document.back.captureId, back);
    assert.deepEqual(v.stepsRemaining, ['face']);
    const images = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images`, headers: { authorization: t.basic } })).json().images;
    assert.equal(images.length, 2, 'the replaced front image is gone');
    const old = v.attempts.find((x: { captureId: string }) => x.captureId === firstFront);
    assert.equal(old.imageId, null);

    // A different document's front: the back no longer belongs, the document step reopens.
    assert.equal((await doc(s.accessToken, { ...ID_SVK, country: 'AUT', pageSide: 'FRONT' })).statusCode, 200);
    v = await read(s.sessionId);
    assert.equal(v.document.back, null);
    assert.equal(v.nextDocumentPage, 'BACK');
    assert.deepEqual(v.stepsRemaining, ['document', 'face']);

    // Retake the back.
    await doc(s.accessToken, { ...ID_SVK, country: 'AUT', pageSide: 'BACK' });
    const b1 = (await read(s.sessionId)).document.back.captureId;
    await doc(s.accessToken, { ...ID_SVK, country: 'AUT', pageSide: 'BACK' });
    assert.notEqual((await read(s.sessionId)).document.back.captureId, b1);
  });

  test('engine verdicts are 422 with the engine code; the attempt is kept with its image (the newest 10 refused)', async () => {
    const s = await openSession(svc.app, t);
    // Attempts are ordered by time: the clock moves between them as a real one does (with one
    // frozen instant their order, and so which images are the oldest, would be the random ids').
    const tick = () => (svc.clock.now += 1000);
    for (const error of ['DOCUMENT_NOT_RECOGNIZED', 'FACE_QUALITY_LOW'] as const) {
      tick();
      const r = await doc(s.accessToken, { error });
      assert.equal(r.statusCode, 422);
      assert.equal(r.json().error, error);
    }
    for (const code of ['FACE_TOO_SMALL', 'TOO_MANY_FACES', 'FACE_ANGLE_TOO_LARGE', 'FACE_IS_OCCLUDED'] as const) {
      tick();
      const r = await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(code));
      assert.equal(r.statusCode, 422);
      assert.equal(r.json().error, code);
    }
    const v = await read(s.sessionId);
    assert.equal(v.attempts.length, 6);
    assert.ok(v.attempts.every((x: { accepted: boolean; imageId: string | null }) => !x.accepted && x.imageId !== null));
    assert.equal(v.status, 'CREATED');
    const refused = v.attempts[0];
    assert.equal((await svc.app.inject({ method: 'GET', url: refused.imageUrl, headers: { authorization: t.basic } })).statusCode, 200);
    // Storage stays bounded: only the newest MAX_REFUSED_IMAGES_KEPT refused images are kept.
    for (let i = 0; i < 6; i++) {
      tick();
      await doc(s.accessToken, { error: 'DOCUMENT_NOT_RECOGNIZED' });
    }
    const after = await read(s.sessionId);
    assert.equal(after.attempts.length, 12);
    assert.deepEqual(after.attempts.map((x: { imageId: string | null }) => x.imageId !== null), [false, false, ...new Array(10).fill(true)]);
    assert.equal((await svc.app.inject({ method: 'GET', url: refused.imageUrl, headers: { authorization: t.basic } })).json().error, 'IMAGE_NOT_FOUND');
  });
});

describe('face and complete', () => {
  test('face before the document; complete says MISSING until every step is done', async () => {
    const s = await openSession(svc.app, t);
    let r = await complete(svc.app, s.accessToken);
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().error, 'MISSING_DOCUMENT_AND_FACE');
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
    assert.equal((await complete(svc.app, s.accessToken)).json().error, 'MISSING_DOCUMENT_AND_FACE');
    await doc(s.accessToken, { ...ID_SVK, pageSide: 'FRONT' });
    assert.equal((await complete(svc.app, s.accessToken)).json().error, 'MISSING_DOCUMENT_AND_FACE', 'back still missing');
    await doc(s.accessToken, { ...ID_SVK, pageSide: 'BACK' });
    r = await complete(svc.app, s.accessToken);
    assert.equal(r.statusCode, 200);
  });

  test("a tenant's steps decide what complete needs (face only)", async () => {
    const faceOnly = await createTestTenant(svc.store, { steps: ['face'] }, 'FaceOnly');
    const s = await openSession(svc.app, faceOnly);
    assert.equal((await complete(svc.app, s.accessToken)).json().error, 'MISSING_DOCUMENT_AND_FACE');
    await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
    assert.deepEqual((await complete(svc.app, s.accessToken)).json(), { hasError: false, customerReturnUrl: 'https://shop.example.com/done' });
  });

  test('complete accepts an empty JSON body, no body, and any content', async () => {
    const faceOnly = await createTestTenant(svc.store, { steps: ['face'] }, 'F2');
    const s = await openSession(svc.app, faceOnly);
    const r = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/enrolment/complete',
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(r.statusCode, 409);
    assert.equal(r.json().error, 'MISSING_DOCUMENT_AND_FACE');
  });
});

describe('initialize', () => {
  test('returnUrl must be on the allowed origins; validation errors are 400 REQUEST_INVALID', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ returnUrl: 'https://evil.example.net/' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ returnUrl: 'https://shop.example.com.evil.net/' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ returnUrl: 'javascript:alert(1)' }, 400, 'RETURN_URL_NOT_ALLOWED'],
      [{ returnUrl: 'not a url' }, 400, 'REQUEST_INVALID'],
      [{}, 400, 'REQUEST_INVALID'],
      [{ returnUrl: 'https://shop.example.com/', externalId: 'x'.repeat(513) }, 400, 'REQUEST_INVALID'],
      [{ returnUrl: 'https://shop.example.com/', sessionId: 'not-a-uuid' }, 400, 'REQUEST_INVALID'],
      [{ returnUrl: 'https://shop.example.com/', applicantForm: { dateOfBirth: '31/12/1990' } }, 400, 'REQUEST_INVALID'],
    ];
    for (const [payload, status, code] of cases) {
      const r = await svc.app.inject({ method: 'POST', url: '/api/v1/enrolment/initialize', headers: { authorization: t.basic }, payload });
      assert.equal(r.statusCode, status, JSON.stringify(payload));
      assert.equal(r.json().error, code, JSON.stringify(payload));
    }
  });

  test('a client-made sessionId is used; the token carries sessionId, tenant, the session generation, nbf, exp (tenant lifetime)', async () => {
    const short = await createTestTenant(svc.store, { tokenLifetimeS: 600 }, 'Short');
    const id = crypto.randomUUID();
    const s = await openSession(svc.app, short, {
      sessionId: id,
      applicantForm: { firstName: 'Jana', lastName: 'Nováková', dateOfBirth: '1990-12-31' },
      skipIntegrityCheck: true,
    });
    assert.equal(s.sessionId, id);
    const [header, payload] = s.accessToken.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    assert.equal(header.alg, 'HS256');
    const nowS = Math.floor(svc.clock.now / 1000);
    const gen = (await svc.store.sessions.get(id))!.tokenGeneration;
    assert.deepEqual(payload, { sessionId: id, tenant: short.tenant.id, gen, iat: nowS, nbf: nowS, exp: nowS + 600 });
    const v = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: { authorization: short.basic } })).json();
    assert.deepEqual(v.applicantForm, { firstName: 'Jana', lastName: 'Nováková', dateOfBirth: '1990-12-31' });
    assert.equal(v.skipIntegrityCheck, true);
  });
});
