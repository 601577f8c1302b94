/**
 * Browser tests of the redirect integration in Debian's Chromium with a fake camera: the whole
 * flow to the returnUrl (front, back, face with one refused photo and a retake), the file-upload
 * path, two languages (ar-SA right to left, de-DE), a reopened completed session, an expired token.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { DESKTOP, PHONE, startWebTest, type WebTestEnv } from './harness.js';
import { selfie } from '../helpers/face-images.js';
import { createTestTenant } from '../helpers/service.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

const en = MESSAGES['en-US'];

test('redirect flow: desktop chooses this device, front + back + face (one retake), lands on the returnUrl', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: true }, { pageSide: 'BACK', isTwoSideDocument: true }];
  env.face.script = ['FACE_TOO_SMALL', null];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);

  await page.locator('[data-screen="handoff"] h1').waitFor();
  assert.equal(await page.locator('h1').textContent(), en['handoff.title']);
  await page.locator('#continue-here').click();

  for (const step of ['DOCUMENT_FRONT', 'DOCUMENT_BACK', 'FACE'] as const) {
    await page.locator(`[data-screen="capture"][data-step="${step}"]`).waitFor();
    assert.equal(await page.locator('h1').textContent(), en[`capture.${step}.title`]);
    // Focus moves to the new screen's heading.
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
    await page.locator('#take-photo:enabled').click();
  }
  await page.locator('[data-screen="retake"]').waitFor();
  assert.equal(await page.locator('#error-text').getAttribute('data-code'), 'FACE_TOO_SMALL');
  assert.equal(await page.locator('#error-text').textContent(), en['errors.FACE_TOO_SMALL']);
  await page.locator('#retake').click();
  await page.locator('[data-screen="capture"][data-step="FACE"] #take-photo:enabled').click();

  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`);
  assert.equal(await page.locator('#returned').textContent(), 'returned');
  const stored = await env.store.sessions.get(s.sessionId);
  assert.equal(stored?.status, 'COMPLETED');
  assert.equal(env.doc.calls, 2);
  assert.equal(env.face.calls, 2);
  assert.deepEqual(cspErrors, []);
  await ctx.close();
});

test('phone without camera access: the upload fallback completes the flow', async () => {
  env.doc.calls = 0;
  env.face.calls = 0;
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const ctx = await env.browser.newContext({ ...PHONE, permissions: [] });
  const page = await ctx.newPage();
  // No getUserMedia at all, as in an in-app browser / WebView without camera.
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true });
  });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  const photo = await selfie();
  for (const step of ['DOCUMENT_FRONT', 'FACE']) {
    await page.locator(`[data-screen="capture"][data-step="${step}"] .problem[data-problem="notFound"]`).waitFor();
    assert.equal(await page.locator('.problem .error-text').textContent(), en['camera.notFound']);
    await page.locator('#upload-input').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  }
  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`);
  assert.equal((await env.store.sessions.get(s.sessionId))?.status, 'COMPLETED');
  assert.equal(env.doc.calls, 1);
  assert.equal(env.face.calls, 1);
  await ctx.close();
});

test('ar-SA is laid out right to left and translated; de-DE is German', async () => {
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const s = await env.openSession();
  await page.goto(`${s.webEnrolmentUrl}&lang=ar-SA`);
  await page.locator('[data-screen="capture"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar-SA');
  assert.equal(await page.locator('h1').textContent(), MESSAGES['ar-SA']['capture.DOCUMENT_FRONT.title']);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('main')!).direction), 'rtl');

  const s2 = await env.openSession();
  await page.goto(`${s2.webEnrolmentUrl}&lang=de-DE`);
  await page.locator('[data-screen="capture"]').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  assert.equal(await page.locator('h1').textContent(), MESSAGES['de-DE']['capture.DOCUMENT_FRONT.title']);
  assert.equal(await page.locator('#take-photo').textContent(), MESSAGES['de-DE']['capture.take']);
  await ctx.close();
});

test('without lang the browser language picks (fr-CA browser → fr-CA), else English', async () => {
  const s = await env.openSession();
  const fr = await env.browser.newContext({ ...PHONE, locale: 'fr-CA' });
  const p1 = await fr.newPage();
  await p1.goto(s.webEnrolmentUrl);
  await p1.locator('[data-screen="capture"]').waitFor();
  assert.equal(await p1.locator('h1').textContent(), MESSAGES['fr-CA']['capture.DOCUMENT_FRONT.title']);
  await fr.close();
  const xx = await env.browser.newContext({ ...PHONE, locale: 'ko-KR' });
  const p2 = await xx.newPage();
  await p2.goto(s.webEnrolmentUrl);
  await p2.locator('[data-screen="capture"]').waitFor();
  assert.equal(await p2.locator('h1').textContent(), en['capture.DOCUMENT_FRONT.title']);
  await xx.close();
});

test('reopening a completed session says it is done, with a button back to the returnUrl', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const auth = { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' };
  const img = (await selfie()).toString('base64');
  for (const path of ['document', 'face']) {
    const r = await fetch(`${env.base}/api/v1/enrolment/${path}`, { method: 'POST', headers: auth, body: JSON.stringify({ imageBase: img }) });
    assert.equal(r.status, 200);
  }
  assert.equal((await fetch(`${env.base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: auth.authorization } })).status, 200);
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('[data-screen="fatal"]').waitFor();
  assert.equal(await page.locator('#error-text').getAttribute('data-code'), 'SESSION_ALREADY_COMPLETED');
  assert.equal(await page.locator('h1').textContent(), en['completed.title']);
  assert.equal(await page.locator('#error-text').textContent(), en['completed.body']);
  assert.equal(await page.locator('#back-to-site').textContent(), en['fatal.back']);
  await page.locator('#back-to-site').click();
  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`);
  await ctx.close();
});

test('an expired token shows SESSION_UNAUTHORIZED', async () => {
  const s = await env.openSession();
  env.clock.offsetMs = 2 * 3600 * 1000;
  try {
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
    await page.locator('[data-screen="fatal"]').waitFor();
    assert.equal(await page.locator('#error-text').getAttribute('data-code'), 'SESSION_UNAUTHORIZED');
    // The token is not trusted: the page learns no returnUrl, so no button back.
    assert.equal(await page.locator('#back-to-site').count(), 0);
    await ctx.close();
  } finally {
    env.clock.offsetMs = 0;
  }
});

test('camera permission denied: explained, with "Try the camera again" and the upload', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  // What browsers do when the applicant refuses the prompt: getUserMedia rejects with NotAllowedError.
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('.problem[data-problem="denied"]').waitFor();
  assert.equal(await page.locator('.problem .error-text').textContent(), en['camera.denied']);
  assert.equal(await page.locator('#camera-retry').textContent(), en['camera.retry']);
  await page.locator('#upload-input').setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: await selfie() });
  await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor();
  await ctx.close();
});

test("the tenant's steps: a face-only tenant goes straight to the face, Step 1 of 1", async () => {
  const faceOnly = await createTestTenant(env.store, {
    allowedReturnOrigins: [env.parentOrigin], allowedFrameOrigins: [env.parentOrigin], steps: ['face'],
  }, 'FaceOnly');
  const s = await env.openSession(faceOnly);
  env.face.script = [null];
  env.doc.calls = 0;
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor();
  assert.equal(await page.locator('.progress').textContent(), 'Step 1 of 1');
  await page.locator('#take-photo:enabled').click();
  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`);
  assert.equal(env.doc.calls, 0);
  await ctx.close();
});
