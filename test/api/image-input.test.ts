/** imageBase in every form, bad input, limits, readiness and overload: 4xx/503 with our codes, never 500. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';
import { createVisionQueue } from '../../src/server/session/vision-queue.js';

let svc: TestService;
let t: TestTenant;
let local: Server;
let localUrl: string;
before(async () => {
  svc = await startTestService({ env: { BODY_LIMIT_BYTES: String(2 * 1024 * 1024) } });
  t = await createTestTenant(svc.store);
  const png = await fakeFaceImage(null);
  local = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
  await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}/face.png`;
});
after(async () => {
  local.close();
  await svc.close();
});

async function face(imageBase: string) {
  const s = await openSession(svc.app, t);
  return postImage(svc.app, s.accessToken, 'face', imageBase);
}

describe('imageBase forms', () => {
  test('plain base64, data: prefix, line-wrapped and URL-safe base64 are accepted', async () => {
    const b64 = (await fakeFaceImage(null)).toString('base64');
    for (const form of [
      b64,
      `data:image/png;base64,${b64}`,
      `DATA:image/jpeg;BASE64,${b64}`,
      b64.replace(/(.{76})/g, '$1\r\n'),
      Buffer.from(b64, 'base64').toString('base64url'),
    ]) {
      const r = await face(form);
      assert.equal(r.statusCode, 200, form.slice(0, 40));
      assert.deepEqual(r.json(), { hasError: false });
    }
  });

  test('bad input gets a documented 4xx code', async () => {
    const cases: Array<[unknown, number, string]> = [
      ['', 400, 'IMAGE_MISSING'],
      ['   ', 400, 'IMAGE_MISSING'],
      ['@@@not base64@@@', 400, 'IMAGE_UNDECODABLE'],
      ['data:image/png,rawbytes', 400, 'IMAGE_UNDECODABLE'],
      [Buffer.from('just some text, not an image').toString('base64'), 400, 'IMAGE_UNDECODABLE'],
      ['ftp://example.com/a.png', 400, 'IMAGE_URL_FORBIDDEN'],
      ['file:///etc/passwd', 400, 'IMAGE_URL_FORBIDDEN'],
      [localUrl, 400, 'IMAGE_URL_FORBIDDEN'],
      ['http://169.254.169.254/latest/meta-data/', 400, 'IMAGE_URL_FORBIDDEN'],
      ['http://[::1]:80/x.png', 400, 'IMAGE_URL_FORBIDDEN'],
      ['http://user:pw@example.com/x.png', 400, 'IMAGE_URL_FORBIDDEN'],
      ['http://localhost/x.png', 400, 'IMAGE_URL_FORBIDDEN'],
    ];
    for (const [imageBase, status, code] of cases) {
      const r = await face(imageBase as string);
      assert.equal(r.statusCode, status, String(imageBase));
      assert.equal(r.json().error, code, String(imageBase));
    }
  });

  test('wrong body shapes: missing field, wrong type, not JSON, other media type, too large', async () => {
    const s = await openSession(svc.app, t);
    const auth = { authorization: `Bearer ${s.accessToken}` };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ payload: {} }, 400, 'REQUEST_INVALID'],
      [{ payload: { imageBase: { a: 1 } } }, 400, 'REQUEST_INVALID'],
      // Bodies validate without coercion: a number or a one-element array is not a string.
      [{ payload: { imageBase: 42 } }, 400, 'REQUEST_INVALID'],
      [{ payload: { imageBase: ['abc'] } }, 400, 'REQUEST_INVALID'],
      [{ payload: '{"imageBase": ', headers: { 'content-type': 'application/json' } }, 400, 'REQUEST_INVALID'],
      [{ payload: 'imageBase=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ payload: { imageBase: 'A'.repeat(3 * 1024 * 1024) } }, 413, 'BODY_TOO_LARGE'],
      [{ payload: '{"__proto__": {"x": 1}, "imageBase": "abc"}', headers: { 'content-type': 'application/json' } }, 400, 'REQUEST_INVALID'],
    ];
    for (const [c, status, code] of cases) {
      const r = await svc.app.inject({
        method: 'POST',
        url: '/api/v1/enrolment/face',
        ...c,
        headers: { ...auth, ...((c.headers as Record<string, string>) ?? {}) },
      } as never);
      assert.equal(r.statusCode, status, JSON.stringify(c).slice(0, 80));
      assert.equal(r.json().error, code, JSON.stringify(c).slice(0, 80));
    }
  });

  test('unknown routes are 404 NOT_FOUND in the same shape', async () => {
    const r = await svc.app.inject({ method: 'GET', url: '/api/v1/nope' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error, 'NOT_FOUND');
    assert.equal(r.json().hasError, true);
  });
});

describe('readiness and overload', () => {
  test('before the models load: /ready and captures answer 503 SERVICE_NOT_READY; /health 200', async () => {
    const cold = await startTestService({ engines: null });
    try {
      const tt = await createTestTenant(cold.store);
      assert.equal((await cold.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      const ready = await cold.app.inject({ method: 'GET', url: '/ready' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().error, 'SERVICE_NOT_READY');
      const s = await openSession(cold.app, tt);
      const r = await postImage(cold.app, s.accessToken, 'face', await fakeFaceImage(null));
      assert.equal(r.statusCode, 503);
      assert.equal(r.json().error, 'SERVICE_NOT_READY');
      const { FakeDocumentEngine, FakeFaceEngine } = await import('../helpers/fake-engines.js');
      cold.services.setEngines({ face: new FakeFaceEngine(), document: new FakeDocumentEngine() });
      assert.equal((await cold.app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
    } finally {
      await cold.close();
    }
  });

  test('the vision queue refuses with SERVICE_BUSY beyond its queue, runs at most `concurrency` at once', async () => {
    const q = createVisionQueue(1, 1);
    const releases: Array<() => void> = [];
    let active = 0;
    let maxActive = 0;
    const job = () =>
      q.run(async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => releases.push(r));
        active--;
      });
    const first = job();
    const second = job();
    await assert.rejects(job(), (e: { code?: string }) => e.code === 'SERVICE_BUSY');
    releases[0]!();
    await first;
    // The second job starts on a later event-loop turn; wait for it rather than for a fixed time.
    while (releases.length < 2) await new Promise((r) => setImmediate(r));
    releases[1]!();
    await second;
    assert.equal(maxActive, 1);
    assert.equal(q.running, 0);
  });
});
