/**
 * Serving the web UI (Fastify inject, real SQLite, fixed clock): the page's security headers and
 * config, the assets, and the handoff credential's rules (single use, short life, bound to its
 * session, never the integrator's token).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { PageConfig } from '../../src/shared/embed.js';
import { createTestTenant, openSession, startTestService, type TestService, type TestTenant } from '../helpers/service.js';

let svc: TestService;
let framed: TestTenant;
let plain: TestTenant;
before(async () => {
  svc = await startTestService();
  framed = await createTestTenant(svc.store, { allowedFrameOrigins: ['https://shop.example.com', 'https://app.example.com:8443'] });
  plain = await createTestTenant(svc.store, {}, 'Plain');
});
after(async () => {
  await svc?.close();
});

function configOf(html: string): PageConfig {
  const m = /<script type="application\/json" id="enrolment-config">([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'config element present');
  return JSON.parse(m[1]!) as PageConfig;
}

test('page: strict CSP, frame-ancestors from the tenant, camera permissions policy, no caching, no referrer', async () => {
  const s = await openSession(svc.app, framed);
  const res = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&iframe=true&lang=de-DE` });
  assert.equal(res.statusCode, 200);
  const csp = String(res.headers['content-security-policy']);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /style-src 'self'/);
  assert.match(csp, /frame-ancestors https:\/\/shop\.example\.com https:\/\/app\.example\.com:8443(;|$)/);
  assert.equal(res.headers['x-frame-options'], undefined, 'framing is governed by frame-ancestors');
  assert.match(String(res.headers['permissions-policy']), /camera=\(self\)/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.doesNotMatch(res.body, /<script>|<script type="module">[^<]|\son\w+=|style=/, 'no inline script, handler or style');
  assert.match(res.body, /<html lang="de-DE" dir="ltr">/);
  const cfg = configOf(res.body);
  assert.deepEqual(
    { role: cfg.role, error: cfg.error, iframe: cfg.iframe, crossDevice: cfg.crossDevice, onlyMobile: cfg.onlyMobile, lang: cfg.lang, parentOrigins: cfg.parentOrigins },
    { role: 'primary', error: null, iframe: true, crossDevice: true, onlyMobile: false, lang: 'de-DE', parentOrigins: ['https://shop.example.com', 'https://app.example.com:8443'] },
  );
  assert.deepEqual(cfg.session, { sessionId: s.sessionId, status: 'CREATED', steps: ['document', 'face'], stepsRemaining: ['document', 'face'], nextDocumentPage: 'FRONT' });
});

test('page: a tenant without iframe origins cannot be framed; bad token → the SESSION_UNAUTHORIZED page; ar-SA is rtl', async () => {
  const s = await openSession(svc.app, plain);
  const res = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&lang=ar-SA` });
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.match(res.body, /<html lang="ar-SA" dir="rtl">/);
  const bad = await svc.app.inject({ url: `/web-enrolment/?token=not.a.jwt` });
  assert.equal(bad.statusCode, 200);
  assert.match(bad.body, /data-code="SESSION_UNAUTHORIZED"/);
  // crossDevice/onlyMobile only in iframe mode (the spec).
  const noFrame = configOf((await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&crossDevice=false&onlyMobile=true` })).body);
  assert.equal(noFrame.crossDevice, true);
  assert.equal(noFrame.onlyMobile, false);
});

test('config JSON cannot break out of its element', async () => {
  const res = await svc.app.inject({ url: `/web-enrolment/?token=${encodeURIComponent('</script><script>alert(1)</script>')}` });
  assert.equal((res.body.match(/<\/script>/g) ?? []).length, 1, 'only the real script element closes');
  assert.ok(!res.body.includes('alert(1)'), 'an untrusted token is never echoed');
  // A trusted page's config with hostile text from the URL (lang is echoed only when valid; the token is ours).
  const s = await openSession(svc.app, framed);
  const ok = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&lang=${encodeURIComponent('</script><script>alert(1)</script>')}` });
  assert.equal((ok.body.match(/<\/script>/g) ?? []).length, 2, 'only the two real script elements close');
});

test('assets: hashed names, long cache; unknown name → 404 NOT_FOUND', async () => {
  const page = await svc.app.inject({ url: `/web-enrolment/?token=${(await openSession(svc.app, framed)).accessToken}` });
  const js = /src="\/web-enrolment\/assets\/(app\.[0-9a-f]{12}\.js)"/.exec(page.body)?.[1];
  const css = /href="\/web-enrolment\/assets\/(app\.[0-9a-f]{12}\.css)"/.exec(page.body)?.[1];
  assert.ok(js && css);
  const r = await svc.app.inject({ url: `/web-enrolment/assets/${js}` });
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /text\/javascript/);
  assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
  const missing = await svc.app.inject({ url: '/web-enrolment/assets/nope.js' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error, 'NOT_FOUND');
});

async function createHandoff(token: string) {
  const res = await svc.app.inject({ method: 'POST', url: '/web-enrolment/api/handoff?lang=en-US', headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { handoffId: string; url: string; qrSvg: string; lifetimeMinutes: number };
}

function redeem(code: string) {
  return svc.app.inject({ method: 'POST', url: '/web-enrolment/api/handoff/redeem', payload: { code } });
}
const codeOf = (url: string) => new URL(url).pathname.split('/').pop()!;

test('handoff: GET of the link uses nothing up; the POST exchange is single use and gives the phone its own token', async () => {
  const s = await openSession(svc.app, framed);
  const h = await createHandoff(s.accessToken);
  assert.equal(h.lifetimeMinutes, 10);
  assert.match(h.qrSvg, /^<svg/);
  const path = new URL(h.url).pathname + new URL(h.url).search;
  // A link previewer fetching the URL twice: the page carries the code, no token, and the link stays usable.
  for (let i = 0; i < 2; i++) {
    const page = await svc.app.inject({ url: path });
    const cfg = configOf(page.body);
    assert.deepEqual({ role: cfg.role, token: cfg.token, error: cfg.error, handoffCode: cfg.handoffCode, lang: cfg.lang }, { role: 'phone', token: null, error: null, handoffCode: codeOf(h.url).replace(/-/g, ''), lang: 'en-US' });
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
  }
  const first = await redeem(codeOf(h.url));
  assert.equal(first.statusCode, 200);
  const body = first.json() as { token: string; session: { sessionId: string } };
  assert.ok(body.token && body.token !== s.accessToken);
  assert.equal(body.session.sessionId, s.sessionId);
  const viaPhone = await svc.app.inject({ url: '/web-enrolment/api/session', headers: { authorization: `Bearer ${body.token}` } });
  assert.equal(viaPhone.statusCode, 200);
  assert.equal(viaPhone.json().sessionId, s.sessionId);
  const second = await redeem(codeOf(h.url));
  assert.equal(second.statusCode, 404);
  assert.equal(second.json().error, 'NOT_FOUND');
  const status = await svc.app.inject({ url: `/web-enrolment/api/handoff/${h.handoffId}`, headers: { authorization: `Bearer ${s.accessToken}` } });
  assert.equal(status.json().state, 'OPENED');
  assert.equal(status.json().customerReturnUrl, null);
});

test('handoff: expires after 10 minutes; another session cannot read it; no token → 401; bad codes refused', async () => {
  const s = await openSession(svc.app, framed);
  const other = await openSession(svc.app, framed);
  const h = await createHandoff(s.accessToken);
  const foreign = await svc.app.inject({ url: `/web-enrolment/api/handoff/${h.handoffId}`, headers: { authorization: `Bearer ${other.accessToken}` } });
  assert.equal(foreign.statusCode, 404);
  const anon = await svc.app.inject({ method: 'POST', url: '/web-enrolment/api/handoff' });
  assert.equal(anon.statusCode, 401);
  assert.equal(anon.json().error, 'SESSION_UNAUTHORIZED');
  svc.clock.now += 10 * 60 * 1000 + 1;
  const status = await svc.app.inject({ url: `/web-enrolment/api/handoff/${h.handoffId}`, headers: { authorization: `Bearer ${s.accessToken}` } });
  assert.equal(status.json().state, 'EXPIRED');
  assert.equal((await redeem(codeOf(h.url))).statusCode, 404);
  // Malformed codes: the page says so at once; the exchange refuses without a lookup.
  assert.equal(configOf((await svc.app.inject({ url: '/web-enrolment/m/%3Cx%3E' })).body).error, 'HANDOFF_INVALID');
  assert.equal((await redeem('<x>')).statusCode, 404);
  assert.equal((await svc.app.inject({ method: 'POST', url: '/web-enrolment/api/handoff/redeem', payload: { code: 'x'.repeat(100) } })).statusCode, 400);
});

test('untrusted token (missing, garbage, expired, disabled tenant): the data-free page any parent may frame, posting only the constant event', async () => {
  const expired = await openSession(svc.app, framed);
  const ofDisabled = await createTestTenant(svc.store, { allowedFrameOrigins: ['https://gone.example'] }, 'Gone');
  const disabledSession = await openSession(svc.app, ofDisabled);
  await svc.store.tenants.disable(ofDisabled.tenant.id, svc.clock.now);
  const saved = svc.clock.now;
  svc.clock.now += 2 * 3600 * 1000;
  try {
    const fresh = await openSession(svc.app, framed);
    const urls = {
      missing: '/web-enrolment/?iframe=true',
      garbage: '/web-enrolment/?token=not.a.jwt&iframe=true',
      forged: `/web-enrolment/?token=${expired.accessToken.split('.').slice(0, 2).join('.')}.AAAA&iframe=true`,
      expired: `/web-enrolment/?token=${expired.accessToken}&iframe=true&lang=de-DE`,
      disabledTenant: `/web-enrolment/?token=${disabledSession.accessToken}&iframe=true`,
    };
    for (const [why, url] of Object.entries(urls)) {
      const res = await svc.app.inject({ url, headers: { 'accept-language': 'fr-CA;q=0.5, sv-SE' } });
      assert.equal(res.statusCode, 200, why);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /(^|; )frame-ancestors \*(;|$)/, why);
      assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/, `${why}: one hashed inline script, no 'unsafe-inline'`);
      assert.doesNotMatch(csp, /unsafe/);
      assert.equal(res.headers['x-frame-options'], undefined, why);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(String(res.headers['permissions-policy']), /camera=\(\)/, `${why}: no camera for an error page`);
      assert.doesNotMatch(res.body, /enrolment-config/, `${why}: no page config`);
      for (const secret of [expired.accessToken, expired.sessionId, disabledSession.sessionId, framed.tenant.id, ofDisabled.tenant.id, 'shop.example.com', 'gone.example']) {
        assert.ok(!res.body.includes(secret), `${why}: the page carries no session data (${secret})`);
      }
      const script = /<script>([^<]*)<\/script>/.exec(res.body)![1]!;
      assert.ok(script.includes('postMessage({"hasCompleted":false,"hasError":true,"error":"SESSION_UNAUTHORIZED"},"*")'), script);
      const hash = createHash('sha256').update(script).digest('base64');
      assert.ok(csp.includes(`'sha256-${hash}'`), `${why}: the CSP allows exactly that script`);
      assert.match(res.body, /data-code="SESSION_UNAUTHORIZED"/);
      // The language: lang= first, else the browser's (Accept-Language by q), else English.
      assert.match(res.body, why === 'expired' ? /<html lang="de-DE"/ : /<html lang="sv-SE"/, why);
    }
    // Control: a valid token still gets the tenant's frame-ancestors, not *.
    const ok = await svc.app.inject({ url: `/web-enrolment/?token=${fresh.accessToken}&iframe=true` });
    assert.match(String(ok.headers['content-security-policy']), /frame-ancestors https:\/\/shop\.example\.com https:\/\/app\.example\.com:8443(;|$)/);
    assert.equal(configOf(ok.body).session?.sessionId, fresh.sessionId);
  } finally {
    svc.clock.now = saved;
  }
});

test('assets: precompressed brotli and gzip by Accept-Encoding, Vary, decode to the same bytes; pages not cached', async () => {
  const s = await openSession(svc.app, framed);
  const page = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}` });
  assert.equal(page.headers['cache-control'], 'no-store');
  const names = [...page.body.matchAll(/\/web-enrolment\/assets\/(app\.[0-9a-f]{12}\.(?:js|css))/g)].map((m) => m[1]!);
  assert.equal(names.length, 2);
  for (const name of names) {
    const plain = await svc.app.inject({ url: `/web-enrolment/assets/${name}` });
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: the plain bytes');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const raw = plain.rawPayload;
    const cases: Array<[string, string | undefined, (b: Buffer) => Buffer]> = [
      ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['br;q=0.5, gzip;q=0.9', 'gzip', gunzipSync],
      ['br;q=0, *', 'gzip', gunzipSync],
      ['*', 'br', brotliDecompressSync],
      ['identity', undefined, (b) => b],
      ['gzip;q=0, br;q=0', undefined, (b) => b],
    ];
    for (const [accept, coding, decode] of cases) {
      const r = await svc.app.inject({ url: `/web-enrolment/assets/${name}`, headers: { 'accept-encoding': accept } });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-encoding'], coding, `${name} for ${accept}`);
      assert.equal(r.headers.vary, 'Accept-Encoding');
      assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(r.headers['content-type']), name.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
      assert.equal(Number(r.headers['content-length']), r.rawPayload.length);
      if (coding) assert.ok(r.rawPayload.length < raw.length / 2, `${name} ${coding}: ${r.rawPayload.length} of ${raw.length} bytes`);
      assert.ok(decode(r.rawPayload).equals(raw), `${name} ${accept}: decodes to the served bytes`);
    }
  }
});
