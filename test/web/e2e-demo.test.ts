/**
 * The integrators' demo page in Chromium: it opens sessions for the demo tenant, the embedded
 * iframe works under the page's CSP, and its live log shows the event the enrolment page posts.
 * Also: the capture page is operable with the keyboard alone.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MESSAGES } from '../../src/shared/i18n/index.js';
import { DESKTOP, startWebTest, type WebTestEnv } from './harness.js';

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

test('demo page: iframe integration with a live event log, and a redirect link', async () => {
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = [null];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text()); });
  const res = await page.goto(`${env.base}/web-enrolment/demo?lang=en-US`);
  assert.equal(res?.status(), 200);
  const sessionId = (await page.locator('#iframe-session').textContent())!;
  assert.match(sessionId, /^[0-9a-f-]{36}$/);
  assert.match((await page.locator('#redirect-link').getAttribute('href'))!, /\/web-enrolment\/\?token=/);

  const frame = page.frameLocator('#enrolment-frame');
  await frame.locator('#continue-here').click();
  await frame.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
  await frame.locator('[data-step="FACE"] #take-photo:enabled').click();
  const entry = page.locator('#event-log li');
  await entry.waitFor({ timeout: 15_000 });
  assert.match((await entry.textContent())!, new RegExp(`\\{"sessionId":"${sessionId}","hasCompleted":true,"hasError":false\\}$`));
  assert.deepEqual(cspErrors, []);
  await ctx.close();
});

test('keyboard only: Tab/Enter through the QR screen and the capture screens', async () => {
  const s = await env.openSession();
  env.doc.script = [{ pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
  env.face.script = ['FACE_IS_OCCLUDED', null];
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${s.webEnrolmentUrl}&lang=en-US`);
  await page.locator('#handoff-qr[src^="data:"]').waitFor();

  async function tabTo(selector: string) {
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
    }
    assert.fail(`Tab never reached ${selector}`);
  }
  await tabTo('#continue-here');
  await page.keyboard.press('Enter');
  await page.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
  await tabTo('#take-photo');
  await page.keyboard.press('Enter');
  await page.locator('[data-step="FACE"] #take-photo:enabled').waitFor();
  await tabTo('#take-photo');
  await page.keyboard.press('Space');
  await page.locator('[data-screen="retake"]').waitFor();
  // The error is announced to screen readers (assertive live region).
  await page.waitForFunction(
    (text) => document.getElementById('live-assertive')?.textContent === text,
    MESSAGES['en-US']['errors.FACE_IS_OCCLUDED'],
  );
  await tabTo('#retake');
  await page.keyboard.press('Enter');
  await page.locator('[data-step="FACE"] #take-photo:enabled').waitFor();
  await tabTo('#take-photo');
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.parentOrigin}/return?from=enrolment`);
  await ctx.close();
});
