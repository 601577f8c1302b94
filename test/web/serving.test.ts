/**
 * Serving the web UI (Fastify inject, real SQLite, fixed clock): the page's security headers and
 * config, the assets, and the handoff credential's rules (single use, short life, bound to its
 * session, never the integrator's token).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

test('page: a tenant without iframe origins cannot be framed; bad token → SESSION_UNAUTHORIZED config; ar-SA is rtl', async () => {
  const s = await openSession(svc.app, plain);
  const res = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&lang=ar-SA` });
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.match(res.body, /<html lang="ar-SA" dir="rtl">/);
  const bad = await svc.app.inject({ url: `/web-enrolment/?token=not.a.jwt` });
  assert.equal(bad.statusCode, 200);
  const cfg = configOf(bad.body);
  assert.equal(cfg.error, 'SESSION_UNAUTHORIZED');
  assert.equal(cfg.token, null);
  assert.deepEqual(cfg.parentOrigins, []);
  assert.match(String(bad.headers['content-security-policy']), /frame-ancestors 'none'/);
  // crossDevice/onlyMobile only in iframe mode (the spec).
  const noFrame = configOf((await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}&crossDevice=false&onlyMobile=true` })).body);
  assert.equal(noFrame.crossDevice, true);
  assert.equal(noFrame.onlyMobile, false);
});

test('config JSON cannot break out of its element', async () => {
  const res = await svc.app.inject({ url: `/web-enrolment/?token=${encodeURIComponent('</script><script>alert(1)</script>')}` });
  assert.equal((res.body.match(/<\/script>/g) ?? []).length, 2, 'only the two real script elements close');
});

test('assets: hashed names, long cache; unknown name → 404 NOT_FOUND', async () => {
  const page = await svc.app.inject({ url: `/web-enrolment/?token=x` });
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

test('handoff: single use, phone gets its own token for the same session, desktop sees OPENED', async () => {
  const s = await openSession(svc.app, framed);
  const h = await createHandoff(s.accessToken);
  assert.equal(h.lifetimeMinutes, 10);
  assert.match(h.qrSvg, /^<svg/);
  const path = new URL(h.url).pathname + new URL(h.url).search;
  const first = configOf((await svc.app.inject({ url: path })).body);
  assert.equal(first.role, 'phone');
  assert.equal(first.error, null);
  assert.ok(first.token && first.token !== s.accessToken);
  assert.equal(first.session?.sessionId, s.sessionId);
  const viaPhone = await svc.app.inject({ url: '/web-enrolment/api/session', headers: { authorization: `Bearer ${first.token}` } });
  assert.equal(viaPhone.statusCode, 200);
  assert.equal(viaPhone.json().sessionId, s.sessionId);
  const second = configOf((await svc.app.inject({ url: path })).body);
  assert.equal(second.error, 'HANDOFF_INVALID');
  assert.equal(second.token, null);
  const status = await svc.app.inject({ url: `/web-enrolment/api/handoff/${h.handoffId}`, headers: { authorization: `Bearer ${s.accessToken}` } });
  assert.equal(status.json().state, 'OPENED');
  assert.equal(status.json().customerReturnUrl, null);
});

test('handoff: expires after 10 minutes; another session cannot read it; no token → 401', async () => {
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
  const late = configOf((await svc.app.inject({ url: new URL(h.url).pathname })).body);
  assert.equal(late.error, 'HANDOFF_INVALID');
  // Malformed codes are refused without a lookup.
  assert.equal(configOf((await svc.app.inject({ url: '/web-enrolment/m/%3Cx%3E' })).body).error, 'HANDOFF_INVALID');
});
