/**
 * Tenant themes in Chromium under the page's strict CSP (no inline style): the theme chosen at
 * initialize (`webEnrolmentTheme`) colours the buttons, rounds the corners, sets the font and
 * shows the logo, with no CSP violation; the tenant's default theme applies when initialize names
 * none; the phone of a hand-off gets the same theme; a tenant without themes keeps the built-in look.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { validateTheme } from '../../src/server/session/themes.js';
import { createTestTenant, type TestTenant } from '../helpers/service.js';
import { PHONE, startWebTest, type WebTestEnv } from './harness.js';

let env: WebTestEnv;
let themed: TestTenant;
before(async () => {
  env = await startWebTest();
  const logo = await sharp({ create: { width: 120, height: 40, channels: 3, background: '#0b6e4f' } }).png().toBuffer();
  themed = await createTestTenant(env.store, {
    allowedReturnOrigins: [env.parentOrigin],
    allowedFrameOrigins: [env.parentOrigin],
    themes: {
      green: validateTheme({
        colors: { primary: '#0b6e4f', onPrimary: '#ffffff', background: '#fbfaf5', text: '#222222' },
        cornerRadiusPx: 2, fontStack: '"Georgia", serif', logo: { contentType: 'image/png', base64: logo.toString('base64') },
      }),
      night: validateTheme({
        colors: { primary: '#5b2a86', onPrimary: '#ffffff', background: '#ffffff', text: '#111111' },
        cornerRadiusPx: 20, fontStack: null, logo: null,
      }),
    },
    defaultTheme: 'night',
  }, 'Green Bank');
});
after(async () => {
  await env?.close();
});

async function initialize(t: TestTenant, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${env.base}/api/v1/enrolment/initialize`, {
    method: 'POST',
    headers: { authorization: t.basic, 'content-type': 'application/json' },
    body: JSON.stringify({ returnUrl: `${env.parentOrigin}/return`, ...extra }),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { accessToken: string; webEnrolmentUrl: string };
}

const look = (page: Page) => page.evaluate(() => {
  const b = getComputedStyle(document.getElementById('take-photo')!);
  const logo = document.getElementById('brand-logo') as HTMLImageElement | null;
  return {
    button: b.backgroundColor, buttonText: b.color, radius: b.borderTopLeftRadius, font: getComputedStyle(document.body).fontFamily,
    page: getComputedStyle(document.documentElement).backgroundColor,
    logo: logo ? { width: logo.naturalWidth, alt: logo.alt } : null,
  };
});

test('the theme chosen at initialize applies under the strict CSP: colours, radius, font, logo; no CSP violation', async () => {
  const s = await initialize(themed, { webEnrolmentTheme: 'green' });
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const csp: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/i.test(m.text())) csp.push(m.text()); });
  const res = await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  assert.match(res!.headers()['content-security-policy'] ?? '', /style-src 'self';/);
  assert.doesNotMatch(res!.headers()['content-security-policy'] ?? '', /unsafe-inline/);
  await page.locator('#take-photo:enabled').waitFor();
  await page.waitForFunction(() => (document.getElementById('brand-logo') as HTMLImageElement | null)?.naturalWidth === 120);
  assert.deepEqual(await look(page), {
    button: 'rgb(11, 110, 79)', buttonText: 'rgb(255, 255, 255)', radius: '2px', font: 'Georgia, serif', page: 'rgb(251, 250, 245)',
    logo: { width: 120, alt: 'Green Bank' },
  });
  assert.deepEqual(csp, []);
  await ctx.close();
});

test("initialize without a theme: the tenant's default; its phone gets the same theme; another tenant keeps the built-in look", async () => {
  const s = await initialize(themed);
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('#take-photo:enabled').waitFor();
  const night = await look(page);
  assert.equal(night.button, 'rgb(91, 42, 134)');
  assert.equal(night.radius, '20px');
  assert.equal(night.logo, null);

  // The hand-off's phone page (no token in its HTML): the theme comes with the redeemed token.
  const h = await fetch(`${env.base}/web-enrolment/api/handoff?lang=en-US`, { method: 'POST', headers: { authorization: `Bearer ${s.accessToken}` } });
  const { url } = (await h.json()) as { url: string };
  const phone = await ctx.newPage();
  await phone.goto(url);
  await phone.locator('#take-photo:enabled').waitFor();
  assert.equal((await look(phone)).button, 'rgb(91, 42, 134)');
  // A reload keeps it (the token kept in the tab; the theme asked again).
  await phone.reload();
  await phone.locator('#take-photo:enabled').waitFor();
  assert.equal((await look(phone)).button, 'rgb(91, 42, 134)');

  const plain = await env.openSession();
  await page.goto(`${plain.webEnrolmentUrl}&lang=en-US`);
  await page.locator('#take-photo:enabled').waitFor();
  const builtIn = await look(page);
  assert.equal(builtIn.button, 'rgb(11, 87, 208)');
  assert.equal(builtIn.radius, '12px');
  assert.equal(await page.locator('#tenant-theme').count(), 0);
  await ctx.close();
});
