/**
 * Browser tests (Debian's Chromium, fake camera, scripted fake engines) of the retake screen and
 * the small capture defects: the refused photo as a thumbnail with the side asked for; the ways
 * out after WAYS_OUT_AFTER refusals in a row (another document, upload, phone); "Try the camera
 * again" that does not multiply buttons; `lang` as ISO 639-1 in any case; onlyMobile winning over
 * crossDevice=false; an expired QR code hidden.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { WAYS_OUT_AFTER } from '../../src/web/flow.js';
import { DESKTOP, PHONE, startWebTest, type WebTestEnv } from './harness.js';
import { selfie } from '../helpers/face-images.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

const en = MESSAGES['en-US'];
const refused = { error: 'DOCUMENT_NOT_RECOGNIZED', pageSide: null, type: null, country: null, isTwoSideDocument: null } as const;

test('retake: the refused photo, the side asked for; after 3 refusals the ways out (another document, upload), no phone on a phone', async () => {
  assert.equal(WAYS_OUT_AFTER, 3);
  const s = await env.openSession();
  env.doc.script = [refused, refused, refused, { pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  for (let i = 1; i <= WAYS_OUT_AFTER; i++) {
    await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
    await page.locator('[data-screen="retake"]').waitFor();
    // The thumbnail is the photo that was sent (a decoded image, not a broken one).
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#refused-photo');
      return !!img && img.complete && img.naturalWidth > 0;
    });
    assert.match((await page.locator('#refused-photo').getAttribute('src')) ?? '', /^blob:/);
    assert.equal(await page.locator('#refused-photo').getAttribute('alt'), en['retake.refusedPhoto']);
    assert.equal(await page.locator('#retake-side').getAttribute('data-step'), 'DOCUMENT_FRONT');
    assert.equal(await page.locator('#retake-side').textContent(), `Photo needed: ${en['step.DOCUMENT_FRONT']}`);
    assert.equal(await page.locator('#error-text').textContent(), en['errors.DOCUMENT_NOT_RECOGNIZED']);
    assert.equal(await page.locator('#ways-out').count(), i >= WAYS_OUT_AFTER ? 1 : 0, `ways out after refusal ${i}`);
    if (i < WAYS_OUT_AFTER) await page.locator('#retake').click();
  }
  assert.equal(await page.locator('#ways-out h2').textContent(), en['retake.waysOut']);
  assert.equal(await page.locator('#other-document').textContent(), en['retake.otherDocument']);
  assert.equal(await page.locator('#ways-out .upload span').textContent(), en['capture.upload']);
  assert.equal(await page.locator('#use-phone').count(), 0, 'no hand-off offered on a phone');

  // Another document: the front again, and the count starts over.
  await page.locator('#other-document').click();
  await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"]').waitFor();
  assert.equal(await page.locator('#ways-out').count(), 0);
  // Upload from the ways out: a file goes through the same check (here accepted) and the flow moves on.
  env.doc.script = [refused, refused, refused, { pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  for (let i = 1; i <= WAYS_OUT_AFTER; i++) {
    await page.locator('[data-screen="capture"] #take-photo:enabled').click();
    await page.locator('[data-screen="retake"]').waitFor();
    if (i < WAYS_OUT_AFTER) await page.locator('#retake').click();
  }
  const before = env.doc.calls;
  await page.locator('#ways-out #upload-input').setInputFiles({ name: 'card.jpg', mimeType: 'image/jpeg', buffer: await selfie() });
  await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor();
  assert.equal(env.doc.calls, before + 1);
  await ctx.close();
});

test('face refused 3 times on a desktop: the ways out offer the phone (no "another document"); it opens the QR screen', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = ['FACE_TOO_SMALL', 'FACE_TOO_SMALL', 'FACE_TOO_SMALL'];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('#continue-here').click();
  await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
  for (let i = 1; i <= WAYS_OUT_AFTER; i++) {
    await page.locator('[data-screen="capture"][data-step="FACE"] #take-photo:enabled').click();
    await page.locator('[data-screen="retake"]').waitFor();
    assert.equal(await page.locator('#retake-side').getAttribute('data-step'), 'FACE');
    if (i < WAYS_OUT_AFTER) await page.locator('#retake').click();
  }
  assert.equal(await page.locator('#other-document').count(), 0);
  await page.locator('#use-phone').click();
  await page.locator('[data-screen="handoff"] #handoff-qr[src^="data:"]').waitFor();
  await ctx.close();
});

test('"Try the camera again" after a denied permission: one retry button however often it fails, and the camera once allowed', async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    let calls = 0;
    navigator.mediaDevices.getUserMedia = (c) => (++calls <= 3 ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : real(c));
  });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  for (let i = 0; i < 2; i++) {
    await page.locator('.problem[data-problem="denied"]').waitFor();
    assert.equal(await page.locator('#camera-retry').count(), 1);
    assert.equal(await page.locator('.upload').count(), 1);
    await page.locator('#camera-retry').click();
  }
  await page.locator('.problem[data-problem="denied"]').waitFor();
  assert.equal(await page.locator('#camera-retry').count(), 1);
  assert.equal(await page.locator('button:visible').count(), 1, 'only the retry (the upload is a label)');
  await page.locator('#camera-retry').click();
  // The fourth try is allowed: the preview and "Take photo" come back, the retry goes.
  await page.locator('#take-photo:enabled').waitFor();
  assert.equal(await page.locator('#camera-retry').count(), 0);
  assert.equal(await page.locator('.problem[data-problem]').count(), 0);
  assert.equal(await page.locator('.upload span').textContent(), en['capture.upload']);
  await ctx.close();
});

test('lang: ISO 639-1 codes and any case (de, de-de, DE-DE, ja, jp, JP-jp, pt, fr-ca)', async () => {
  const ctx = await env.browser.newContext({ ...PHONE, locale: 'en-US' });
  const page = await ctx.newPage();
  const cases: [string, keyof typeof MESSAGES, string][] = [
    ['de', 'de-DE', 'de-DE'], ['de-de', 'de-DE', 'de-DE'], ['DE-DE', 'de-DE', 'de-DE'], ['ja', 'jp-JP', 'ja-JP'],
    ['jp', 'jp-JP', 'ja-JP'], ['JP-jp', 'jp-JP', 'ja-JP'], ['pt', 'pt-PT', 'pt-PT'], ['fr-ca', 'fr-CA', 'fr-CA'],
  ];
  const s = await env.openSession();
  for (const [lang, locale, htmlLang] of cases) {
    await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
    await page.locator('[data-screen="capture"]').waitFor();
    assert.equal(await page.locator('h1').textContent(), MESSAGES[locale]['capture.DOCUMENT_FRONT.title'], lang);
    assert.equal(await page.evaluate(() => document.documentElement.lang), htmlLang, lang);
  }
  await ctx.close();
});

test('iframe onlyMobile=true with crossDevice=false: the desktop only hands off (onlyMobile wins)', async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${env.parentOrigin}/embed?src=${encodeURIComponent(`${s.webEnrolmentUrl}&iframe=true&onlyMobile=true&crossDevice=false&lang=en-US`)}&allow=camera`);
  const frame = page.frameLocator('#f');
  await frame.locator('[data-screen="handoff"] #handoff-qr[src^="data:"]').waitFor();
  assert.equal(await frame.locator('#continue-here').count(), 0);
  assert.equal(await frame.locator('[data-screen="capture"]').count(), 0);
  await ctx.close();
});

test('an expired QR code is hidden, with its "expires in" text; a new code shows a fresh one', async () => {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('#handoff-qr[src^="data:"]').waitFor();
  const firstLink = await page.locator('#handoff-link').textContent();
  env.clock.offsetMs = 11 * 60 * 1000; // past the link's 10 minutes, within the token's hour
  try {
    await page.locator('#handoff-status', { hasText: en['handoff.expired'] }).waitFor();
    assert.equal(await page.locator('#handoff-qr').isVisible(), false);
    assert.equal(await page.locator('#handoff-link').isVisible(), false);
    assert.equal(await page.locator('text=expires in >> visible=true').count(), 0);
    await page.locator('#handoff-new').click();
    await page.locator('#handoff-qr[src^="data:"]').waitFor({ state: 'visible' });
    assert.notEqual(await page.locator('#handoff-link').textContent(), firstLink);
  } finally {
    env.clock.offsetMs = 0;
  }
  await ctx.close();
});
