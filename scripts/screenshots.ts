/**
 * `npm run screenshots [-- --out <dir>] [--only web|console]`: every screen of the web enrolment UI
 * in en-US, de-DE and ar-SA, on a phone-sized (390×844) and a desktop-sized (1280×900) viewport, as
 * PNG files under `.tmp/screenshots/<lang>/<phone|desktop>/` (default). Runs the real service
 * in-process on 127.0.0.1 with the web tests' SCRIPTED FAKE engines (so each screen can be reached
 * on purpose) and Debian's Chromium with a fake camera (a face photo from an MIT npm package).
 * Then the review console's pages (`console-screenshots.ts`: real engines on generated specimens)
 * under `.tmp/screenshots/console/`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { DESKTOP, PHONE, startWebTest, type WebTestEnv } from '../test/web/harness.js';
import { consoleScreens } from './console-screenshots.js';
import sharp from 'sharp';
import { validateTheme } from '../src/server/session/themes.js';
import { selfie } from '../test/helpers/face-images.js';
import { createTestTenant } from '../test/helpers/service.js';

const LANGS = ['en-US', 'de-DE', 'ar-SA'] as const;
const outArg = process.argv.indexOf('--out');
const OUT = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : '.tmp/screenshots');
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;

async function shot(page: Page, dir: string, name: string) {
  await page.waitForTimeout(150); // let the focus ring and fonts settle
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  console.log(join(dir, `${name}.png`));
}

async function screensFor(env: WebTestEnv, lang: string, device: 'phone' | 'desktop') {
  const dir = join(OUT, lang, device);
  mkdirSync(dir, { recursive: true });
  const opts: BrowserContextOptions = device === 'phone' ? PHONE : DESKTOP;
  const ctx = await env.browser.newContext(opts);
  const page = await ctx.newPage();
  const take = () => page.locator('#take-photo:enabled').click();

  // Main flow: (desktop: QR screen) → front → processing → back → face → refused → retake → done.
  let s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: true }, { pageSide: 'BACK', isTwoSideDocument: true }];
  env.face.script = ['FACE_TOO_SMALL', null];
  env.doc.delayMs = 1500;
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  if (device === 'desktop') {
    await page.locator('#handoff-qr[src^="data:"]').waitFor();
    await shot(page, dir, '01-handoff-qr');
    await page.locator('#continue-here').click();
  }
  await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
  await shot(page, dir, '02-capture-document-front');
  await take();
  await page.locator('[data-screen="processing"]').waitFor();
  await shot(page, dir, '03-processing');
  await page.locator('[data-step="DOCUMENT_BACK"] #take-photo:enabled').waitFor();
  await shot(page, dir, '04-capture-document-back');
  await take();
  await page.locator('[data-step="FACE"] #take-photo:enabled').waitFor();
  await shot(page, dir, '05-capture-face');
  await take();
  await page.locator('[data-screen="retake"]').waitFor();
  await shot(page, dir, '06-retake-face-too-small');
  await page.locator('#retake').click();
  await page.locator('[data-step="FACE"] #take-photo:enabled').click();
  // Stop before the redirect to show the done screen: iframe mode would post instead; here we
  // catch the "taking you back" text before navigation.
  await page.locator('[data-screen="done"]').waitFor();
  await shot(page, dir, '07-done');
  env.doc.delayMs = 0;

  // A document refused (say what to change).
  s = await env.openSession();
  // The engine said why (capture-advice.ts): the screen adds its sentence under the error text.
  env.doc.script = [
    { error: 'DOCUMENT_NOT_RECOGNIZED', pageSide: null, type: null, country: null, isTwoSideDocument: null, details: { captureAdvice: 'GLARE' } },
  ];
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}&iframe=true&crossDevice=false`);
  await take();
  await page.locator('[data-screen="retake"]').waitFor();
  await page.locator('#capture-advice:not(.hidden)').waitFor();
  await shot(page, dir, '08-retake-document-not-recognized-glare');

  // No camera: the upload fallback.
  const noCam = await ctx.newPage();
  await noCam.addInitScript(() => Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true }));
  await noCam.goto(`${s.webEnrolmentUrl}&lang=${lang}&iframe=true&crossDevice=false`);
  await noCam.locator('.problem[data-problem]').waitFor();
  await shot(noCam, dir, '09-no-camera-upload');
  await noCam.close();

  // Fatal screens.
  env.clock.offsetMs = 2 * 3600 * 1000;
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  await page.locator('[data-screen="fatal"]').waitFor();
  await shot(page, dir, '10-fatal-unauthorized');
  env.clock.offsetMs = 0;
  await page.goto(`${env.base}/web-enrolment/m/AAAA-AAAA-AAAA?lang=${lang}`);
  await page.locator('[data-screen="fatal"]').waitFor();
  await shot(page, dir, '11-phone-link-invalid');
  await ctx.close();
}

/** The cross-device screens: the QR screen on a narrow window, the desktop's live progress, the phone's end. */
async function handoffScreens(env: WebTestEnv, lang: string) {
  const phoneDir = join(OUT, lang, 'phone');
  const desktopDir = join(OUT, lang, 'desktop');
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const narrow = await env.browser.newContext({ viewport: PHONE.viewport });
  const narrowPage = await narrow.newPage();
  await narrowPage.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  await narrowPage.locator('#handoff-qr[src^="data:"]').waitFor();
  await shot(narrowPage, phoneDir, '01-handoff-qr-narrow-window');
  await narrow.close();

  const desktopCtx = await env.browser.newContext(DESKTOP);
  const desktop = await desktopCtx.newPage();
  await desktop.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  const link = desktop.locator('#handoff-link:not(:empty)');
  await link.waitFor();
  const phoneCtx = await env.browser.newContext(PHONE);
  const phone = await phoneCtx.newPage();
  await phone.goto((await link.textContent())!);
  await phone.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
  await phone.locator('[data-step="FACE"] #take-photo:enabled').waitFor();
  await desktop.waitForFunction(() => !!document.querySelector('#handoff-status')?.textContent?.match(/\d.*\d/));
  await shot(desktop, desktopDir, '01b-handoff-phone-progress');
  await phone.locator('#take-photo:enabled').click();
  await phone.locator('[data-screen="done"]').waitFor();
  await shot(phone, phoneDir, '12-phone-done-after-handoff');
  await phoneCtx.close();
  await desktopCtx.close();
}

/**
 * Issue #16's screens: the retake with its thumbnail and the ways out, a completed session
 * reopened (with the way back), the upload's progress on a throttled network, a tenant theme.
 */
async function issue16Screens(env: WebTestEnv, lang: string, device: 'phone' | 'desktop') {
  const dir = join(OUT, lang, device);
  const ctx = await env.browser.newContext(device === 'phone' ? PHONE : DESKTOP);
  const page = await ctx.newPage();
  const refused = { error: 'DOCUMENT_NOT_RECOGNIZED', pageSide: null, type: null, country: null, isTwoSideDocument: null, details: { captureAdvice: 'TOO_FAR' } } as const;
  let s = await env.openSession();
  env.doc.script = [refused, refused, refused];
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}&iframe=true&crossDevice=false`);
  for (let i = 1; i <= 3; i++) {
    await page.locator('[data-screen="capture"] #take-photo:enabled').click();
    await page.locator('[data-screen="retake"] #refused-photo').waitFor();
    await page.locator('#capture-advice:not(.hidden)').waitFor();
    if (i === 1) await shot(page, dir, '14-retake-thumbnail-side');
    if (i < 3) await page.locator('#retake').click();
  }
  await shot(page, dir, '15-retake-ways-out');

  // A completed session reopened in redirect mode.
  s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const auth = { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' };
  const img = (await selfie()).toString('base64');
  for (const path of ['document', 'face']) await fetch(`${env.base}/api/v1/enrolment/${path}`, { method: 'POST', headers: auth, body: JSON.stringify({ imageBase: img }) });
  await fetch(`${env.base}/api/v1/enrolment/complete`, { method: 'POST', headers: { authorization: auth.authorization } });
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
  await page.locator('#back-to-site').waitFor();
  await shot(page, dir, '16-completed-with-way-back');

  // The upload's progress (a large photo on a slow uplink).
  s = await env.openSession();
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}&iframe=true&crossDevice=false`);
  await page.locator('#take-photo:enabled').waitFor();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 40_000 });
  const big = await sharp(await selfie()).resize(2048, 1536, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
  await page.locator('#upload-input').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: big });
  await page.waitForFunction(() => ((document.getElementById('upload-progress') as HTMLProgressElement | null)?.value ?? 0) >= 20, undefined, { timeout: 30_000 });
  await shot(page, dir, '17-upload-progress');
  await page.locator('#upload-cancel').click();
  await cdp.detach();

  // A tenant theme (colours, radius, font, logo).
  const logo = await sharp({ create: { width: 160, height: 48, channels: 3, background: '#0b6e4f' } }).png().toBuffer();
  const themed = await createTestTenant(env.store, {
    allowedReturnOrigins: [env.parentOrigin], allowedFrameOrigins: [env.parentOrigin],
    themes: { green: validateTheme({ colors: { primary: '#0b6e4f', onPrimary: '#ffffff', background: '#fbfaf5', text: '#222222' }, cornerRadiusPx: 2, fontStack: '"Georgia", serif', logo: { contentType: 'image/png', base64: logo.toString('base64') } }) },
    defaultTheme: 'green',
  }, 'Green Bank');
  s = await env.openSession(themed);
  await page.goto(`${s.webEnrolmentUrl}&lang=${lang}&iframe=true&crossDevice=false`);
  await page.locator('#take-photo:enabled').waitFor();
  await shot(page, dir, '18-theme-capture');
  await ctx.close();
}

async function frameBlockedScreen(env: WebTestEnv, lang: string) {
  const s = await env.openSession();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${env.parentOrigin}/embed?allow=&src=${encodeURIComponent(`${s.webEnrolmentUrl}&iframe=true&crossDevice=false&lang=${lang}`)}`);
  await page.frameLocator('#f').locator('.problem[data-problem="blockedByFrame"]').waitFor();
  await shot(page, join(OUT, lang, 'desktop'), '13-iframe-without-allow-camera');
  await ctx.close();
}

if (ONLY !== 'console') {
  const env = await startWebTest();
  try {
    for (const lang of LANGS) {
      for (const device of ['phone', 'desktop'] as const) {
        await screensFor(env, lang, device);
        await issue16Screens(env, lang, device);
      }
      await handoffScreens(env, lang);
      await frameBlockedScreen(env, lang);
    }
  } finally {
    await env.close();
  }
}
if (ONLY !== 'web') await consoleScreens(OUT);
console.log(`screenshots in ${OUT}`);
