/**
 * The whole redirect flow in Chromium with the REAL engines (no fakes): a landscape photo is
 * refused as a document (the page says what to change), the generated passport specimen is
 * accepted, the face is taken with the fake camera (a face photo from an MIT npm package), the
 * session completes and the browser lands on the returnUrl.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
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
