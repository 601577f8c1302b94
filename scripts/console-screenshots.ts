/**
 * The review console's pages for `npm run screenshots`: the REAL document and face engines on
 * generated specimens (test/fixtures/documents) and selfies cut from face-api's MIT demo photos,
 * through the real service (SQLite in a temp dir), then Debian's Chromium signed in as an
 * operator: the review queue (the default list), all sessions, and one session page per case,
 * as PNGs under `<out>/console/`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { hashPassword } from '../src/server/session/credentials.js';
import { createDocumentEngine, loadDocumentModels } from '../src/server/vision/document/index.js';
import { createFaceEngine, loadFaceModels } from '../src/server/vision/face/index.js';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../test/helpers/service.js';
import { faceApiSample, selfie } from '../test/helpers/face-images.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/documents/${name}`, import.meta.url));

export async function consoleScreens(outDir: string): Promise<void> {
  const dir = join(outDir, 'console');
  mkdirSync(dir, { recursive: true });
  const engines = { face: createFaceEngine(await loadFaceModels()), document: createDocumentEngine(await loadDocumentModels()) };
  const svc = await startTestService({ engines, env: { PUBLIC_BASE_URL: 'http://127.0.0.1' }, serviceOptions: { verification: { backgroundJobs: false } } });
  svc.clock.now = Date.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
  try {
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
    const tenant = await createTestTenant(svc.store);
    const password = 'screenshots only';
    await svc.services.verification.operators.insert({ id: crypto.randomUUID(), tenantId: tenant.tenant.id, username: 'reviewer', passwordHash: await hashPassword(password), disabledAt: null, createdAt: svc.clock.now });
    // The specimens' portraits are crops of sample1 (see test/fixtures/documents/README.md).
    const sample1 = await faceApiSample(1);
    const holderB = await sharp(sample1).extract({ left: 1180, top: 40, width: 680, height: 860 }).jpeg({ quality: 90 }).toBuffer();
    const holderA = await sharp(sample1).extract({ left: 700, top: 200, width: 580, height: 760 }).jpeg({ quality: 90 }).toBuffer();

    const run = async (pages: string[], faces: Buffer[], body: Record<string, unknown>) => {
      const s = await openSession(svc.app, tenant, body);
      const codes: string[] = [];
      for (const p of pages) codes.push((await postImage(svc.app, s.accessToken, 'document', p === 'landscape' ? fixture('not_document_landscape.jpg') : fixture(p))).json().error ?? 'OK');
      for (const face of faces) codes.push((await postImage(svc.app, s.accessToken, 'face', face)).json().error ?? 'OK');
      codes.push((await complete(svc.app, s.accessToken)).json().error ?? 'COMPLETED');
      console.log(`${body.externalId}: ${codes.join(' → ')}`);
      return s.sessionId;
    };
    const rp = ['deu_residence_permit_front_photo.jpg', 'deu_residence_permit_back_photo.jpg'];
    const cases: Array<[string, string]> = [
      // A refused page and a refused selfie first, then a residence permit whose front names no
      // state; the typed surname has a second part the document lacks: to the review queue.
      ['residence-permit-review', await run(['landscape', ...rp], [holderB, holderA], { externalId: 'loan-1001', applicantForm: { firstName: 'Jörg', lastName: 'Müller-Schmidt', dateOfBirth: '1983-08-12' } })],
      // The same permit with the typed data matching (Müller = MUELLER): approved automatically.
      ['residence-permit-approved', await run(rp, [holderA], { externalId: 'loan-1002', applicantForm: { firstName: 'Jörg', lastName: 'Müller', dateOfBirth: '1983-08-12' } })],
      // An ID card whose back is shown first (refused), a different surname typed; expired in 2012.
      ['id-card', await run(['uto_id_back_photo_shear.jpg', 'uto_id_front_photo_tilt.jpg', 'uto_id_back_photo_shear.jpg'], [holderA], { externalId: 'acct-2002', applicantForm: { lastName: 'Andersson', dateOfBirth: '1974-08-12' } })],
      // The ICAO specimen passport (expired in 2012) and another person's selfie.
      ['passport-expired', await run(['uto_passport_scan.jpg'], [await selfie()], { externalId: 'acct-3003' })],
    ];

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/console/login`);
    await shot(page, dir, '01-sign-in');
    await page.fill('input[name=username]', 'reviewer');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(/\/console\/sessions$/), page.click('button[type=submit]')]);
    await shot(page, dir, '02-review-queue');
    await page.goto(`${base}/console/sessions?verificationStatus=`);
    await shot(page, dir, '03-all-sessions');
    let n = 4;
    for (const [name, id] of cases) {
      await page.goto(`${base}/console/sessions/${id}`);
      await page.waitForFunction(() => [...document.images].every((i) => i.complete));
      await shot(page, dir, `${String(n++).padStart(2, '0')}-session-${name}`);
    }
    await ctx.close();
  } finally {
    await browser.close();
    await svc.close();
  }
}

async function shot(page: Page, dir: string, name: string) {
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  console.log(join(dir, `${name}.png`));
}
