import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeFactors, decide, statusOf, verify } from '../../src/server/verification/decide.js';
import { DEFAULT_VERIFICATION_THRESHOLDS, parsePolicy, type VerificationPolicy } from '../../src/server/verification/thresholds.js';
import type { Factor, FactorName, VerificationInput } from '../../src/server/verification/types.js';
import type { FaceCheckResult } from '../../src/server/vision/contract.js';
import { passportPage, td3, td3Lines } from './mrz-builder.js';
import { parseMrz } from '../../src/server/vision/mrz/parse.js';

const NOW = Date.parse('2026-01-15T10:00:00Z');
const MODEL = 'face-api-1.7.15-recognition-dlibchip';

/** Embeddings at a chosen match score (1 − Euclidean distance): [0.1, …] and [0.1 + 1 − score, 0.1, …]. */
function embeddings(score: number): [number[], number[]] {
  const a = new Array(16).fill(0.1);
  const b = [...a];
  b[0] += 1 - score;
  return [a, b];
}

function face(embedding: number[] | null, livenessScore: number | null = 0.97): FaceCheckResult {
  return {
    code: null,
    problems: [],
    embedding,
    embeddingModel: embedding ? MODEL : null,
    liveness: livenessScore === null ? null : { score: livenessScore, logitDiff: Math.log(livenessScore / (1 - livenessScore)), model: 'minifas-test', ms: 1 },
    measurements: {},
    ms: 1,
  };
}

const GOOD = { lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' };

function input(over: Partial<VerificationInput> = {}, score = 0.6): VerificationInput {
  const [selfie, portrait] = embeddings(score);
  return {
    now: NOW,
    steps: ['document', 'face'],
    applicantForm: { firstName: 'Erika', lastName: 'Mustermann', dateOfBirth: '1984-08-12' },
    skipIntegrityCheck: false,
    front: passportPage(td3(GOOD), { portraitEmbedding: portrait, portraitEmbeddingModel: MODEL }),
    back: null,
    face: face(selfie),
    ...over,
  };
}

const byName = (factors: Factor[], name: FactorName) => factors.find((f) => f.name === name)!;
const policy = (p: Partial<VerificationPolicy> = {}): VerificationPolicy => ({ ...DEFAULT_VERIFICATION_THRESHOLDS, ...p });

test('a good session: every applicable factor HIGH, decision HIGH, AUTO_APPROVED', () => {
  const r = verify(input(), policy({ minAgeYears: 18 }));
  const levels = Object.fromEntries(r.factors.map((f) => [f.name, f.level]));
  assert.deepEqual(levels, {
    crossCheck: 'HIGH',
    documentExpiry: 'HIGH',
    fieldConsistency: 'UNKNOWN', // no printed text or barcode in this crafted page
    faceVerification: 'HIGH',
    faceLiveness: 'HIGH',
    documentLiveness: 'UNAVAILABLE',
    applicantIntegrity: 'HIGH',
    age: 'HIGH',
  });
  assert.equal(r.decision, 'HIGH');
  assert.deepEqual(r.reasons, []);
  assert.equal(statusOf(r.decision), 'AUTO_APPROVED');
  assert.equal(byName(r.factors, 'age').score, 41);
  assert.equal(byName(r.factors, 'crossCheck').score, 1);
});

test('expired document: documentExpiry LOW with days past, decision LOW (AUTO_REJECTED)', () => {
  const r = verify(input({ front: passportPage(td3({ ...GOOD, expiry: '260114' })) }), policy());
  const f = byName(r.factors, 'documentExpiry');
  assert.equal(f.level, 'LOW');
  assert.equal(f.score, -1);
  assert.equal(f.evidence.expirationDate, '2026-01-14');
  assert.equal(r.decision, 'LOW');
  assert.equal(statusOf(r.decision), 'AUTO_REJECTED');
  // Valid through its last day.
  assert.equal(byName(computeFactors(input({ front: passportPage(td3({ ...GOOD, expiry: '260115' })) }), policy()), 'documentExpiry').level, 'HIGH');
  // Expiring soon with a warning period: MEDIUM.
  assert.equal(byName(computeFactors(input({ front: passportPage(td3({ ...GOOD, expiry: '260201' })) }), policy({ expiryWarningDays: 30 })), 'documentExpiry').level, 'MEDIUM');
});

test('wrong check digit: crossCheck LOW naming the check, decision MEDIUM (review) by default', () => {
  const lines = td3Lines(GOOD);
  // Change the document number's check digit (position 9 of line 2).
  const l2 = lines[1]!;
  const wrong = l2.slice(0, 9) + String((Number(l2[9]) + 1) % 10) + l2.slice(10);
  const mrz = parseMrz([lines[0]!, wrong]);
  assert.equal(mrz.valid, false);
  const r = verify(input({ front: passportPage(mrz) }), policy());
  const f = byName(r.factors, 'crossCheck');
  assert.equal(f.level, 'LOW');
  assert.ok((f.evidence.failedChecks as string[]).some((c) => /documentNumber/.test(c)), JSON.stringify(f.evidence));
  assert.ok(f.score! < 1);
  assert.equal(r.decision, 'MEDIUM');
  // A tenant may make it reject.
  assert.equal(verify(input({ front: passportPage(mrz) }), policy({ rejectOnLow: ['crossCheck'] })).decision, 'LOW');
});

test('no MRZ read: crossCheck UNKNOWN, which blocks an automatic approval', () => {
  const r = verify(input({ front: passportPage(null, { portraitEmbedding: embeddings(0.9)[1], portraitEmbeddingModel: MODEL }) }), policy());
  assert.equal(byName(r.factors, 'crossCheck').level, 'UNKNOWN');
  assert.equal(byName(r.factors, 'documentExpiry').level, 'UNKNOWN');
  assert.equal(byName(r.factors, 'applicantIntegrity').level, 'UNKNOWN');
  assert.equal(r.decision, 'MEDIUM');
});

test('applicant integrity: diacritics transliterated the ICAO way and the plain way', () => {
  const mrzAe = td3({ ...GOOD, lastName: 'MUELLER', firstName: 'JOSEF' });
  const mrzA = td3({ ...GOOD, lastName: 'MULLER', firstName: 'JOSEF' });
  const form = { firstName: 'Josef', lastName: 'Müller', dateOfBirth: '1984-08-12' };
  for (const mrz of [mrzAe, mrzA]) {
    const f = byName(computeFactors(input({ applicantForm: form, front: passportPage(mrz) }), policy()), 'applicantIntegrity');
    assert.equal(f.level, 'HIGH', JSON.stringify(f.evidence));
  }
  // ß → SS, Ø → OE, hyphen and apostrophe as separators.
  const nordic = td3({ ...GOOD, lastName: 'SOERENSEN GROSS', firstName: 'ANNE MARIE' });
  const f = byName(computeFactors(input({ applicantForm: { lastName: 'Sørensen-Groß', firstName: 'Anne-Marie' }, front: passportPage(nordic) }), policy()), 'applicantIntegrity');
  assert.equal(f.level, 'HIGH', JSON.stringify(f.evidence));
});

test('applicant integrity: name mismatch without diacritics is LOW; a typo or a missing middle name is MEDIUM', () => {
  const other = byName(computeFactors(input({ applicantForm: { firstName: 'Erika', lastName: 'Schmidt' } }), policy()), 'applicantIntegrity');
  assert.equal(other.level, 'LOW');
  assert.equal(other.evidence.reason, 'APPLICANT_DATA_MISMATCH');
  const typo = byName(computeFactors(input({ applicantForm: { firstName: 'Erika', lastName: 'Mustermannn' } }), policy()), 'applicantIntegrity');
  assert.equal(typo.level, 'MEDIUM');
  const middle = byName(
    computeFactors(input({ applicantForm: { firstName: 'Anna', lastName: 'Eriksson' }, front: passportPage(td3({ ...GOOD, lastName: 'ERIKSSON', firstName: 'ANNA MARIA' })) }), policy()),
    'applicantIntegrity',
  );
  assert.equal(middle.level, 'MEDIUM');
  // A mismatch goes to review by default (not in rejectOnLow).
  const review = verify(input({ applicantForm: { lastName: 'Schmidt' } }), policy());
  assert.deepEqual([review.decision, review.reasons], ['MEDIUM', ['applicantIntegrity:LOW needs review']]);
});

test('applicant integrity: name mismatch with diacritics is LOW (Müller is not Miller)', () => {
  const f = byName(computeFactors(input({ applicantForm: { lastName: 'Müller' }, front: passportPage(td3({ ...GOOD, lastName: 'MILLERSON' })) }), policy()), 'applicantIntegrity');
  assert.equal(f.level, 'LOW');
});

test('applicant integrity: wrong birth date is LOW; skipIntegrityCheck makes it UNAVAILABLE', () => {
  const f = byName(computeFactors(input({ applicantForm: { lastName: 'Mustermann', dateOfBirth: '1984-08-13' } }), policy()), 'applicantIntegrity');
  assert.equal(f.level, 'LOW');
  const skipped = byName(computeFactors(input({ applicantForm: { lastName: 'Schmidt' }, skipIntegrityCheck: true }), policy()), 'applicantIntegrity');
  assert.equal(skipped.level, 'UNAVAILABLE');
  assert.equal(skipped.evidence.reason, 'SKIPPED_BY_INTEGRATOR');
  assert.equal(verify(input({ applicantForm: { lastName: 'Schmidt' }, skipIntegrityCheck: true }), policy()).decision, 'HIGH');
});

test('under-age: age LOW below the tenant minimum, decision LOW; born on the day 18 years ago is 18', () => {
  const young = td3({ ...GOOD, birth: '080116' }); // 17 until 2026-01-16
  const r = verify(input({ applicantForm: null, front: passportPage(young, { portraitEmbedding: embeddings(0.9)[1], portraitEmbeddingModel: MODEL }) }), policy({ minAgeYears: 18 }));
  const f = byName(r.factors, 'age');
  assert.equal(f.level, 'LOW');
  assert.equal(f.score, 17);
  assert.equal(f.evidence.birthDate, '2008-01-16');
  assert.equal(r.decision, 'LOW');
  const birthday = byName(computeFactors(input({ applicantForm: null, front: passportPage(td3({ ...GOOD, birth: '080115' })) }), policy({ minAgeYears: 18 })), 'age');
  assert.equal(birthday.level, 'HIGH');
  assert.equal(birthday.score, 18);
  // No minimum: UNAVAILABLE, not a guess.
  assert.equal(byName(computeFactors(input(), policy()), 'age').level, 'UNAVAILABLE');
});

test('mismatching faces: LOW below faceMatchLow rejects; between the thresholds MEDIUM; other models UNKNOWN', () => {
  const p = policy();
  const low = verify(input({}, p.faceMatchLow - 0.2), p);
  assert.equal(byName(low.factors, 'faceVerification').level, 'LOW');
  assert.equal(low.decision, 'LOW');
  const mid = verify(input({}, (p.faceMatchLow + p.faceMatchHigh) / 2), p);
  assert.equal(byName(mid.factors, 'faceVerification').level, 'MEDIUM');
  assert.equal(mid.decision, 'MEDIUM');
  const high = byName(computeFactors(input({}, p.faceMatchHigh), p), 'faceVerification');
  assert.equal(high.level, 'HIGH');
  assert.equal(high.score, p.faceMatchHigh);
  const otherModel = input();
  otherModel.face = { ...otherModel.face!, embeddingModel: 'another-model' };
  assert.equal(byName(computeFactors(otherModel, p), 'faceVerification').level, 'UNKNOWN');
  const noPortrait = byName(computeFactors(input({ front: passportPage(td3(GOOD)) }), p), 'faceVerification');
  assert.deepEqual([noPortrait.level, noPortrait.evidence.reason], ['UNKNOWN', 'NO_DOCUMENT_PORTRAIT']);
});

test('face liveness: P(live) below the threshold is LOW and sends to review; listed in rejectOnLow it rejects; not measured is UNAVAILABLE', () => {
  const p = policy();
  const live = byName(computeFactors(input(), p), 'faceLiveness');
  assert.deepEqual([live.level, live.score, live.evidence.threshold], ['HIGH', 0.97, p.livenessThreshold]);
  const attack = verify(input({ face: face(embeddings(0.6)[0], p.livenessThreshold - 0.01) }), p);
  const f = byName(attack.factors, 'faceLiveness');
  assert.deepEqual([f.level, f.evidence.reason], ['LOW', 'PRESENTATION_ATTACK_SUSPECTED']);
  assert.equal(attack.decision, 'MEDIUM');
  assert.deepEqual(attack.reasons, ['faceLiveness:LOW needs review']);
  assert.equal(verify(input({ face: face(embeddings(0.6)[0], 0.05) }), policy({ rejectOnLow: ['faceLiveness'] })).decision, 'LOW');
  const older = byName(computeFactors(input({ face: face(embeddings(0.6)[0], null) }), p), 'faceLiveness');
  assert.deepEqual([older.level, older.evidence.reason], ['UNAVAILABLE', 'NOT_MEASURED']);
});

test('replay: a selfie far more alike than two captures of one person, or the same picture, is the portrait shown again — not HIGH', () => {
  const p = policy();
  // By the match score.
  const byScore = verify(input({}, p.faceReuseAbove + 0.05), p);
  assert.deepEqual(
    [byName(byScore.factors, 'faceVerification').level, byName(byScore.factors, 'faceVerification').evidence.reason],
    ['MEDIUM', 'SELFIE_IS_DOCUMENT_PORTRAIT'],
  );
  assert.deepEqual([byName(byScore.factors, 'faceLiveness').level, byName(byScore.factors, 'faceLiveness').evidence.reason], ['LOW', 'PORTRAIT_REUSE']);
  assert.equal(byScore.decision, 'MEDIUM');
  assert.deepEqual(byScore.reasons, ['faceLiveness:LOW needs review', 'faceVerification:MEDIUM is required HIGH']);
  // By the pictures: a genuine-looking score, but the same 32 × 32 picture on both sides.
  const picture = Array.from({ length: 32 * 32 }, (_, i) => Math.round(128 + 100 * Math.sin(i / 7) * Math.cos(i / 37)));
  const same = input();
  same.face = { ...same.face!, faceSignature: picture };
  same.front = { ...same.front!, portraitSignature: picture };
  assert.equal(byName(computeFactors(same, p), 'faceLiveness').evidence.reason, 'PORTRAIT_REUSE');
  // Another picture of the same person: no replay.
  const other = input();
  other.face = { ...other.face!, faceSignature: picture.map((v, i) => (i % 3 === 0 ? 255 - v : v)) };
  other.front = { ...other.front!, portraitSignature: picture };
  assert.equal(byName(computeFactors(other, p), 'faceLiveness').level, 'HIGH');
  assert.equal(byName(computeFactors(other, p), 'faceVerification').level, 'HIGH');
});

test('field consistency: MRZ vs printed text vs barcode', () => {
  const viz = (texts: string[]) => ({ viz: texts.map((text) => ({ text, confidence: 0.9 })) });
  const mrz = td3(GOOD);
  const ok = byName(computeFactors(input({ front: passportPage(mrz, { details: viz(['MUSTERMANN', 'ERIKA', 'L898902C3']) }) }), policy()), 'fieldConsistency');
  assert.equal(ok.level, 'HIGH');
  const missing = byName(computeFactors(input({ front: passportPage(mrz, { details: viz(['SCHMIDT', 'L898902C3']) }) }), policy()), 'fieldConsistency');
  assert.equal(missing.level, 'MEDIUM');
  // The MRZ lines the OCR also read are not "printed text": the MRZ does not confirm itself.
  const onlyMrz = byName(computeFactors(input({ front: passportPage(mrz, { details: viz(mrz.lines) }) }), policy()), 'fieldConsistency');
  assert.equal(onlyMrz.level, 'UNKNOWN');
  const mrzAndViz = byName(computeFactors(input({ front: passportPage(mrz, { details: viz([...mrz.lines, 'MUSTERMANN']) }) }), policy()), 'fieldConsistency');
  assert.deepEqual([mrzAndViz.level, mrzAndViz.score], ['MEDIUM', 0.5]);
  const barcode = { barcodes: [{ aamva: { country: 'USA', fields: { documentNumber: 'X1234567', lastName: 'MUSTERMANN' } } }] };
  const clash = byName(computeFactors(input({ front: passportPage(mrz, { details: barcode }) }), policy()), 'fieldConsistency');
  assert.equal(clash.level, 'LOW');
  assert.equal(clash.evidence.reason, 'MACHINE_READABLE_FIELDS_DISAGREE');
});

test('a barcode-only driving licence: expiry and age from the AAMVA fields (MMDDCCYY)', () => {
  const details = { barcodes: [{ aamva: { country: 'USA', fields: { documentNumber: 'D123', lastName: 'DOE', firstName: 'JANE', birthDate: '01152010', expirationDate: '01142026' } } }] };
  const f = computeFactors(input({ applicantForm: { lastName: 'Doe', firstName: 'Jane', dateOfBirth: '2010-01-15' }, front: passportPage(null, { type: 'DRIVING_LICENCE', details }) }), policy({ minAgeYears: 18 }));
  assert.equal(byName(f, 'documentExpiry').level, 'LOW');
  assert.equal(byName(f, 'age').score, 16);
  assert.equal(byName(f, 'applicantIntegrity').level, 'HIGH');
});

test('a face-only session: document factors UNAVAILABLE, and with nothing required it goes to review', () => {
  const r = verify(input({ steps: ['face'], front: null }), policy());
  assert.equal(byName(r.factors, 'crossCheck').level, 'UNAVAILABLE');
  assert.equal(byName(r.factors, 'faceVerification').level, 'UNAVAILABLE');
  assert.equal(r.decision, 'MEDIUM');
  assert.ok(r.reasons.includes('no required factor applies'));
});

test('decide: rejectOnLow wins over review, required factors must be HIGH', () => {
  const f = (name: FactorName, level: Factor['level']): Factor => ({ name, level, score: null, evidence: {} });
  const p = policy({ requireHigh: ['crossCheck'], rejectOnLow: ['age'] });
  assert.equal(decide([f('crossCheck', 'HIGH'), f('age', 'LOW')], p).decision, 'LOW');
  assert.equal(decide([f('crossCheck', 'HIGH'), f('documentExpiry', 'LOW')], p).decision, 'MEDIUM');
  assert.equal(decide([f('crossCheck', 'UNKNOWN')], p).decision, 'MEDIUM');
  assert.equal(decide([f('crossCheck', 'HIGH'), f('faceLiveness', 'UNAVAILABLE'), f('fieldConsistency', 'UNKNOWN')], p).decision, 'HIGH');
  assert.equal(decide([f('crossCheck', 'HIGH'), f('fieldConsistency', 'MEDIUM')], p).decision, 'MEDIUM');
});

test('parsePolicy validates operator input', () => {
  assert.deepEqual(parsePolicy(undefined), DEFAULT_VERIFICATION_THRESHOLDS);
  assert.equal(parsePolicy({ minAgeYears: 21 }).minAgeYears, 21);
  assert.throws(() => parsePolicy({ faceMatchHigh: 2 }), /faceMatchHigh/);
  assert.throws(() => parsePolicy({ faceMatchLow: 0.9, faceMatchHigh: 0.5 }), /faceMatchLow/);
  assert.throws(() => parsePolicy({ faceReuseAbove: 0.4 }), /faceReuseAbove/);
  assert.throws(() => parsePolicy({ livenessThreshold: -0.1 }), /livenessThreshold/);
  assert.equal(parsePolicy({ livenessThreshold: 0.5 }).livenessThreshold, 0.5);
  assert.throws(() => parsePolicy({ requireHigh: ['nope'] }), /requireHigh/);
  assert.throws(() => parsePolicy({ minAgeYears: 17.5 }), /minAgeYears/);
});
