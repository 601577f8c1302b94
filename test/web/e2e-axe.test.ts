/**
 * Accessibility in Chromium with axe-core (the engine, injected into the page by the test through
 * the DevTools protocol, so the pages keep their strict CSP): no serious or critical finding on the
 * demo page and on every screen of the capture page (QR, capture, camera problem, processing,
 * retake with its ways out, done, fatal, completed), in en-US, de-DE and ar-SA (right to left).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { DESKTOP, PHONE, startWebTest, type WebTestEnv } from './harness.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env: WebTestEnv;
before(async () => {
  env = await startWebTest();
});
after(async () => {
  await env?.close();
});

interface Finding { id: string; impact: string | null; targets: string[] }

/** axe's serious and critical findings on the page (or frame) as it is now. */
async function audit(target: Page | Frame, name: string, found: Map<string, Finding[]>): Promise<void> {
  await target.evaluate(AXE_SOURCE);
  const violations = await target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) found.set(name, bad);
}

const refused = { error: 'DOCUMENT_NOT_RECOGNIZED', pageSide: null, type: null, country: null, isTwoSideDocument: null, details: { captureAdvice: 'GLARE' } } as const;

test('axe: 0 serious or critical findings on the demo page and every capture screen, in three languages', async () => {
  const found = new Map<string, Finding[]>();
  const ctx = await env.browser.newContext(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${env.base}/web-enrolment/demo?lang=en-US`);
  await page.frameLocator('#enrolment-frame').locator('#continue-here').waitFor();
  await audit(page, 'demo', found);
  const frame = page.frames().find((f) => f.url().includes('/web-enrolment/?token='));
  if (frame) await audit(frame, 'demo iframe (QR screen)', found);
  await ctx.close();

  for (const lang of ['en-US', 'de-DE', 'ar-SA']) {
    // Desktop: the QR screen, then capture, processing, retake ×3 (ways out), face, done.
    const d = await env.browser.newContext(DESKTOP);
    const p = await d.newPage();
    const s = await env.openSession();
    env.doc.script = [refused, refused, refused, { pageSide: 'FRONT', isTwoSideDocument: false, type: 'PASSPORT' }];
    env.face.script = [null];
    await p.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
    await p.locator('#handoff-qr[src^="data:"]').waitFor();
    await audit(p, `${lang} handoff`, found);
    await p.locator('#continue-here').click();
    await p.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').waitFor();
    await audit(p, `${lang} capture document`, found);
    env.doc.delayMs = 800;
    for (let i = 1; i <= 3; i++) {
      await p.locator('[data-screen="capture"] #take-photo:enabled').click();
      if (i === 1) {
        await p.locator('[data-screen="processing"]').waitFor();
        await audit(p, `${lang} processing`, found);
      }
      await p.locator('[data-screen="retake"] #refused-photo').waitFor();
      if (i === 1) {
        await p.locator('#capture-advice:not(.hidden)').waitFor();
        await audit(p, `${lang} retake`, found);
      }
      if (i < 3) await p.locator('#retake').click();
    }
    env.doc.delayMs = 0;
    await p.locator('#ways-out').waitFor();
    await audit(p, `${lang} retake with ways out`, found);
    await p.locator('#other-document').click();
    await p.locator('[data-step="DOCUMENT_FRONT"] #take-photo:enabled').click();
    await p.locator('[data-step="FACE"] #take-photo:enabled').waitFor();
    await audit(p, `${lang} capture face`, found);
    await p.locator('#take-photo').click();
    await p.locator('[data-screen="done"]').waitFor();
    await audit(p, `${lang} done`, found);
    // The completed session reopened, with its way back.
    await p.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
    await p.locator('#back-to-site').waitFor();
    await audit(p, `${lang} completed`, found);
    await d.close();

    // Phone: no camera (the upload fallback); a refused token (fatal).
    const m = await env.browser.newContext(PHONE);
    const q = await m.newPage();
    await q.addInitScript(() => Object.defineProperty(navigator, 'mediaDevices', { value: undefined, configurable: true }));
    const s2 = await env.openSession();
    await q.goto(`${s2.webEnrolmentUrl}&lang=${lang}`);
    await q.locator('.problem[data-problem]').waitFor();
    await audit(q, `${lang} no camera`, found);
    await q.goto(`${env.base}/web-enrolment/?token=garbage&lang=${lang}`);
    await q.locator('[data-screen="fatal"]').waitFor();
    await audit(q, `${lang} fatal`, found);
    await m.close();
  }
  assert.deepEqual(Object.fromEntries(found), {});
});

test('every locale: the capture screen buttons keep their label on one line on a 390-px phone', async () => {
  const { LOCALES } = await import('../../src/shared/i18n/index.js');
  const ctx = await env.browser.newContext(PHONE);
  const page = await ctx.newPage();
  const s = await env.openSession();
  const wrapped: string[] = [];
  for (const lang of LOCALES) {
    await page.goto(`${s.webEnrolmentUrl}&lang=${lang}`);
    await page.locator('#take-photo:enabled').waitFor();
    const heights = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.actions .btn')].map((b) => [b.textContent ?? '', b.getBoundingClientRect().height] as const));
    const one = heights[0]![1];
    for (const [label, h] of heights) if (h > one + 1) wrapped.push(`${lang}: ${label} (${h} px)`);
  }
  assert.deepEqual(wrapped, []);
  await ctx.close();
});
