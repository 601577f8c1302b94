/**
 * The attacks of issue #15 replayed as a table of route × attack (in the manner of the fastify and
 * unkey code bases' tables), on SQLite and on PostgreSQL: every case answers a 4xx with a catalogue
 * code — never a 500, never Fastify's own body — and the security headers, with and without
 * credentials. Then the cases a table of injected requests cannot show: Node's own parser limits
 * over a real socket, the spec's `complete` example as curl sends it, reject-before-reading, the
 * state checked before a download.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { ERRORS } from '../../src/shared/errors.js';
import { hashPassword } from '../../src/server/session/credentials.js';
import { operatorRepo } from '../../src/server/store/operators.js';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';
import { testOnlyAllowLoopback } from '../helpers/test-address-policy.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Ctx {
  tenant: TestTenant;
  token: string;
  sessionId: string;
  imageId: string;
  handoffId: string;
}

type Auth = 'basic' | 'bearer' | 'none' | 'cookie';
interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** `:id` is replaced by a real id of the right kind (or a NUL/overlong one by an attack). */
  url: string;
  auth: Auth;
  /** A valid JSON body for the route, if it takes one. */
  body?: (c: Ctx) => Record<string, unknown>;
  /** The query parameter an attack may poison. */
  query?: string;
}

const ROUTES: Route[] = [
  { method: 'POST', url: '/api/v1/enrolment/initialize', auth: 'basic', body: () => ({ returnUrl: 'https://shop.example.com/done', externalId: 'x' }) },
  { method: 'POST', url: '/api/v1/enrolment/document', auth: 'bearer', body: () => ({ imageBase: 'aGVsbG8=' }) },
  { method: 'POST', url: '/api/v1/enrolment/face', auth: 'bearer', body: () => ({ imageBase: 'aGVsbG8=' }) },
  { method: 'POST', url: '/api/v1/enrolment/complete', auth: 'bearer' },
  { method: 'GET', url: '/api/v1/sessions', auth: 'basic', query: 'externalId' },
  { method: 'GET', url: '/api/v1/sessions', auth: 'basic', query: 'cursor' },
  { method: 'GET', url: '/api/v1/sessions/:session', auth: 'basic' },
  { method: 'GET', url: '/api/v1/sessions/:session/images', auth: 'basic' },
  { method: 'GET', url: '/api/v1/sessions/:session/images/:image', auth: 'basic' },
  { method: 'DELETE', url: '/api/v1/sessions/:session', auth: 'basic' },
  { method: 'GET', url: '/web-enrolment/api/session', auth: 'bearer' },
  { method: 'GET', url: '/web-enrolment/api/document-advice', auth: 'bearer' },
  { method: 'POST', url: '/web-enrolment/api/handoff', auth: 'bearer', query: 'lang' },
  { method: 'GET', url: '/web-enrolment/api/handoff/:handoff', auth: 'bearer' },
  { method: 'POST', url: '/web-enrolment/api/handoff/redeem', auth: 'none', body: () => ({ code: 'ABCD-EFGH' }) },
  { method: 'GET', url: '/web-enrolment/', auth: 'none', query: 'token' },
  { method: 'GET', url: '/console/sessions', auth: 'cookie', query: 'cursor' },
  { method: 'GET', url: '/health', auth: 'none', query: 'x' },
];

interface Attack {
  name: string;
  /** Expected code (the status follows from the catalogue). */
  code: keyof typeof ERRORS | Array<keyof typeof ERRORS>;
  /** Sent with valid credentials (false: without any). */
  credentials: boolean;
  applies(r: Route): boolean;
  build(r: Route, c: Ctx, base: InjectOptions & { headers: Record<string, string> }): InjectOptions;
}

const withId = (url: string, c: Ctx, replace?: string) =>
  url.replace(':session', replace ?? c.sessionId).replace(':image', replace ?? c.imageId).replace(':handoff', replace ?? c.handoffId);
const hasParam = (r: Route) => r.url.includes(':');

const ATTACKS: Attack[] = [
  {
    name: 'NUL in the Basic user name, no valid credentials',
    code: 'REQUEST_INVALID',
    credentials: false,
    applies: (r) => r.auth === 'basic',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, authorization: `Basic ${b64('tn_a\u0000b:whatever')}` } }),
  },
  {
    name: 'Basic credentials that are not UTF-8',
    code: 'REQUEST_INVALID',
    credentials: false,
    applies: (r) => r.auth === 'basic',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, authorization: `Basic ${Buffer.from([0x74, 0xff, 0xfe, 0x3a, 0x78]).toString('base64')}` } }),
  },
  {
    name: 'NUL in a path parameter',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: hasParam,
    build: (r, c, base) => ({ ...base, url: withId(r.url, c, 'a%00b') }),
  },
  {
    name: 'a path parameter over 100 characters',
    code: 'URI_TOO_LONG',
    credentials: true,
    applies: hasParam,
    build: (r, c, base) => ({ ...base, url: withId(r.url, c, 'a'.repeat(300)) }),
  },
  {
    name: 'invalid percent-encoding in the path',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: hasParam,
    build: (r, c, base) => ({ ...base, url: withId(r.url, c, '%zz') }),
  },
  {
    name: 'NUL in the query',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.query !== undefined,
    build: (r, c, base) => ({ ...base, url: `${base.url}?${r.query}=a%00b` }),
  },
  {
    name: 'NUL in the query, no credentials',
    code: 'REQUEST_INVALID',
    credentials: false,
    applies: (r) => r.query !== undefined,
    build: (r, c, base) => ({ ...base, url: `${base.url}?${r.query}=a%00b` }),
  },
  {
    name: 'invalid UTF-8 in the query',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.query !== undefined,
    build: (r, c, base) => ({ ...base, url: `${base.url}?${r.query}=%ff%fe` }),
  },
  {
    name: 'NUL in a JSON string',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.body !== undefined,
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: JSON.stringify(Object.fromEntries(Object.entries(r.body!(c)).map(([k, v]) => [k, typeof v === 'string' ? `${v}\u0000` : v]))) }),
  },
  {
    name: 'a lone surrogate in a JSON string',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.body !== undefined,
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: JSON.stringify(r.body!(c)).replace(/":"/, '":"\\ud800') }),
  },
  {
    name: 'a body that is not UTF-8',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.body !== undefined,
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: Buffer.concat([Buffer.from(JSON.stringify(r.body!(c)).slice(0, -2)), Buffer.from([0xff, 0x22, 0x7d])]) }),
  },
  {
    name: 'an array where a string belongs (no coercion)',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.body !== undefined,
    build: (r, c, base) => ({ ...base, payload: Object.fromEntries(Object.entries(r.body!(c)).map(([k, v]) => [k, [v]])) }),
  },
  {
    name: 'a number where a string belongs (no coercion)',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.body !== undefined,
    build: (r, c, base) => ({ ...base, payload: Object.fromEntries(Object.entries(r.body!(c)).map(([k, v]) => [k, typeof v === 'string' ? 42 : v])) }),
  },
  {
    name: 'malformed JSON',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.method === 'POST',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: '{"a": ' }),
  },
  {
    name: 'prototype poisoning',
    code: 'REQUEST_INVALID',
    credentials: true,
    applies: (r) => r.method === 'POST',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' }),
  },
  {
    name: 'a text/plain body',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    credentials: true,
    applies: (r) => r.method === 'POST',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'text/plain' }, payload: JSON.stringify(r.body?.(c) ?? {}) }),
  },
  {
    name: 'a non-empty form body',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    credentials: true,
    applies: (r) => r.method === 'POST',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'imageBase=abc' }),
  },
  {
    name: 'a body over the route limit',
    code: 'BODY_TOO_LARGE',
    credentials: true,
    applies: (r) => r.method === 'POST',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ imageBase: 'A'.repeat(3 * 1024 * 1024) }) }),
  },
  {
    name: 'a forged or missing credential',
    code: ['TENANT_UNAUTHORIZED', 'SESSION_UNAUTHORIZED', 'OPERATOR_UNAUTHORIZED'],
    credentials: false,
    applies: (r) => r.auth !== 'none' && r.auth !== 'cookie',
    build: (r, c, base) => ({ ...base, headers: { ...base.headers, authorization: r.auth === 'basic' ? `Basic ${b64('tn_nobody:wrong')}` : 'Bearer a.b.c' } }),
  },
];

for (const postgres of [false, true]) {
  describe(`route × attack (${postgres ? 'PostgreSQL' : 'SQLite'})`, () => {
    let svc: TestService;
    let ctx: Ctx;
    let cookie: string;
    before(async () => {
      // 2 MiB captures so that the oversized case stays small; failures unlimited (the limits have their own tests).
      svc = await startTestService({ postgres, env: { AUTH_FAILURE_LIMIT: '0', BODY_LIMIT_BYTES: String(2 * 1024 * 1024) } });
      const tenant = await createTestTenant(svc.store);
      const s = await openSession(svc.app, tenant);
      assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
      const images = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images`, headers: { authorization: tenant.basic } })).json().images;
      const h = (await svc.app.inject({ method: 'POST', url: '/web-enrolment/api/handoff', headers: { authorization: `Bearer ${s.accessToken}` } })).json();
      ctx = { tenant, token: s.accessToken, sessionId: s.sessionId, imageId: images[0].imageId, handoffId: h.handoffId };
      await operatorRepo(svc.store.db).insert({ id: crypto.randomUUID(), tenantId: tenant.tenant.id, username: 'alice', passwordHash: await hashPassword('right-password'), disabledAt: null, createdAt: 0 });
      const login = await svc.app.inject({ method: 'POST', url: '/console/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=alice&password=right-password' });
      cookie = String(login.headers['set-cookie']).split(';')[0]!;
    });
    after(() => svc.close());

    test('every applicable case answers its catalogue code (never 5xx), in the catalogue shape, with the security headers', async () => {
      let cases = 0;
      const failures: string[] = [];
      for (const route of ROUTES) {
        for (const attack of ATTACKS.filter((a) => a.applies(route))) {
          const headers: Record<string, string> = {};
          if (attack.credentials) {
            if (route.auth === 'basic') headers.authorization = ctx.tenant.basic;
            if (route.auth === 'bearer') headers.authorization = `Bearer ${ctx.token}`;
            if (route.auth === 'cookie') headers.cookie = cookie;
          }
          const base = { method: route.method, url: withId(route.url, ctx), headers, ...(route.body ? { payload: route.body(ctx) } : {}) };
          const res = await svc.app.inject(attack.build(route, ctx, base));
          cases++;
          const label = `${route.method} ${route.url}${route.query ? `?${route.query}` : ''} × ${attack.name}`;
          let body: { hasError?: boolean; error?: string; requestId?: string } = {};
          try {
            body = res.json();
          } catch {
            failures.push(`${label}: ${res.statusCode} not JSON: ${res.body.slice(0, 80)}`);
            continue;
          }
          const expected = Array.isArray(attack.code) ? attack.code : [attack.code];
          const entry = body.error ? ERRORS[body.error as keyof typeof ERRORS] : undefined;
          if (res.statusCode >= 500 || !entry || entry.status !== res.statusCode || !expected.includes(body.error as never) || body.hasError !== true || !body.requestId) {
            failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 120)}`);
          } else if (res.headers['x-content-type-options'] !== 'nosniff' || res.headers['cache-control'] !== 'no-store' || res.headers['strict-transport-security'] !== 'max-age=31536000') {
            failures.push(`${label}: security headers missing`);
          }
        }
      }
      assert.deepEqual(failures, [], `${failures.length} of ${cases} cases`);
      assert.ok(cases >= 100, `${cases} cases`);
      // The session and its image are intact after the whole table (no attack changed state).
      assert.equal((await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${ctx.sessionId}`, headers: { authorization: ctx.tenant.basic } })).statusCode, 200);
    });

    test('the console sign-in form with a NUL answers REQUEST_INVALID; the stored values are untouched by wrong types', async () => {
      const r = await svc.app.inject({ method: 'POST', url: '/console/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=a%00b&password=x' });
      assert.equal(r.statusCode, 400);
      assert.equal(r.json().error, 'REQUEST_INVALID');
      for (const [field, value] of [['externalId', 42], ['skipIntegrityCheck', 'true'], ['applicantForm', { firstName: ['Jana'] }]] as const) {
        const res = await svc.app.inject({ method: 'POST', url: '/api/v1/enrolment/initialize', headers: { authorization: ctx.tenant.basic }, payload: { returnUrl: 'https://shop.example.com/done', [field]: value } });
        assert.equal(res.statusCode, 400, field);
        assert.equal(res.json().error, 'REQUEST_INVALID', field);
      }
    });
  });
}

describe('over a real socket', () => {
  let svc: TestService;
  let port: number;
  let hits = 0;
  let imageServer: http.Server;
  let imagePort: number;
  before(async () => {
    imageServer = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10));
    });
    await new Promise<void>((r) => imageServer.listen(0, '127.0.0.1', r));
    imagePort = (imageServer.address() as AddressInfo).port;
    svc = await startTestService({
      env: { BODY_LIMIT_BYTES: String(1024 * 1024), CAPTURE_BODY_BUDGET_BYTES: String(1024 * 1024) },
      serviceOptions: { downloader: { addressPolicy: testOnlyAllowLoopback } },
    });
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    port = (svc.app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await svc.close();
    await new Promise((r) => imageServer.close(r));
  });

  /** Sends raw bytes, returns the raw answer (until the server ends or 2 s pass). */
  const raw = (bytes: string | Buffer) =>
    new Promise<string>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      let out = '';
      sock.on('data', (c) => {
        out += c.toString();
        if (/\r\n\r\n/.test(out) && /content-length: (\d+)/i.test(out)) {
          const len = Number(/content-length: (\d+)/i.exec(out)![1]);
          if (Buffer.byteLength(out.split('\r\n\r\n').slice(1).join('\r\n\r\n')) >= len) sock.end();
        }
      });
      sock.on('close', () => resolve(out));
      sock.on('error', () => resolve(out));
      setTimeout(() => sock.destroy(), 2000);
      sock.write(bytes);
    });

  test("Node's parser limits answer in the catalogue shape with the security headers, echoing nothing", async () => {
    const big = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 431 /);
    assert.match(big, /"error":"HEADERS_TOO_LARGE"/);
    assert.match(big, /x-content-type-options: nosniff/i);
    const bad = await raw(`GET /api/v1/sessions/${'%3Cscript%3E'.repeat(20)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.match(bad, /^HTTP\/1\.1 414 /);
    assert.match(bad, /"error":"URI_TOO_LONG"/);
    assert.doesNotMatch(bad, /script/i, 'the path is not echoed');
    const garbage = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n`);
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    assert.match(garbage, /"error":"REQUEST_INVALID"/);
  });

  test("the spec's complete example (curl -X POST … -H 'Authorization: Bearer …' -d \"\") works as curl sends it", async () => {
    const t = await createTestTenant(svc.store, { steps: ['face'] });
    const s = await openSession(svc.app, t);
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
    // The bytes curl 7/8 sends for `curl -X POST <url> -H "accept: application/json" -H "Authorization: Bearer <t>" -d ""`.
    const answer = await raw(
      `POST /api/v1/enrolment/complete HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\naccept: application/json\r\n` +
        `Authorization: Bearer ${s.accessToken}\r\nContent-Length: 0\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n`,
    );
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /"customerReturnUrl":"https:\/\/shop\.example\.com\/done"/);
    // And with the real curl when the machine has one.
    const curl = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));
    if (curl) {
      const s2 = await openSession(svc.app, t);
      assert.equal((await postImage(svc.app, s2.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
      // Asynchronously: the server answering it runs in this process.
      const { stdout } = await promisify(execFile)(curl, ['-s', '--max-time', '10', '-X', 'POST', `http://127.0.0.1:${port}/api/v1/enrolment/complete`, '-H', 'accept: application/json', '-H', `Authorization: Bearer ${s2.accessToken}`, '-d', '']);
      assert.deepEqual(JSON.parse(stdout), { hasError: false, customerReturnUrl: 'https://shop.example.com/done' });
    }
  });

  test('a capture over the budget of bodies in flight is refused 503 with Retry-After before its body is sent', async () => {
    const t = await createTestTenant(svc.store);
    const s = await openSession(svc.app, t);
    // The first upload declares 1 MiB and sends a part: it holds the whole budget.
    const first = net.connect(port, '127.0.0.1');
    await new Promise((r) => first.once('connect', r));
    first.write(`POST /api/v1/enrolment/face HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.accessToken}\r\nContent-Type: application/json\r\nContent-Length: ${1024 * 1024 - 10}\r\n\r\n{"imageBase":"AAAA`);
    await new Promise((r) => setTimeout(r, 200));
    // The second sends only its headers: the answer comes without one byte of body.
    const second = await raw(`POST /api/v1/enrolment/face HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${s.accessToken}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    assert.match(second, /^HTTP\/1\.1 503 /);
    assert.match(second, /"error":"SERVICE_BUSY"/);
    assert.match(second, /retry-after: \d+/i);
    // An unauthenticated upload never takes a slot: 401, not 503.
    const anonymous = await raw(`POST /api/v1/enrolment/face HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
    assert.match(anonymous, /^HTTP\/1\.1 401 /);
    first.destroy();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(svc.services.captureAdmission.bytesInFlight, 0, 'the slot is released when the connection goes');
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
  });

  test('after complete, a URL imageBase is answered 409 without being downloaded', async () => {
    const t = await createTestTenant(svc.store, { steps: ['face'] });
    const s = await openSession(svc.app, t);
    assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
    assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
    hits = 0;
    for (const path of ['face', 'document'] as const) {
      const r = await postImage(svc.app, s.accessToken, path, `http://127.0.0.1:${imagePort}/x.png`);
      assert.equal(r.statusCode, 409);
      assert.equal(r.json().error, 'SESSION_ALREADY_COMPLETED');
    }
    assert.equal(hits, 0, 'nothing was downloaded');
    // Control: on an open session the same URL is fetched (the count can move).
    const open = await openSession(svc.app, t);
    await postImage(svc.app, open.accessToken, 'face', `http://127.0.0.1:${imagePort}/x.png`);
    assert.equal(hits, 1);
  });
});
