/**
 * Security cases over every route: tokens (missing, malformed, expired, not yet valid, forged,
 * alg none, other algorithms, deleted session), Basic auth, tenant isolation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';

let svc: TestService;
let a: TestTenant;
let b: TestTenant;
before(async () => {
  // These cases fail many credential checks from one address on purpose; the limit has its own tests.
  svc = await startTestService({ env: { AUTH_FAILURE_LIMIT: '0' } });
  a = await createTestTenant(svc.store, {}, 'A');
  b = await createTestTenant(svc.store, {}, 'B');
});
after(() => svc.close());

const BEARER_ROUTES = ['/api/v1/enrolment/document', '/api/v1/enrolment/face', '/api/v1/enrolment/complete'];

async function expectUnauthorized(authorization: string | undefined) {
  for (const url of BEARER_ROUTES) {
    const res = await svc.app.inject({
      method: 'POST',
      url,
      headers: authorization ? { authorization } : {},
      payload: url.endsWith('complete') ? undefined : { imageBase: (await fakeFaceImage(null)).toString('base64') },
    });
    assert.equal(res.statusCode, 401, `${url} with ${authorization}`);
    const body = res.json();
    assert.deepEqual({ ...body, requestId: '' }, {
      hasError: true,
      error: 'SESSION_UNAUTHORIZED',
      message: 'The access token is missing, invalid or expired.',
      requestId: '',
    });
  }
}

async function secret(): Promise<Uint8Array> {
  const s = await svc.store.settings.get('jwt_secret_hs256');
  return Buffer.from(s!, 'base64url');
}

describe('bearer token', () => {
  test('missing or malformed header', async () => {
    await expectUnauthorized(undefined);
    await expectUnauthorized('Bearer');
    await expectUnauthorized('Bearer not-a-jwt');
    await expectUnauthorized('Basic Zm9vOmJhcg==');
    await expectUnauthorized('Bearer a.b.c');
  });

  test('expired and not-yet-valid tokens (injected clock)', async () => {
    const s = await openSession(svc.app, a);
    const start = svc.clock.now;
    try {
      svc.clock.now = start + 3600_000 + 6_000; // lifetime 1 h + tolerance 5 s
      await expectUnauthorized(`Bearer ${s.accessToken}`);
      svc.clock.now = start - 10_000; // before nbf
      await expectUnauthorized(`Bearer ${s.accessToken}`);
      svc.clock.now = start + 3600_000 - 1_000; // still valid just before expiry
      const ok = await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
      assert.equal(ok.statusCode, 200);
    } finally {
      svc.clock.now = start;
    }
  });

  test('forged signature, alg none, other algorithm, missing claims', async () => {
    const s = await openSession(svc.app, a);
    const [h, p] = s.accessToken.split('.');
    await expectUnauthorized(`Bearer ${h}.${p}.${'A'.repeat(43)}`);
    const nowS = Math.floor(svc.clock.now / 1000);
    const gen = (await svc.store.sessions.get(s.sessionId))!.tokenGeneration!;
    const claims = { sessionId: s.sessionId, tenant: a.tenant.id, gen };
    const none = new UnsecuredJWT(claims).setNotBefore(nowS).setExpirationTime(nowS + 600).encode();
    await expectUnauthorized(`Bearer ${none}`);
    const otherKey = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowS).setExpirationTime(nowS + 600).sign(new Uint8Array(32).fill(7));
    await expectUnauthorized(`Bearer ${otherKey}`);
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setNotBefore(nowS).setExpirationTime(nowS + 600).sign(await secret());
    await expectUnauthorized(`Bearer ${hs512}`);
    const noExp = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowS).sign(await secret());
    await expectUnauthorized(`Bearer ${noExp}`);
    // Our key, valid claims, but a session of tenant A claimed for tenant B.
    // Our key, right claims but no (or another) token generation: a token of an earlier incarnation.
    for (const other of [{ sessionId: s.sessionId, tenant: a.tenant.id }, { ...claims, gen: 'other-generation' }]) {
      const t = await new SignJWT(other).setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowS).setExpirationTime(nowS + 600).sign(await secret());
      await expectUnauthorized(`Bearer ${t}`);
    }
    const crossTenant = await new SignJWT({ sessionId: s.sessionId, tenant: b.tenant.id, gen })
      .setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowS).setExpirationTime(nowS + 600).sign(await secret());
    await expectUnauthorized(`Bearer ${crossTenant}`);
    // Control: a token we sign the same way with the right claims is accepted (the test can fail).
    const good = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setNotBefore(nowS).setExpirationTime(nowS + 600).sign(await secret());
    assert.equal((await postImage(svc.app, good, 'face', await fakeFaceImage(null))).statusCode, 200);
  });

  test('a deleted session and a disabled tenant make the token useless', async () => {
    const s = await openSession(svc.app, a);
    const del = await svc.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: a.basic } });
    assert.equal(del.statusCode, 200);
    await expectUnauthorized(`Bearer ${s.accessToken}`);

    // The same client-made sessionId opened again: a new session, and the old token still refused.
    const id = crypto.randomUUID();
    const first = await openSession(svc.app, a, { sessionId: id });
    assert.equal((await svc.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${id}`, headers: { authorization: a.basic } })).statusCode, 200);
    const second = await openSession(svc.app, a, { sessionId: id });
    assert.equal(second.sessionId, id);
    await expectUnauthorized(`Bearer ${first.accessToken}`);
    assert.equal((await postImage(svc.app, second.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200, 'the new token works');

    const c = await createTestTenant(svc.store, {}, 'C');
    const sc = await openSession(svc.app, c);
    await svc.store.tenants.disable(c.tenant.id, Date.now());
    await expectUnauthorized(`Bearer ${sc.accessToken}`);
  });
});

describe('basic auth', () => {
  const BASIC_ROUTES: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string }> = [
    { method: 'POST', url: '/api/v1/enrolment/initialize' },
    { method: 'GET', url: '/api/v1/sessions' },
    { method: 'GET', url: '/api/v1/sessions/00000000-0000-4000-8000-000000000000' },
    { method: 'GET', url: '/api/v1/sessions/00000000-0000-4000-8000-000000000000/images' },
    { method: 'DELETE', url: '/api/v1/sessions/00000000-0000-4000-8000-000000000000' },
  ];

  test('missing, wrong password, unknown user, bearer instead → 401 TENANT_UNAUTHORIZED on every route', async () => {
    const headers = [
      undefined,
      `Basic ${Buffer.from(`${a.username}:wrong`).toString('base64')}`,
      `Basic ${Buffer.from(`nobody:${a.password}`).toString('base64')}`,
      `Basic ${Buffer.from(`${a.username}`).toString('base64')}`,
      `Bearer ${(await openSession(svc.app, a)).accessToken}`,
    ];
    for (const r of BASIC_ROUTES) {
      for (const authorization of headers) {
        const res = await svc.app.inject({ ...r, headers: authorization ? { authorization } : {}, payload: r.method === 'POST' ? { returnUrl: 'https://shop.example.com/' } : undefined });
        assert.equal(res.statusCode, 401, `${r.method} ${r.url} ${authorization}`);
        assert.equal(res.json().error, 'TENANT_UNAUTHORIZED');
        assert.match(String(res.headers['www-authenticate']), /^Basic /);
      }
    }
  });

  test('a disabled tenant cannot authenticate; a rotated password replaces the old one', async () => {
    const d = await createTestTenant(svc.store, {}, 'D');
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: d.basic } })).statusCode, 200);
    const { hashPassword } = await import('../../src/server/session/credentials.js');
    await svc.store.tenants.setPasswordHash(d.tenant.id, await hashPassword('new-password-123'));
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: d.basic } })).statusCode, 401);
    const fresh = `Basic ${Buffer.from(`${d.username}:new-password-123`).toString('base64')}`;
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: fresh } })).statusCode, 200);
    await svc.store.tenants.disable(d.tenant.id, Date.now());
    assert.equal((await svc.app.inject({ method: 'GET', url: '/api/v1/sessions', headers: { authorization: fresh } })).statusCode, 401);
  });
});

describe('tenant isolation', () => {
  test("another tenant's session is not found on every read-side route, and cannot be deleted", async () => {
    const s = await openSession(svc.app, a, { externalId: 'iso-1' });
    const img = await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
    assert.equal(img.statusCode, 200);
    const mine = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images`, headers: { authorization: a.basic } });
    const imageId = mine.json().images[0].imageId as string;
    for (const [method, url] of [
      ['GET', `/api/v1/sessions/${s.sessionId}`],
      ['GET', `/api/v1/sessions/${s.sessionId}/images`],
      ['GET', `/api/v1/sessions/${s.sessionId}/images/${imageId}`],
      ['DELETE', `/api/v1/sessions/${s.sessionId}`],
    ] as const) {
      const res = await svc.app.inject({ method, url, headers: { authorization: b.basic } });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json().error, 'SESSION_NOT_FOUND');
    }
    const list = await svc.app.inject({ method: 'GET', url: '/api/v1/sessions?externalId=iso-1', headers: { authorization: b.basic } });
    assert.deepEqual(list.json().sessions, []);
    // Still there for its owner.
    const own = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}/images/${imageId}`, headers: { authorization: a.basic } });
    assert.equal(own.statusCode, 200);
    assert.equal(own.headers['content-type'], 'image/png');
  });

  test('a client-made sessionId already used by another tenant is refused, not shared', async () => {
    const id = crypto.randomUUID();
    await openSession(svc.app, a, { sessionId: id });
    const res = await svc.app.inject({
      method: 'POST',
      url: '/api/v1/enrolment/initialize',
      headers: { authorization: b.basic },
      payload: { sessionId: id, returnUrl: 'https://shop.example.com/' },
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error, 'SESSION_ID_TAKEN');
  });
});

describe('response headers', () => {
  test('API answers are not cacheable, not frameable, and carry the request id', async () => {
    const res = await svc.app.inject({ method: 'POST', url: '/api/v1/enrolment/complete', headers: { 'x-request-id': 'trace-123' } });
    assert.equal(res.headers['x-request-id'], 'trace-123');
    assert.equal(res.json().requestId, 'trace-123');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    const weird = await svc.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id\u0000' } });
    assert.match(String(weird.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });
});

