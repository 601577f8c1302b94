/**
 * Guided capture in Chromium with the fake camera (scripted fake engines): a still card in good
 * light is taken automatically after a moment (said first; "Take photo" stays enabled until then);
 * a moving picture gets "Hold the camera still" and is never taken by itself; a still, well-lit
 * empty surface gets "Place your document inside the frame" and is never taken by itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import sharp from 'sharp';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { PHONE, startWebTest } from './harness.js';
import { selfie } from '../helpers/face-images.js';

const en = MESSAGES['en-US'];
const card = readFileSync(new URL('../fixtures/documents/uto_id_front_photo_tilt.jpg', import.meta.url));

test('a still card in good light is captured automatically; the button stays', async () => {
  const env = await startWebTest({ camera: card });
  try {
    const s = await env.openSession();
    env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
    await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
    const calls = env.doc.calls;
    // No click: the page says it is taking the photo, then takes it.
    await page.locator('#guide-hint', { hasText: en['guide.autoCapture'] }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('#take-photo').isEnabled(), true, 'the button stays');
    await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor({ timeout: 10_000 });
    assert.equal(env.doc.calls, calls + 1);
    // The face step too (the fake camera's picture is still; no document is asked for there).
    env.face.script = ['FACE_TOO_SMALL'];
    await page.locator('[data-screen="retake"]').waitFor({ timeout: 10_000 });
    // One automatic photo per screen: the retake screen waits for the applicant.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(env.face.calls, 1);
    await ctx.close();
  } finally {
    await env.close();
  }
});

/**
 * Opens the document step with the fake camera showing `camera` (or `cameraFrames`), waits for
 * `hint`, runs `check` with the page, then waits `waitMs` and asserts no photo was taken by
 * itself; returns the open page (the caller closes `env`).
 */
async function neverTakenByItself(
  camera: { camera: Buffer } | { cameraFrames: Buffer[] },
  hint: string,
  waitMs: number,
  why: string,
  check: (page: import('playwright-core').Page) => Promise<void> = async () => undefined,
) {
  const env = await startWebTest(camera);
  try {
    const s = await env.openSession();
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
    await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
    await page.locator('#guide-hint', { hasText: hint }).waitFor({ timeout: 10_000 });
    await check(page);
    await new Promise((r) => setTimeout(r, waitMs));
    assert.equal(env.doc.calls, 0, why);
    return { env, ctx, page };
  } catch (err) {
    await env.close();
    throw err;
  }
}

test('a moving picture: "Hold the camera still", and no automatic photo', async () => {
  const base = await sharp(await selfie()).resize(960, 540, { fit: 'cover' }).jpeg().toBuffer();
  // A pan across the picture, 8 % of its width per 10 frames, looping.
  const frames: Buffer[] = [];
  for (let i = 0; i < 30; i++) {
    const left = Math.round((i / 30) * 300);
    frames.push(await sharp(base).extract({ left, top: 90, width: 640, height: 360 }).jpeg().toBuffer());
  }
  const { env, ctx, page } = await neverTakenByItself({ cameraFrames: frames }, en['guide.holdStill'], 4000, 'never taken while moving');
  try {
    assert.equal(await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"]').count(), 1);
    // The button still works.
    await page.locator('#take-photo:enabled').click();
    await page.locator('[data-screen="capture"][data-step="FACE"], [data-screen="retake"]').first().waitFor();
    assert.equal(env.doc.calls, 1);
    await ctx.close();
  } finally {
    await env.close();
  }
});

test('a still, well-lit empty surface: "Place your document inside the frame", and no automatic photo', async () => {
  // A plain table top: light grey, shaded across, with sensor-like noise.
  const w = 1280, h = 720;
  const raw = Buffer.alloc(w * h * 3);
  let seed = 3;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const v = 170 + (40 * x) / w - 20 + ((seed / 0x7fffffff) * 2 - 1) * 6;
    raw.fill(Math.round(v), (y * w + x) * 3, (y * w + x) * 3 + 3);
  }
  const table = await sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg().toBuffer();
  // Longer than a still card takes to be captured (4 steady checks and the notice).
  const { env, ctx, page } = await neverTakenByItself({ camera: table }, en['guide.placeDocument'], 5000, 'never taken without a document', async (p) => {
    assert.equal(await p.locator('#live-hint').isVisible(), false, 'the light is right');
  });
  try {
    assert.notEqual(await page.locator('#guide-hint').textContent(), en['guide.autoCapture']);
    await page.locator('#take-photo:enabled').click();
    await page.locator('[data-screen="capture"][data-step="FACE"], [data-screen="retake"]').first().waitFor();
    assert.equal(env.doc.calls, 1, 'the button still takes it');
    await ctx.close();
  } finally {
    await env.close();
  }
});
