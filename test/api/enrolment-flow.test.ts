import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeDocumentImage, fakeFaceImage } from '../helpers/fake-engines.js';

const front = () => fakeDocumentImage({ pageSide: 'FRONT', isTwoSideDocument: true, type: 'IDENTITY_CARD', country: 'SVK' });
const back = () => fakeDocumentImage({ pageSide: 'BACK', isTwoSideDocument: true, type: 'IDENTITY_CARD', country: 'SVK', documentNumber: 'EA1234567' });

for (const postgres of [false, true]) describe(`initialize → document front → back → face → complete → read (${postgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let svc: TestService;
  let t: TestTenant;
  before(async () => {
    svc = await startTestService({ postgres });
    t = await createTestTenant(svc.store);
  });
  after(() => svc.close());

  test('happy path over HTTP with whole bodies asserted', async () => {
    const init = await openSession(svc.app, t, { externalId: 'order-42' });
    assert.match(init.sessionId, /^[0-9a-f-]{36}$/);
    assert.equal(init.webEnrolmentUrl, `https://idv.example.test/web-enrolment/?token=${init.accessToken}`);

    const f = await postImage(svc.app, init.accessToken, 'document', await front());
    assert.equal(f.statusCode, 200);
    assert.deepEqual(f.json(), { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: 'SVK', type: 'IDENTITY_CARD' });

    const early = await complete(svc.app, init.accessToken);
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error, 'MISSING_DOCUMENT_AND_FACE');

    const b = await postImage(svc.app, init.accessToken, 'document', await back());
    assert.deepEqual(b.json(), { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'SVK', type: 'IDENTITY_CARD' });

    const face = await postImage(svc.app, init.accessToken, 'face', await fakeFaceImage(null));
    assert.equal(face.statusCode, 200);
    assert.deepEqual(face.json(), { hasError: false });

    const done = await complete(svc.app, init.accessToken);
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json(), { hasError: false, customerReturnUrl: 'https://shop.example.com/done' });

    const again = await complete(svc.app, init.accessToken);
    assert.equal(again.statusCode, 409);
    const body = again.json();
    assert.deepEqual({ ...body, requestId: 'x' }, {
      hasError: true,
      error: 'SESSION_ALREADY_COMPLETED',
      message: 'The session has already been completed.',
      requestId: 'x',
    });
    assert.equal(body.requestId, again.headers['x-request-id']);

    for (const path of ['document', 'face'] as const) {
      const r = await postImage(svc.app, init.accessToken, path, await fakeFaceImage(null));
      assert.equal(r.statusCode, 409);
      assert.equal(r.json().error, 'SESSION_ALREADY_COMPLETED');
    }

    const read = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${init.sessionId}`, headers: { authorization: t.basic } });
    assert.equal(read.statusCode, 200);
    const view = read.json();
    assert.equal(view.status, 'COMPLETED');
    assert.equal(view.externalId, 'order-42');
    assert.deepEqual(view.stepsRemaining, []);
    assert.equal(view.document.type, 'IDENTITY_CARD');
    assert.deepEqual(view.document.number, { value: 'EA1234567', source: 'MRZ', page: 'BACK', confidence: 0.9 });
    assert.deepEqual(view.document.machineReadable, [{ page: 'BACK', kind: 'MRZ', format: 'TD1', valid: true }]);
    assert.equal(view.document.front.pageSide, 'FRONT');
    assert.equal(view.document.back.pageSide, 'BACK');
    assert.equal(view.document.front.imageUrl, `/api/v1/sessions/${init.sessionId}/images/${view.document.front.imageId}`);
    assert.equal(view.document.front.result, undefined, 'engine internals only with ?detail=full');
    assert.equal(view.face.result, undefined);
    assert.equal(view.completedAt, '2026-01-15T10:00:00.000Z');
    assert.equal(view.attempts.length, 3);
    const full = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${init.sessionId}?detail=full`, headers: { authorization: t.basic } })).json();
    assert.deepEqual(full.document.back.result.mrz.fields.documentNumber, 'EA1234567');
    assert.deepEqual(full.face.result.embedding, { redacted: true, length: 3 });
    assert.deepEqual(full.document.front.result.portraitEmbedding, { redacted: true, length: 3 });
    assert.equal((await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${init.sessionId}?detail=everything`, headers: { authorization: t.basic } })).json().error, 'REQUEST_INVALID');

    // The images come back byte for byte from this database's image store.
    const images = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${init.sessionId}/images`, headers: { authorization: t.basic } })).json().images;
    assert.equal(images.length, 3);
    const faceImage = images.find((i: { kind: string }) => i.kind === 'FACE');
    const bytes = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${init.sessionId}/images/${faceImage.imageId}`, headers: { authorization: t.basic } });
    assert.equal(bytes.rawPayload.length, faceImage.bytes);
    assert.equal(bytes.rawPayload.subarray(1, 4).toString('latin1'), 'PNG');
  });
});
