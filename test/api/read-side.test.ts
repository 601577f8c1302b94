/** The integrator's read side: list with filters and cursor paging, images, delete erases everything. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeDocumentImage, fakeFaceImage } from '../helpers/fake-engines.js';

let svc: TestService;
let t: TestTenant;
before(async () => {
  svc = await startTestService();
  t = await createTestTenant(svc.store);
});
after(() => svc.close());

const get = (url: string, auth = t.basic) => svc.app.inject({ method: 'GET', url, headers: { authorization: auth } });

describe('list', () => {
  test('newest first, filters, cursor paging covers every session exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      svc.clock.now += 1000;
      ids.push((await openSession(svc.app, t, { externalId: i < 3 ? 'batch-a' : 'batch-b' })).sessionId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/v1/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      seen.push(...body.sessions.map((x: { sessionId: string }) => x.sessionId));
      cursor = body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...ids].reverse());
    const a = (await get('/api/v1/sessions?externalId=batch-a')).json();
    assert.deepEqual(a.sessions.map((x: { sessionId: string }) => x.sessionId), ids.slice(0, 3).reverse());
    assert.deepEqual(Object.keys(a.sessions[0]).sort(), ['completedAt', 'createdAt', 'decision', 'externalId', 'sessionId', 'status', 'stepsRemaining', 'updatedAt', 'verificationStatus']);
    assert.equal((await get('/api/v1/sessions?status=COMPLETED')).json().sessions.length, 0);
  });

  test('bad query values are 400 REQUEST_INVALID', async () => {
    for (const q of ['status=DONE', 'limit=0', 'limit=101', 'cursor=%%%', 'cursor=bm9wZQ']) {
      const res = await get(`/api/v1/sessions?${q}`);
      assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
      assert.equal(res.json().error, 'REQUEST_INVALID', q);
    }
    const res = await get('/api/v1/sessions/not-a-uuid');
    assert.equal(res.statusCode, 400);
  });
});

describe('images and delete', () => {
  test('images are listed and served as received; DELETE erases rows and files; then 404', async () => {
    const s = await openSession(svc.app, t);
    const front = await fakeDocumentImage({ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT', country: 'CZE' });
    await postImage(svc.app, s.accessToken, 'document', front);
    const selfie = await fakeFaceImage(null);
    await postImage(svc.app, s.accessToken, 'face', selfie);
    const list = (await get(`/api/v1/sessions/${s.sessionId}/images`)).json();
    assert.equal(list.images.length, 2);
    const doc = list.images.find((i: { kind: string }) => i.kind === 'DOCUMENT');
    assert.equal(doc.pageSide, 'FRONT');
    assert.equal(doc.contentType, 'image/png');
    assert.equal(doc.bytes, front.length);
    const bytes = await get(`/api/v1/sessions/${s.sessionId}/images/${doc.imageId}`);
    assert.equal(bytes.statusCode, 200);
    assert.deepEqual(bytes.rawPayload, front);
    const missing = await get(`/api/v1/sessions/${s.sessionId}/images/${crypto.randomUUID()}`);
    assert.equal(missing.json().error, 'IMAGE_NOT_FOUND');

    const dir = join(svc.config.dataDir, 'images', s.sessionId);
    assert.equal(readdirSync(dir).length, 2);
    const del = await svc.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: t.basic } });
    assert.deepEqual(del.json(), { hasError: false });
    assert.equal(existsSync(dir), false);
    assert.deepEqual(await svc.store.sessions.listCaptures(s.sessionId), []);
    for (const url of [`/api/v1/sessions/${s.sessionId}`, `/api/v1/sessions/${s.sessionId}/images`, `/api/v1/sessions/${s.sessionId}/images/${doc.imageId}`]) {
      assert.equal((await get(url)).json().error, 'SESSION_NOT_FOUND');
    }
    const again = await svc.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: t.basic } });
    assert.equal(again.statusCode, 404);
  });
});

describe('operations', () => {
  test('/health, /ready and the OpenAPI document generated from the route schemas', async () => {
    assert.deepEqual((await svc.app.inject({ method: 'GET', url: '/health' })).json(), { hasError: false, status: 'ok' });
    assert.deepEqual((await svc.app.inject({ method: 'GET', url: '/ready' })).json(), { hasError: false, status: 'ready' });
    const doc = (await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    // Other parts' plugins add their own paths; the service's must all be there.
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/enrolment/complete',
      '/api/v1/enrolment/document',
      '/api/v1/enrolment/face',
      '/api/v1/enrolment/initialize',
      '/api/v1/sessions',
      '/api/v1/sessions/{sessionId}',
      '/api/v1/sessions/{sessionId}/images',
      '/api/v1/sessions/{sessionId}/images/{imageId}',
    ]) {
      assert.ok(paths.includes(p), p);
    }
    assert.ok(!paths.includes('/health'), 'hidden routes stay out');
    const docReply = doc.paths['/api/v1/enrolment/document'].post.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(docReply.properties).sort(), ['country', 'hasError', 'isTwoSideDocument', 'pageSide', 'type']);
    assert.equal(doc.paths['/api/v1/enrolment/face'].post.responses['4XX'].content['application/json'].schema.$ref, '#/components/schemas/ErrorBody');
    assert.deepEqual(doc.paths['/api/v1/enrolment/initialize'].post.security, [{ basic: [] }]);
    assert.ok(doc.paths['/api/v1/sessions'].get.parameters.some((p: { name: string; in: string }) => p.name === 'status' && p.in === 'query'));
  });
});
