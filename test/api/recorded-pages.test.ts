/**
 * Real engine results of images the repository may not ship (test/fixtures/recorded, replayed by
 * the test fakes), through the real service: pages that each lack a fact are fused into one
 * document, and the cross-field checks see what the MRZ alone does not.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DocumentResult } from '../../src/server/vision/contract.js';
import { fakeDocumentImage, fakeFaceImage } from '../helpers/fake-engines.js';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';

const recorded = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/recorded/${name}.json`, import.meta.url), 'utf8')) as DocumentResult;
let svc: TestService;
let t: TestTenant;
before(async () => {
  svc = await startTestService({ serviceOptions: { verification: { backgroundJobs: false } } });
  t = await createTestTenant(svc.store);
});
after(() => svc.close());

async function session(pages: string[]) {
  const s = await openSession(svc.app, t);
  const replies = [];
  for (const p of pages) replies.push((await postImage(svc.app, s.accessToken, 'document', await fakeDocumentImage({ recorded: recorded(p) }))).json());
  assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
  assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
  const view = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: t.basic } })).json();
  return { replies, view };
}

test('a back whose MRZ issuing state was misread belongs to its front; the misread number is caught against the printed text', async () => {
  const { replies, view } = await session(['uto_td1_card_front', 'uto_td1_card_back']);
  assert.deepEqual(replies[1], { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'UTO', type: 'IDENTITY_CARD' });
  assert.equal(view.document.country, 'UTO');
  assert.equal(view.document.surname.value, 'ERIKSSON');
  assert.equal(view.document.surname.source, 'VIZ', 'the printed name confirms the MRZ name');
  assert.equal(view.document.dateOfBirth.value, '1974-08-12');
  assert.equal(view.document.issuingState, null, 'no readable issuing state in the MRZ');
  const numberCheck = view.document.checks.find((c: { field: string; strong: boolean }) => c.field === 'number' && !c.strong);
  assert.equal(numberCheck.agree, false, 'the MRZ number 0D2I45890 is not what the card prints');
  const fc = view.verification.factors.find((f: { name: string }) => f.name === 'fieldConsistency');
  assert.equal(fc.level, 'MEDIUM');
});

test('a licence front read without a country, then an AAMVA back: fused, the fields from the barcode (the front carries no fact that could contradict it)', async () => {
  const { replies, view } = await session(['usa_arizona_dl_front', 'usa_dl_back_photo']);
  assert.deepEqual(replies[0], { hasError: false, isTwoSideDocument: true, pageSide: 'FRONT', country: null, type: 'DRIVING_LICENCE' });
  assert.deepEqual(replies[1], { hasError: false, isTwoSideDocument: true, pageSide: 'BACK', country: 'USA', type: 'DRIVING_LICENCE' });
  const d = view.document;
  assert.deepEqual(
    Object.fromEntries(['number', 'dateOfBirth', 'dateOfExpiry', 'dateOfIssue', 'sex'].map((k) => [k, d[k].value])),
    { number: 'I1234568', dateOfBirth: '1977-08-31', dateOfExpiry: '2030-08-31', dateOfIssue: '2022-08-31', sex: 'F' },
  );
  assert.equal(d.number.source, 'BARCODE');
  assert.deepEqual(d.machineReadable, [{ page: 'BACK', kind: 'BARCODE', format: 'PDF417', valid: true }]);
});
