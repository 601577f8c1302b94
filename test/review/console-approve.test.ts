/**
 * The review console in a real Chromium: an operator signs in, filters the list to sessions
 * waiting for review, opens one (pictures, extracted data, factor table), approves it with a
 * reason; the status becomes MANUAL_APPROVED, the audit trail has the entry, the integrator's
 * `session.reviewed` webhook is in the outbox. Also: the CSP, tenant isolation, CSRF, and that
 * a manual result cannot be reviewed again. Engines are scripted (test fakes); the images are
 * generated here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { hashPassword } from '../../src/server/session/credentials.js';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../helpers/service.js';
import { passportPage, td3 } from '../verification/mrz-builder.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, GENUINE_MATCH_SCORE, acceptedFace, embeddingPair } from '../verification/scripted-engines.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const GOOD = { lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' };

test('an operator approves a session waiting for review in Chromium', async () => {
  const document = new FakeScriptedDocumentEngine();
  const face = new FakeScriptedFaceEngine();
  const svc = await startTestService({
    engines: { document, face },
    env: { PUBLIC_BASE_URL: 'http://127.0.0.1' },
    serviceOptions: { verification: { backgroundJobs: false } },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'] });
  try {
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
    const tenant = await createTestTenant(svc.store);
    const other = await createTestTenant(svc.store, {}, 'Other');
    const v = svc.services.verification;
    await v.webhooks.setEndpoint(tenant.tenant.id, 'https://hooks.example.com/idv', 'whsec_x', svc.clock.now);
    const password = 'correct horse battery staple';
    await v.operators.insert({ id: crypto.randomUUID(), tenantId: tenant.tenant.id, username: 'alice', passwordHash: await hashPassword(password), disabledAt: null, createdAt: svc.clock.now });

    // A session whose name does not match the form: WAITING_FOR_MANUAL_APPROVE. Real JPEGs, so the page shows pictures.
    const docJpeg = await sharp({ create: { width: 800, height: 560, channels: 3, background: '#d8d2c0' } }).jpeg().toBuffer();
    const selfieJpeg = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#a0b0c0' } }).jpeg().toBuffer();
    const [selfie, portrait] = embeddingPair(GENUINE_MATCH_SCORE);
    const crop = await sharp({ create: { width: 150, height: 190, channels: 3, background: '#c09080' } }).jpeg().toBuffer();
    const s = await openSession(svc.app, tenant, { externalId: 'order-77', applicantForm: { lastName: 'Schmidt' } });
    // First a refused page (glare), then the passport page.
    const refusedJpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#f4f4f4' } }).jpeg().toBuffer();
    document.queue.push(
      passportPage(null, { error: 'DOCUMENT_NOT_RECOGNIZED', type: null, country: null, pageSide: null, isTwoSideDocument: null, details: { captureAdvice: 'GLARE' } }),
      passportPage(td3(GOOD), {
        portraitEmbedding: portrait,
        portraitEmbeddingModel: FACE_MODEL,
        details: { image: { width: 800, height: 560, workingScale: 1 }, rotationDeg: 0, mrzLocation: { box: { x: 40, y: 430, width: 720, height: 90 } }, portrait: { frame: 'upright-image', box: { x: 60, y: 120, width: 180, height: 220 }, cropJpegBase64: crop.toString('base64') } },
      }),
    );
    face.queue.push({ ...acceptedFace(selfie), measurements: { image: { width: 600, height: 800 }, mainFace: 0, faces: [{ box: { x: 150, y: 200, width: 300, height: 380 } }] } });
    assert.equal((await postImage(svc.app, s.accessToken, 'document', refusedJpeg)).statusCode, 422);
    await postImage(svc.app, s.accessToken, 'document', docJpeg);
    await postImage(svc.app, s.accessToken, 'face', selfieJpeg);
    assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
    assert.equal((await v.verification.get(s.sessionId))!.status, 'WAITING_FOR_MANUAL_APPROVE');
    // Another tenant's session must not be visible.
    const foreign = await openSession(svc.app, other);

    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    // Not signed in: the list sends us to the login page.
    await page.goto(`${base}/console/sessions`);
    assert.match(page.url(), /\/console\/login$/);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'wrong password');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('[role=alert]') ?? '', /Wrong username or password/);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForURL(/\/console\/sessions$/), page.click('button[type=submit]')]);
    const cookies = await page.context().cookies();
    const login = cookies.find((c) => c.name === 'idv_console')!;
    assert.equal(login.httpOnly, true);
    assert.equal(login.sameSite, 'Strict');

    // The review queue is the default list: name, document and country on each row.
    assert.equal(await page.textContent('h1'), 'Review queue');
    const rows = await page.$$eval('#sessions tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    assert.deepEqual(rows.map((r) => r.slice(1)), [['MUSTERMANN, ERIKA', 'Passport L898902C3', 'UTO', 'WAITING_FOR_MANUAL_APPROVE', 'MEDIUM', 'order-77']]);
    assert.match(rows[0]![0]!, /^15 Jan 2026, 10:00 UTC$/);
    assert.ok(!(await page.content()).includes(foreign.sessionId));
    // "any" status lists every session of the tenant (here the same one).
    await page.selectOption('select[name=verificationStatus]', '');
    await Promise.all([page.waitForURL(/verificationStatus=(&|$)/), page.click('form.filters button')]);
    assert.equal(await page.textContent('h1'), 'Sessions');
    assert.equal(await page.locator('#sessions tbody tr').count(), 1);

    // The session page: pictures (selfie, portrait and the page, MRZ marked), readable data, factors, refused attempts.
    await Promise.all([page.waitForURL(new RegExp(`/console/sessions/${s.sessionId}$`)), page.click('text=MUSTERMANN, ERIKA')]);
    const captions = await page.$$eval('figcaption', (fs) => fs.map((f) => f.textContent));
    assert.deepEqual(captions, ['Selfie', 'Document portrait', 'Front — MRZ region marked']);
    const data = Object.fromEntries(await page.$$eval('#document tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent])));
    assert.equal(data['Date of birth'], '12 Aug 1984 (age 41)');
    assert.equal(data['Date of expiry'], '1 Jan 2031 (valid, 4 years left)');
    assert.equal(data.Surname, 'MUSTERMANN');
    const refused = await page.$$eval('#refused tbody td', (tds) => tds.map((t) => t.textContent?.trim()));
    assert.match(refused[2]!, /^DOCUMENT_NOT_RECOGNIZED/);
    assert.match(refused[2]!, /Capture advice: GLARE/);
    const refusedWidth = await page.$eval('#refused img', (img) => (img as HTMLImageElement).naturalWidth);
    assert.equal(refusedWidth, 640, 'the refused image loads');
    assert.equal(await page.locator('rect.mrz-box').count(), 1);
    // The document engine's portrait crop, shown as an image (loads under the CSP).
    const portraitWidth = await page.$eval('img[alt="Document portrait"]', (img) => (img as HTMLImageElement).naturalWidth);
    assert.equal(portraitWidth, 150);
    // The pictures really load (cookie-authenticated image route).
    const loaded = await page.$$eval('svg image', (imgs) => imgs.map((i) => (i as SVGImageElement).href.baseVal));
    for (const src of loaded) {
      const r = await page.request.get(`${base}${src}`);
      assert.equal(r.status(), 200);
      assert.equal(r.headers()['content-type'], 'image/jpeg');
    }
    const factorRows = await page.$$eval('#factors tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)));
    assert.deepEqual(factorRows.find((r) => r[0] === 'applicantIntegrity'), ['applicantIntegrity', 'LOW']);
    assert.deepEqual(factorRows.find((r) => r[0] === 'faceVerification'), ['faceVerification', 'HIGH']);
    assert.match((await page.textContent('body')) ?? '', /MUSTERMANN/);

    // Approve with a reason.
    await page.fill('textarea[name=reason]', 'Married name; marriage certificate checked by phone.');
    await Promise.all([page.waitForLoadState('load'), page.click('button.approve')]);
    await page.waitForSelector('#audit');
    assert.equal(await page.textContent('#verification-status'), 'MANUAL_APPROVED');
    const audit = await page.$$eval('#audit tbody td', (tds) => tds.map((t) => t.textContent));
    assert.equal(audit[2], 'APPROVE');
    assert.equal(audit[3], 'Married name; marriage certificate checked by phone.');
    assert.equal(audit[4], 'WAITING_FOR_MANUAL_APPROVE');
    assert.equal(await page.locator('form.review').count(), 0, 'a manual result is final');
    assert.deepEqual(cspViolations, []);

    // Stored: status, review, audit, and the webhook event.
    const rec = (await v.verification.get(s.sessionId))!;
    assert.equal(rec.status, 'MANUAL_APPROVED');
    assert.equal(rec.reviewReason, 'Married name; marriage certificate checked by phone.');
    const events = await v.webhooks.events(s.sessionId);
    const reviewed = events.find((e) => e.type === 'session.reviewed')!;
    const payload = JSON.parse(reviewed.payload) as { data: { status: string; review: { action: string; reason: string } } };
    assert.equal(payload.data.status, 'MANUAL_APPROVED');
    assert.equal(payload.data.review.action, 'APPROVE');
    // The integrator's read endpoint shows it too.
    const api = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: tenant.basic } })).json() as { verification: { status: string; review: { reason: string } } };
    assert.equal(api.verification.status, 'MANUAL_APPROVED');

    // Headers: strict CSP on console pages.
    const res = await page.request.get(`${base}/console/sessions`);
    assert.equal(res.headers()['content-security-policy'], "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    // CSRF: a review without the form token is refused; a second review is refused.
    const noCsrf = await page.request.post(`${base}/console/sessions/${s.sessionId}/review`, { form: { action: 'REJECT', reason: 'try again' } });
    assert.equal(noCsrf.status(), 401);
    const csrf = await page.getAttribute('form.logout input[name=csrf]', 'value');
    const again = await page.request.post(`${base}/console/sessions/${s.sessionId}/review`, { form: { action: 'REJECT', reason: 'try again', csrf: csrf! } });
    assert.equal(again.status(), 409);
    assert.match(await again.text(), /REVIEW_NOT_ALLOWED/);
    // Another tenant's session: not found for this operator.
    const cross = await page.request.get(`${base}/console/sessions/${foreign.sessionId}`);
    assert.equal(cross.status(), 404);
  } finally {
    await browser.close();
    await svc.close();
  }
});
