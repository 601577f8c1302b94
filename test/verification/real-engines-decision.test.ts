/**
 * The decision on real engine output: the real face and document engines (models from
 * node_modules) on the generated Utopia passport specimen (portrait = a crop of face-api's MIT
 * demo photo sample1.jpg, see test/fixtures/documents/README.md) and two selfies: another crop
 * of that same person's photo (a same-photo genuine pair: the weaker kind, see
 * docs/face-verification.md), a different person (sample6) and the replay attack: the passport's
 * own portrait (the crop the document engine keeps) enlarged into a selfie. Asserts the factors,
 * not only the final status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';
import { createFaceEngine, loadFaceModels } from '../../src/server/vision/face/index.js';
import { DEFAULT_VERIFICATION_THRESHOLDS as T } from '../../src/server/verification/thresholds.js';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../helpers/service.js';
import { faceApiSample, selfie } from '../helpers/face-images.js';

test('real engines: same person HIGH, different person LOW, the portrait replayed not HIGH, expired specimen LOW, ICAO names match', async () => {
  const engines = { face: createFaceEngine(await loadFaceModels()), document: createDocumentEngine(await loadDocumentModels()) };
  const svc = await startTestService({ engines, serviceOptions: { verification: { backgroundJobs: false } } });
  try {
    const tenant = await createTestTenant(svc.store);
    const passport = await readFile(new URL('../fixtures/documents/uto_passport_scan.jpg', import.meta.url));
    const samePerson = await sharp(await faceApiSample(1)).extract({ left: 700, top: 200, width: 580, height: 760 }).jpeg({ quality: 90 }).toBuffer();
    const otherPerson = await selfie();
    const run = async (face: Buffer) => {
      const s = await openSession(svc.app, tenant, { applicantForm: { firstName: 'Anna María', lastName: 'Eriksson', dateOfBirth: '1974-08-12' } });
      assert.equal((await postImage(svc.app, s.accessToken, 'document', passport)).statusCode, 200);
      const f = await postImage(svc.app, s.accessToken, 'face', face);
      assert.equal(f.statusCode, 200, f.body);
      assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
      const res = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: tenant.basic } });
      type Field = { value: string; icao?: string; source: string; confidence: number } | null;
      const body = res.json() as {
        document: Record<string, Field>;
        verification: { status: string; reasons: string[]; factors: Array<{ name: string; level: string; score: number | null; evidence: Record<string, unknown> }> };
      };
      const v = body.verification;
      const factor = (n: string) => v.factors.find((x) => x.name === n)!;
      return {
        ...v,
        document: body.document,
        raw: res.body,
        bytes: Buffer.byteLength(res.body),
        level: (n: string) => factor(n).level,
        score: (n: string) => factor(n).score,
        reason: (n: string) => factor(n).evidence.reason,
      };
    };

    const same = await run(samePerson);
    // The lean session read: ≤ 8 KB, and its normalised document is the specimen's MRZ
    // (P<UTOERIKSSON<<ANNA<MARIA… / L898902C36UTO7408122F1204159ZE184226B<<<<<10) in ISO form.
    assert.ok(same.bytes <= 8192, `session read ${same.bytes} bytes`);
    const d = same.document;
    const values = Object.fromEntries(['number', 'issuingState', 'nationality', 'dateOfBirth', 'dateOfExpiry', 'sex', 'personalNumber'].map((k) => [k, d[k]?.value]));
    assert.deepEqual(values, { number: 'L898902C3', issuingState: 'UTO', nationality: 'UTO', dateOfBirth: '1974-08-12', dateOfExpiry: '2012-04-15', sex: 'F', personalNumber: 'ZE184226B' });
    assert.equal(d.surname?.icao, 'ERIKSSON');
    assert.equal(d.givenNames?.icao, 'ANNA MARIA');
    assert.equal(d.number?.source, 'MRZ');
    // The MRZ reader's posterior for the number (fields.fieldConfidence), a verified check digit.
    assert.ok(d.number!.confidence >= 0.9, String(d.number?.confidence));
    assert.doesNotMatch(same.raw, /cropJpegBase64|"embedding"|\/9j\//, 'no engine internals, no inline image');
    assert.equal(same.level('faceVerification'), 'HIGH');
    assert.ok(same.score('faceVerification')! >= T.faceMatchHigh, String(same.score('faceVerification')));
    // A live capture: liveness measured and HIGH.
    assert.equal(same.level('faceLiveness'), 'HIGH');
    assert.ok(same.score('faceLiveness')! >= T.livenessThreshold, String(same.score('faceLiveness')));
    assert.equal(same.level('crossCheck'), 'HIGH'); // the Doc 9303 specimen MRZ verifies
    assert.equal(same.level('documentExpiry'), 'LOW'); // … and expired on 2012-04-15
    assert.equal(same.level('applicantIntegrity'), 'HIGH'); // "Anna María" = ANNA MARIA
    assert.equal(same.status, 'AUTO_REJECTED');
    assert.deepEqual(same.reasons, ['documentExpiry:LOW rejects']);

    const other = await run(otherPerson);
    assert.equal(other.level('faceVerification'), 'LOW');
    assert.ok(other.score('faceVerification')! < T.faceMatchLow, String(other.score('faceVerification')));
    assert.deepEqual(other.reasons, ['documentExpiry:LOW rejects', 'faceVerification:LOW rejects']);

    // The replay: the document engine's own portrait crop, enlarged to a selfie.
    const page = await engines.document.analyzeDocument(passport);
    const crop = Buffer.from((page.details.portrait as { cropJpegBase64: string }).cropJpegBase64, 'base64');
    const replayed = await run(await sharp(crop).resize({ height: 900, kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer());
    assert.equal(replayed.level('faceVerification'), 'MEDIUM');
    assert.equal(replayed.reason('faceVerification'), 'SELFIE_IS_DOCUMENT_PORTRAIT');
    assert.equal(replayed.level('faceLiveness'), 'LOW');
    assert.equal(replayed.reason('faceLiveness'), 'PORTRAIT_REUSE');
    // (The specimen expired: that alone rejects; decide-on-complete and factors tests show a replay
    // on a valid document goes to review.)
    assert.equal(replayed.status, 'AUTO_REJECTED');
  } finally {
    await svc.close();
  }
});
