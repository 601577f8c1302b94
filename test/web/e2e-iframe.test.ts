/**
 * Browser tests of the iframe integration: the spec's example parent page on another origin
 * records what the page posts. Exact payloads and their origin; crossDevice=false; onlyMobile=true;
 * an iframe without allow="camera" (explained, upload offered); error events (an untrusted token:
 * the data-free page any parent may frame); a parent that is not on the tenant's list cannot frame
 * a session's page and receives nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { DESKTOP, startWebTest, type WebTestEnv } from './harness.js';
import { selfie } from '../helpers/face-images.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

const en = MESSAGES['en-US'];

async function openParent(page: Page, src: string, allow = 'camera', parentOrigin = env.parentOrigin) {
  await page.goto(`${parentOrigin}/embed?src=${encodeURIComponent(src)}&allow=${encodeURIComponent(allow)}`);
  return page.frameLocator('#f');
}

const received = (page: Page) => page.evaluate(() => (window as unknown as { received: unknown[] }).received);

async function waitForMessages(page: Page, n: number) {
  await page.waitForFunction((count) => (window as unknown as { received: unknown[] }).received.length >= count, n, { timeout: 15_000 });
  return received(page);
}

test('iframe flow: desktop stays on this device, captures, parent receives exactly {sessionId, hasCompleted: true, hasError: false} from our origin', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const frame = await openParent(page, `${s.webEnrolmentUrl}&iframe=true&lang=en-US`);
  await frame.locator('[data-screen="handoff"]').waitFor();
  await frame.locator('#continue-here').click();
  for (const step of ['DOCUMENT_FRONT', 'FACE']) {
    await frame.locator(`[data-screen="capture"][data-step="${step}"] #take-photo:enabled`).click();
  }
  await frame.locator('[data-screen="done"]').waitFor();
  const msgs = await waitForMessages(page, 1);
  assert.deepEqual(msgs, [{ origin: env.base, data: { sessionId: s.sessionId, hasCompleted: true, hasError: false } }]);
  // No redirect inside the iframe; the parent stays where it is.
  assert.equal(page.url().startsWith(`${env.parentOrigin}/embed`), true);
  assert.equal(await frame.locator('h1').textContent(), en['done.title']);
  // The page addressed its parent's origin (the browser reports it to the frame).
  const frameHandle = page.frames().find((f) => f.url().startsWith(env.base))!;
  assert.equal(await frameHandle.evaluate(() => location.ancestorOrigins[0]), env.parentOrigin);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await received(page)).length, 1, 'exactly one event');
  await ctx.close();
});

test('crossDevice=false skips the QR screen; onlyMobile=true removes "Continue on this device"', async () => {
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const s = await env.openSession();
  let frame = await openParent(page, `${s.webEnrolmentUrl}&iframe=true&crossDevice=false&lang=en-US`);
  await frame.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"]').waitFor();
  assert.equal(await frame.locator('[data-screen="handoff"]').count(), 0);

  const s2 = await env.openSession();
  frame = await openParent(page, `${s2.webEnrolmentUrl}&iframe=true&onlyMobile=true&lang=en-US`);
  await frame.locator('[data-screen="handoff"] #handoff-qr[src^="data:image/svg+xml"]').waitFor();
  assert.equal(await frame.locator('#continue-here').count(), 0);
  assert.match((await frame.locator('#handoff-link').textContent()) ?? '', /\/web-enrolment\/m\/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);

  // Without iframe=true, crossDevice=false has no effect (the spec: iframe only).
  const s3 = await env.openSession();
  await page.goto(`${s3.webEnrolmentUrl}&crossDevice=false&lang=en-US`);
  await page.locator('[data-screen="handoff"]').waitFor();
  await ctx.close();
});

test('iframe without allow="camera": the page explains it and the upload completes the flow', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const frame = await openParent(page, `${s.webEnrolmentUrl}&iframe=true&crossDevice=false&lang=en-US`, '');
  const photo = await selfie();
  for (const step of ['DOCUMENT_FRONT', 'FACE']) {
    await frame.locator(`[data-screen="capture"][data-step="${step}"] .problem[data-problem="blockedByFrame"]`).waitFor();
    assert.equal(await frame.locator('.problem .error-text').textContent(), en['camera.blockedByFrame']);
    assert.equal(await frame.locator('#use-phone').count(), 0, 'crossDevice=false: no hand-off offered');
    await frame.locator('#upload-input').setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
  }
  const msgs = await waitForMessages(page, 1);
  assert.deepEqual(msgs, [{ origin: env.base, data: { sessionId: s.sessionId, hasCompleted: true, hasError: false } }]);
  await ctx.close();
});

test('iframe without allow="camera" on a desktop: "Continue on your phone" leads to the QR screen', async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const frame = await openParent(page, `${s.webEnrolmentUrl}&iframe=true&lang=en-US`, '');
  await frame.locator('#continue-here').click();
  await frame.locator('.problem[data-problem="blockedByFrame"]').waitFor();
  await frame.locator('#use-phone').click();
  await frame.locator('[data-screen="handoff"] #handoff-qr[src^="data:"]').waitFor();
  await ctx.close();
});

test('an untrusted token (garbage, missing, expired) always answers, to any parent: only {hasCompleted: false, hasError: true, error: SESSION_UNAUTHORIZED}', async () => {
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const unauthorized = { origin: env.base, data: { hasCompleted: false, hasError: true, error: 'SESSION_UNAUTHORIZED' } };
  // A parent on an origin no tenant registered (the same parent server reached as 127.0.0.1).
  const stranger = env.parentOrigin.replace('localhost', '127.0.0.1');
  for (const src of [`${env.base}/web-enrolment/?token=garbage&iframe=true&lang=en-US`, `${env.base}/web-enrolment/?iframe=true&lang=de-DE`]) {
    const frame = await openParent(page, src, 'camera', stranger);
    await frame.locator('[data-screen="fatal"] #error-text[data-code="SESSION_UNAUTHORIZED"]').waitFor();
    assert.deepEqual(await waitForMessages(page, 1), [unauthorized]);
  }
  assert.equal(await page.frameLocator('#f').locator('h1').textContent(), MESSAGES['de-DE']['fatal.title']);
  const s = await env.openSession();
  env.clock.offsetMs = 2 * 3600 * 1000;
  try {
    const frame = await openParent(page, `${s.webEnrolmentUrl}&iframe=true&lang=en-US`);
    await frame.locator('[data-screen="fatal"]').waitFor();
    assert.equal(await frame.locator('#error-text').textContent(), en['errors.SESSION_UNAUTHORIZED']);
    assert.deepEqual(await waitForMessages(page, 1), [unauthorized], 'an expired token names no session either');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await received(page)).length, 1, 'exactly one event');
  } finally {
    env.clock.offsetMs = 0;
  }
  await ctx.close();
});

test('errors reach the parent: completed session → SESSION_ALREADY_COMPLETED', async () => {
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();

  const s2 = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const auth = { authorization: `Bearer ${s2.accessToken}`, 'content-type': 'application/json' };
  const img = (await selfie()).toString('base64');
  for (const path of ['document', 'face']) {
    await fetch(`${env.base}/api/v1/enrolment/${path}`, { method: 'POST', headers: auth, body: JSON.stringify({ imageBase: img }) });
  }
  assert.equal((await fetch(`${env.base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: auth.authorization } })).status, 200);
  const frame2 = await openParent(page, `${s2.webEnrolmentUrl}&iframe=true&lang=en-US`);
  await frame2.locator('[data-screen="fatal"]').waitFor();
  assert.deepEqual(await waitForMessages(page, 1), [
    { origin: env.base, data: { sessionId: s2.sessionId, hasCompleted: false, hasError: true, error: 'SESSION_ALREADY_COMPLETED' } },
  ]);
  await ctx.close();
});

test('a parent origin not on the tenant list cannot frame the page and receives nothing', async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  // Same parent server, reached as 127.0.0.1: another origin than the allowed http://localhost:<port>.
  const otherOrigin = env.parentOrigin.replace('localhost', '127.0.0.1');
  const blocked = new Promise<boolean>((resolve) => {
    page.on('console', (m) => { if (/frame-ancestors/.test(m.text())) resolve(true); });
    setTimeout(() => resolve(false), 5000);
  });
  await openParent(page, `${s.webEnrolmentUrl}&iframe=true&crossDevice=false&lang=en-US`, 'camera', otherOrigin);
  assert.equal(await blocked, true, 'Chromium reports the frame-ancestors violation');
  const frame = page.frames().find((f) => f.url().startsWith(env.base));
  const hasApp = frame ? await frame.evaluate(() => document.getElementById('app') !== null).catch(() => false) : false;
  assert.equal(hasApp, false);
  assert.deepEqual(await received(page), []);
  await ctx.close();
});
