/**
 * Browser tests (Chromium, fake camera) of the live light hint on the capture screens: the camera
 * shows the committed card photo darkened, or with a reflection, and the hint's sentence appears
 * under the preview and in the polite live region, while the photo can still be taken; the same
 * photo as taken gets no hint. On the face step, a dark selfie gets the TOO_DARK sentence.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { LIVE_CHECK_AGREE, LIVE_CHECK_INTERVAL_MS } from '../../src/web/live-light.js';
import { darkened, withGlare } from '../helpers/document-images.js';
import { selfie } from '../helpers/face-images.js';
import { PHONE, startWebTest } from './harness.js';

const card = readFileSync(new URL('../fixtures/documents/uto_id_front_photo_tilt.jpg', import.meta.url));
const en = MESSAGES['en-US'];
const de = MESSAGES['de-DE'];
/** Long enough for several measurements after the preview starts. */
const SETTLE_MS = 4 * LIVE_CHECK_AGREE * LIVE_CHECK_INTERVAL_MS;

async function documentCapture(camera: Buffer, lang = 'en-US') {
  const env = await startWebTest({ camera });
  const s = await env.openSession();
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] video').waitFor();
  await page.waitForFunction(() => (document.querySelector('#take-photo') as HTMLButtonElement | null)?.disabled === false, null, { timeout: 10_000 });
  return { env, page, cspErrors };
}

test('a dark room: the TOO_DARK sentence under the preview, announced politely; the photo can still be taken', async () => {
  const { env, page, cspErrors } = await documentCapture(await darkened(card));
  try {
    await page.waitForFunction((t) => document.getElementById('live-hint')?.textContent === t, en['advice.TOO_DARK'], { timeout: SETTLE_MS + 5000 });
    assert.ok(await page.locator('#live-hint').isVisible());
    await page.waitForFunction((t) => document.getElementById('live-polite')?.textContent === t, en['advice.TOO_DARK'], { timeout: 5000 });
    assert.equal(await page.locator('#take-photo').isEnabled(), true);
    // Under the preview, before the buttons.
    const order = await page.locator('[data-screen="capture"] > *').evaluateAll((els) => els.map((e) => e.id || e.className));
    assert.ok(order.indexOf('live-hint') > order.findIndex((c) => c.includes('stage')), order.join(' '));
    assert.deepEqual(cspErrors, []);
  } finally {
    await env.close();
  }
});

test('a reflection on the card: the GLARE sentence, in the page language (de-DE)', async () => {
  const { env, page } = await documentCapture(await withGlare(card), 'de-DE');
  try {
    await page.waitForFunction((t) => document.getElementById('live-hint')?.textContent === t, de['advice.GLARE'], { timeout: SETTLE_MS + 5000 });
    assert.ok(await page.locator('#live-hint').isVisible());
  } finally {
    await env.close();
  }
});

test('the card photo as taken: no hint; the hint goes with the preview when the photo is taken', async () => {
  const { env, page } = await documentCapture(card);
  try {
    await page.waitForTimeout(SETTLE_MS);
    assert.equal(await page.locator('#live-hint').isVisible(), false);
    assert.equal(await page.locator('#live-hint').textContent(), '');
    await page.locator('#take-photo').click();
    // The scripted engine accepts the page; the next step (the back, then the face) has no hint yet.
    await page.locator('[data-screen="capture"]:not([data-step="DOCUMENT_FRONT"])').waitFor();
    assert.equal(await page.locator('#live-hint').isVisible(), false);
  } finally {
    await env.close();
  }
});

test('a dark selfie: the TOO_DARK sentence on the face step too', async () => {
  const { env, page } = await documentCapture(await darkened(await selfie()));
  try {
    // The document step by upload (any decodable photo: the scripted engine accepts a one-sided page).
    await page.locator('[data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({ name: 'doc.jpg', mimeType: 'image/jpeg', buffer: card });
    await page.locator('[data-screen="capture"][data-step="FACE"] video').waitFor();
    await page.waitForFunction((t) => document.querySelector('[data-step="FACE"] #live-hint')?.textContent === t, en['advice.TOO_DARK'], { timeout: SETTLE_MS + 5000 });
    assert.equal(await page.locator('#take-photo').isEnabled(), true);
  } finally {
    await env.close();
  }
});
