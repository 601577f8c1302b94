/**
 * Guided capture in Chromium with the fake camera (scripted fake engines): a still picture in good
 * light is taken automatically after a moment (said first; "Take photo" stays enabled until then);
 * a moving picture gets "Hold the camera still" and is never taken by itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { PHONE, startWebTest } from './harness.js';
import { selfie } from '../helpers/face-images.js';

const en = MESSAGES['en-US'];

test('a still picture in good light is captured automatically; the button stays', async () => {
  const env = await startWebTest();
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
    // The face step too (the face photo on the fake camera is still).
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

test('a moving picture: "Hold the camera still", and no automatic photo', async () => {
  const base = await sharp(await selfie()).resize(960, 540, { fit: 'cover' }).jpeg().toBuffer();
  // A pan across the picture, 8 % of its width per 10 frames, looping.
  const frames: Buffer[] = [];
  for (let i = 0; i < 30; i++) {
    const left = Math.round((i / 30) * 300);
    frames.push(await sharp(base).extract({ left, top: 90, width: 640, height: 360 }).jpeg().toBuffer());
  }
  const env = await startWebTest({ cameraFrames: frames });
  try {
    const s = await env.openSession();
    const ctx = await env.browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
    await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
    await page.locator('#guide-hint', { hasText: en['guide.holdStill'] }).waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal(env.doc.calls, 0, 'never taken while moving');
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
