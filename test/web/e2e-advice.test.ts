/**
 * Browser tests (Chromium, scripted engine fakes) of the capture advice on the retake screen: a
 * refused document photo whose engine result carries `details.captureAdvice` shows the advice's
 * sentence under the error text and announces both in the assertive live region; without an
 * advice, or after a refused face, the screen is as before.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DocumentResult } from '../../src/server/vision/contract.js';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { selfie } from '../helpers/face-images.js';
import { PHONE, startWebTest, type WebTestEnv } from './harness.js';

let env: WebTestEnv;
let photo: Buffer;
before(async () => {
  env = await startWebTest();
  photo = await selfie(); // any decodable photo: the scripted engines ignore the pixels
});
after(async () => {
  await env?.close();
});

const en = MESSAGES['en-US'];

function refused(error: NonNullable<DocumentResult['error']>, captureAdvice: unknown): Partial<DocumentResult> {
  return { error, type: null, country: null, pageSide: null, isTwoSideDocument: null, details: { captureAdvice, imageQuality: { meanLuma: 12 } } };
}

async function liveAssertive(page: import('playwright-core').Page, text: string) {
  await page.waitForFunction((t) => document.getElementById('live-assertive')?.textContent === t, text, { timeout: 5000 });
}

test('a refused document photo: the advice sentence under the error text, announced with it; retake then accepted', async () => {
  const s = await env.openSession();
  env.doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', 'GLARE'), { pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);

  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('[data-screen="retake"]').waitFor();
  assert.equal(await page.locator('#error-text').textContent(), en['errors.DOCUMENT_NOT_RECOGNIZED']);
  const advice = page.locator('#capture-advice[data-advice="GLARE"]');
  await advice.waitFor();
  assert.equal(await advice.textContent(), en['advice.GLARE']);
  assert.ok(await advice.isVisible());
  // Under the error text, before the button (after the refused photo and the side asked for).
  assert.deepEqual(
    await page.locator('[data-screen="retake"] [id]').evaluateAll((els) => els.map((e) => e.id)),
    ['title-retake', 'refused-photo', 'retake-side', 'error-text', 'capture-advice', 'retake'],
  );
  await liveAssertive(page, `${en['errors.DOCUMENT_NOT_RECOGNIZED']} ${en['advice.GLARE']}`);

  await page.locator('#retake').click();
  await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor();
  assert.deepEqual(cspErrors, []);
  await ctx.close();
});

test('every advice in de-DE and ar-SA, FACE_QUALITY_LOW included', async () => {
  for (const [locale, code, adv] of [
    ['de-DE', 'DOCUMENT_NOT_RECOGNIZED', 'TOO_DARK'],
    ['de-DE', 'FACE_QUALITY_LOW', 'BLURRY'],
    ['ar-SA', 'DOCUMENT_NOT_RECOGNIZED', 'TOO_FAR'],
    ['ar-SA', 'DOCUMENT_NOT_RECOGNIZED', 'NO_DOCUMENT'],
  ] as const) {
    const s = await env.openSession();
    env.doc.script = [refused(code, adv)];
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${s.webEnrolmentUrl}&lang=${locale}`);
    await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: photo });
    const advice = page.locator(`#capture-advice[data-advice="${adv}"]`);
    await advice.waitFor();
    assert.equal(await page.locator('#error-text').textContent(), MESSAGES[locale][`errors.${code}`]);
    assert.equal(await advice.textContent(), MESSAGES[locale][`advice.${adv}`]);
    await liveAssertive(page, `${MESSAGES[locale][`errors.${code}`]} ${MESSAGES[locale][`advice.${adv}`]}`);
    await ctx.close();
  }
});

test('no specific cause: the error text only, announced at once; a refused face asks for no advice', async () => {
  const s = await env.openSession();
  env.doc.script = [refused('DOCUMENT_NOT_RECOGNIZED', null), { pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = ['FACE_TOO_SMALL'];
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const adviceRequests: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/document-advice')) adviceRequests.push(r.url()); });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);

  await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('[data-screen="retake"]').waitFor();
  await liveAssertive(page, en['errors.DOCUMENT_NOT_RECOGNIZED']);
  assert.equal(adviceRequests.length, 1);
  assert.equal(await page.locator('#capture-advice').isVisible(), false);
  assert.equal(await page.locator('#capture-advice').textContent(), '');

  await page.locator('#retake').click();
  await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('[data-screen="capture"][data-step="FACE"] #take-photo:enabled').click();
  await page.locator('[data-screen="retake"] #error-text[data-code="FACE_TOO_SMALL"]').waitFor();
  await liveAssertive(page, en['errors.FACE_TOO_SMALL']);
  assert.equal(adviceRequests.length, 1, 'no advice request after a refused face');
  assert.equal(await page.locator('#capture-advice').isVisible(), false);
  await ctx.close();
});
