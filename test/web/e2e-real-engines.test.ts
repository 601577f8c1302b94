/**
 * Chromium with the REAL engines (no fakes), one server for the file:
 * - the whole redirect flow: a landscape photo is refused as a document (the page says what to
 *   change), the generated passport specimen is accepted, the face is taken with the fake camera
 *   (a face photo from an MIT npm package), the session completes and the browser lands on the
 *   returnUrl;
 * - the capture advice: a committed ID card photo blurred here with sharp (σ 6) is refused and the
 *   retake screen says to hold the camera steady, then the sharp photo is accepted; a landscape
 *   photo is refused and the screen says to put the document in the frame (de-DE).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';
import { createFaceEngine, loadFaceModels } from '../../src/server/vision/face/index.js';
import { PHONE, startWebTest, type WebTestEnv } from './harness.js';

let env: WebTestEnv;
before(async () => {
  const [faceModels, docDeps] = await Promise.all([loadFaceModels(), loadDocumentModels()]);
  env = await startWebTest({ engines: { face: createFaceEngine(faceModels), document: createDocumentEngine(docDeps) } });
});
after(async () => {
  await env?.close();
});

const fixture = (name: string) => readFile(new URL(`../fixtures/documents/${name}`, import.meta.url));

test('real engines: refused landscape, accepted passport, camera selfie, redirect to the returnUrl', { timeout: 180_000 }, async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);

  await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
  await page.locator('#upload-input').setInputFiles({ name: 'landscape.jpg', mimeType: 'image/jpeg', buffer: await fixture('not_document_landscape.jpg') });
  await page.locator('[data-screen="retake"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#error-text').getAttribute('data-code'), 'DOCUMENT_NOT_RECOGNIZED');
  assert.equal(await page.locator('#error-text').textContent(), MESSAGES['en-US']['errors.DOCUMENT_NOT_RECOGNIZED']);
  await page.locator('#retake').click();

  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: await fixture('uto_passport_scan.jpg') });
  await page.locator('[data-screen="capture"][data-step="FACE"] #take-photo:enabled').click({ timeout: 60_000 });
  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`, { timeout: 60_000 });

  const stored = await env.store.sessions.get(s.sessionId);
  assert.equal(stored?.status, 'COMPLETED');
  await ctx.close();
});

test('real engine: a blurred ID photo → "hold the camera steady"; the sharp one is accepted', { timeout: 180_000 }, async () => {
  const en = MESSAGES['en-US'];
  const s = await env.openSession();
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);

  const sharpPhoto = await fixture('uto_id_front_photo_tilt.jpg');
  // σ 6 at JPEG quality 80 is refused as BLURRY (at quality 90 σ 6 is still read).
  const blurred = await sharp(sharpPhoto).blur(6).jpeg({ quality: 80 }).toBuffer();
  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'blurred.jpg', mimeType: 'image/jpeg', buffer: blurred });
  await page.locator('[data-screen="retake"]').waitFor({ timeout: 90_000 });
  assert.equal(await page.locator('#error-text').getAttribute('data-code'), 'DOCUMENT_NOT_RECOGNIZED');
  const advice = page.locator('#capture-advice');
  await advice.locator('xpath=self::*[@data-advice]').waitFor({ timeout: 5000 });
  assert.equal(await advice.getAttribute('data-advice'), 'BLURRY');
  assert.equal(await advice.textContent(), en['advice.BLURRY']);
  await page.waitForFunction((t) => document.getElementById('live-assertive')?.textContent === t, `${en['errors.DOCUMENT_NOT_RECOGNIZED']} ${en['advice.BLURRY']}`);

  await page.locator('#retake').click();
  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'id.jpg', mimeType: 'image/jpeg', buffer: sharpPhoto });
  await page.locator('[data-screen="capture"]:not([data-step="DOCUMENT_FRONT"])').waitFor({ timeout: 90_000 });
  await ctx.close();
});

test('real engine: a landscape photo → "make sure the document is inside the frame" (de-DE)', { timeout: 180_000 }, async () => {
  const de = MESSAGES['de-DE'];
  const s = await env.openSession();
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=de-DE`);
  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'landscape.jpg', mimeType: 'image/jpeg', buffer: await fixture('not_document_landscape.jpg') });
  await page.locator('#capture-advice[data-advice]').waitFor({ timeout: 90_000 });
  assert.equal(await page.locator('#error-text').textContent(), de['errors.DOCUMENT_NOT_RECOGNIZED']);
  assert.equal(await page.locator('#capture-advice').getAttribute('data-advice'), 'NO_DOCUMENT');
  assert.equal(await page.locator('#capture-advice').textContent(), de['advice.NO_DOCUMENT']);
  await ctx.close();
});
