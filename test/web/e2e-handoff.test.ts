/**
 * Cross-device in Chromium with two browser contexts: the desktop (in the integrator's iframe)
 * shows a QR code; we decode it from its pixels; the phone context opens that link (its own
 * single-use credential, not the integrator's token), captures with its camera; the desktop shows
 * the phone's progress and ends exactly as if it had captured: its parent receives hasCompleted.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { DESKTOP, PHONE, startWebTest, type WebTestEnv } from './harness.js';
import { decodeQr } from './qr.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

const en = MESSAGES['en-US'];

test('QR handoff: phone completes, desktop shows progress and posts hasCompleted to its parent; the link works once', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];

  const desktopCtx = await env.browser.newContext(DESKTOP);
  const desktop = await desktopCtx.newPage();
  await desktop.goto(`${env.parentOrigin}/embed?src=${encodeURIComponent(`${s.webEnrolmentUrl}&iframe=true&lang=en-US`)}&allow=camera`);
  const frame = desktop.frameLocator('#f');
  const qr = frame.locator('#handoff-qr[src^="data:image/svg+xml"]');
  await qr.waitFor();
  assert.equal(await frame.locator('#handoff-status').textContent(), en['handoff.waiting']);

  const [url] = await decodeQr(await qr.screenshot());
  assert.ok(url, 'the QR code decodes');
  assert.equal(url, await frame.locator('#handoff-link').textContent());
  assert.match(url, new RegExp(`^${env.base}/web-enrolment/m/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\\?lang=en-US$`));
  assert.ok(!url.includes(s.accessToken) && !url.includes('token='), "the phone link never carries the integrator's token");

  // A link previewer fetching the URL first does not use the link up.
  assert.equal((await fetch(url)).status, 200);
  const phoneCtx = await env.browser.newContext(PHONE);
  const phone = await phoneCtx.newPage();
  await phone.goto(url);
  await phone.locator('[data-screen="capture"]').waitFor();
  const phoneToken = await phone.evaluate(() => Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k))[0]);
  assert.ok(phoneToken && phoneToken !== s.accessToken, 'the phone has its own credential');

  await phone.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
  await phone.locator('[data-screen="capture"][data-step="FACE"]').waitFor();
  // Live progress on the desktop while the phone works.
  await frame.locator('#handoff-status', { hasText: 'Your phone has finished 1 of 2 steps.' }).waitFor({ timeout: 10_000 });
  await phone.locator('#take-photo:enabled').click();
  await phone.locator('[data-screen="done"]').waitFor();
  assert.equal(await phone.locator('[data-screen="done"] p').textContent(), en['handoff.phoneDone']);

  await desktop.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0, null, { timeout: 10_000 });
  assert.deepEqual(await desktop.evaluate(() => (window as unknown as { received: unknown[] }).received), [
    { origin: env.base, data: { sessionId: s.sessionId, hasCompleted: true, hasError: false } },
  ]);
  await frame.locator('[data-screen="done"]').waitFor();
  assert.equal((await env.store.sessions.get(s.sessionId))?.status, 'COMPLETED');

  // The link was single-use.
  const again = await phoneCtx.newPage();
  await again.goto(url);
  await again.locator('[data-screen="fatal"]').waitFor();
  assert.equal(await again.locator('#error-text').textContent(), en['handoff.linkInvalid']);
  await phoneCtx.close();
  await desktopCtx.close();
});

test('redirect mode: the phone (reloaded once) finishing sends the desktop to the returnUrl', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const desktopCtx = await env.browser.newContext(DESKTOP);
  const desktop = await desktopCtx.newPage();
  await desktop.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  const link = await desktop.locator('#handoff-link:not(:empty)');
  await link.waitFor();
  const url = (await link.textContent())!;
  const phoneCtx = await env.browser.newContext(PHONE);
  const phone = await phoneCtx.newPage();
  await phone.goto(url);
  await phone.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
  // A reload of the phone's tab continues (its own token is kept for the tab), though the link is used.
  await phone.reload();
  await phone.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
  await phone.locator('[data-step="FACE"] #take-photo:enabled').click();
  await phone.locator('[data-screen="done"]').waitFor();
  assert.notEqual(phone.url().startsWith(env.parentOrigin), true, 'the phone is not redirected');
  await desktop.waitForURL(`${env.parentOrigin}/return?from=enrolment`, { timeout: 15_000 });
  await phoneCtx.close();
  await desktopCtx.close();
});
