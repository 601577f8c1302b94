/**
 * Browser test (Chromium, scripted fake engines) of the upload: a 12 MP photo is made smaller in
 * the page (downscale.ts) so the request is ≤ 600 KB; on a throttled network (CDP
 * Network.emulateNetworkConditions) the progress bar moves and Cancel goes back to the capture
 * without the engine ever seeing the photo; the next try goes through.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { UPLOAD_MAX_SIDE_PX } from '../../src/web/downscale.js';
import { PHONE, startWebTest, type WebTestEnv } from './harness.js';
import { selfie } from '../helpers/face-images.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

/** A 4000 × 3000 (12 MP) JPEG as a phone makes it: a real photo enlarged, with sensor grain. */
async function twelveMegapixels(): Promise<Buffer> {
  const big = await sharp(await selfie()).resize(4000, 3000, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const px = big.data;
  let seed = 7;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    px[i] = Math.max(0, Math.min(255, px[i]! + ((seed >> 16) % 17) - 8));
  }
  return sharp(px, { raw: big.info }).jpeg({ quality: 92 }).toBuffer();
}

test('a 12 MP photo goes up ≤ 600 KB at ≤ 2048 px; throttled: the progress bar moves, Cancel goes back, the retry is accepted', async () => {
  const photo = await twelveMegapixels();
  assert.ok(photo.length > 2_000_000, `the 12 MP photo is ${photo.length} bytes`);
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const bodies: number[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/enrolment/document')) bodies.push(r.postDataBuffer()?.length ?? 0);
  });
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
  // Fast 3G's upload (750 kbit/s ≈ 94 KB/s), with its latency.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 });

  const calls = env.doc.calls;
  await page.locator('#upload-input').setInputFiles({ name: 'phone.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('#upload-progress').waitFor();
  assert.equal(await page.locator('#upload-cancel').textContent(), MESSAGES['en-US']['upload.cancel']);
  // The bar moves: some value strictly between 0 and 100 while the body goes up.
  await page.waitForFunction(() => {
    const v = (document.getElementById('upload-progress') as HTMLProgressElement | null)?.value ?? 0;
    return v > 0 && v < 100;
  }, undefined, { timeout: 20_000 });
  const shown = await page.locator('#upload-label').textContent();
  assert.match(shown ?? '', /^Sending your photo… \d{1,2}%$/);
  await page.locator('#upload-cancel').click();
  await page.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"]').waitFor();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(env.doc.calls, calls, 'the cancelled photo never reached the engine');

  // Again, to the end: the progress reaches the check, and the step is accepted.
  await page.locator('#upload-input').setInputFiles({ name: 'phone.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('[data-screen="capture"][data-step="FACE"]').waitFor({ timeout: 30_000 });
  assert.equal(env.doc.calls, calls + 1);
  assert.equal(bodies.length, 2);
  for (const b of bodies) assert.ok(b <= 600_000, `request body ${b} bytes`);

  // What reached the server: a JPEG of at most UPLOAD_MAX_SIDE_PX on the long side.
  const meta = await sharp(Buffer.from(env.doc.lastImage!)).metadata();
  assert.equal(meta.format, 'jpeg');
  assert.equal(Math.max(meta.width!, meta.height!), UPLOAD_MAX_SIDE_PX);
  console.log(`12 MP photo ${photo.length} bytes → request bodies ${bodies.join(', ')} bytes`);
  await cdp.detach();
  await ctx.close();
});
