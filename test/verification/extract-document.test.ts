/** One document from its pages, normalised (src/server/verification/extract-document.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DERIVED_CONFIDENCE, extractDocument, printedSpelling, splitMrzNames, unmarkedVariants } from '../../src/server/verification/extract-document.js';
import { mrzDate, ymdString } from '../../src/server/verification/document-data.js';
import { parseMrz } from '../../src/server/vision/mrz/parse.js';
import { cardPage, passportPage, td1, td1Lines, td3 } from './mrz-builder.js';

const NOW = Date.parse('2026-01-15T10:00:00Z');
const viz = (...texts: string[]) => ({ viz: texts.map((text) => ({ text, confidence: 0.97, box: { x: 0, y: 0, width: 10, height: 2 } })) });

test('a passport: every field normalised, ISO dates, with source, page and confidence', () => {
  const d = extractDocument(passportPage(td3({ lastName: 'ERIKSSON', firstName: 'ANNA MARIA', birth: '740812', expiry: '320415', number: 'L898902C3', personal: 'ZE184226B' })), null, NOW);
  assert.equal(d.type, 'PASSPORT');
  assert.equal(d.country, 'UTO');
  assert.deepEqual(d.number, { value: 'L898902C3', source: 'MRZ', page: 'FRONT', confidence: DERIVED_CONFIDENCE.checkDigitVerified });
  assert.equal(d.dateOfBirth?.value, '1974-08-12');
  assert.equal(d.dateOfExpiry?.value, '2032-04-15');
  assert.equal(d.dateOfIssue, null);
  assert.deepEqual(d.surname, { value: 'ERIKSSON', icao: 'ERIKSSON', source: 'MRZ', page: 'FRONT', confidence: DERIVED_CONFIDENCE.uncheckedInValidMrz });
  assert.equal(d.givenNames?.value, 'ANNA MARIA');
  assert.equal(d.sex?.value, 'F');
  assert.equal(d.issuingState?.value, 'UTO');
  assert.equal(d.nationality?.value, 'UTO');
  assert.equal(d.personalNumber?.value, 'ZE184226B');
  assert.deepEqual(d.machineReadable, [{ page: 'FRONT', kind: 'MRZ', format: 'TD3', valid: true }]);
});

test('the century rule: a birth date is the latest not in the future; an expiry within 50 years of today', () => {
  const birth = (yymmdd: string) => ymdString(mrzDate(yymmdd, 'birth', NOW)!);
  const expiry = (yymmdd: string) => ymdString(mrzDate(yymmdd, 'expiry', NOW)!);
  assert.equal(birth('711221'), '1971-12-21');
  assert.equal(birth('260115'), '2026-01-15', 'born today');
  assert.equal(birth('260116'), '1926-01-16', 'tomorrow would be in the future');
  assert.equal(birth('000229'), '2000-02-29');
  assert.equal(mrzDate('010229', 'birth', NOW), null, 'no 29 February in 2001 or 1901');
  assert.equal(expiry('760115'), '2076-01-15', '50 years ahead');
  assert.equal(expiry('770101'), '1977-01-01', 'more than 50 years ahead: last century');
  assert.equal(expiry('120415'), '2012-04-15');
  assert.equal(mrzDate('7108<4', 'birth', NOW), null);
});

test('names: fillers split surname and given names; a name filling its field may be truncated', () => {
  assert.deepEqual(splitMrzNames('ERIKSSON<<ANNA<MARIA<<<<<<<<<<'), { surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
  assert.deepEqual(splitMrzNames('VAN<DER<BERG<<JAN<<<<<<<<<<<<<'), { surname: 'VAN DER BERG', givenNames: 'JAN' });
  assert.deepEqual(splitMrzNames('SPECIMEN<<<<<<<<<<<<<<<<<<<<<<'), { surname: 'SPECIMEN', givenNames: '' });
  const full = td1({ state: 'UTO', number: 'D23145890', birth: '740812', expiry: '320415', names: 'WOLFESCHLEGELSTEINHAUSEN<<HUBE' });
  const d = extractDocument(cardPage('BACK', full), null, NOW);
  assert.equal(d.surname?.icao, 'WOLFESCHLEGELSTEINHAUSEN');
  assert.equal(d.givenNames?.icao, 'HUBE');
  assert.equal(d.givenNames?.confidence, DERIVED_CONFIDENCE.uncheckedInInvalidMrz, 'reaches the end of the field: maybe truncated');
  assert.equal(extractDocument(cardPage('BACK', td1({ state: 'UTO', number: 'D23145890', birth: '740812', expiry: '320415', names: 'DOE<<JOHN' })), null, NOW).givenNames?.confidence, DERIVED_CONFIDENCE.uncheckedInValidMrz);
});

test("names: the document's Latin form from the printed text, the ICAO form from the MRZ", () => {
  const mrz = td1({ code: 'ID', state: 'D', number: 'T22000129', birth: '830812', expiry: '310101', nationality: 'D', names: 'MUELLER<<JOERG<KLAUS' });
  const front = cardPage('FRONT', null, { country: 'DEU', details: viz('BUNDESREPUBLIK DEUTSCHLAND', 'MÜLLER', 'Jörg Klaus', 'T22000129') });
  const d = extractDocument(front, cardPage('BACK', mrz, { country: 'DEU' }), NOW);
  assert.deepEqual(d.surname, { value: 'MÜLLER', icao: 'MUELLER', source: 'VIZ', page: 'FRONT', confidence: DERIVED_CONFIDENCE.confirmedByPrintedText });
  assert.deepEqual(d.givenNames, { value: 'JÖRG KLAUS', icao: 'JOERG KLAUS', source: 'VIZ', page: 'FRONT', confidence: DERIVED_CONFIDENCE.confirmedByPrintedText });
  assert.equal(d.issuingState?.value, 'DEU', "Germany's MRZ code D is DEU in ISO 3166");
  assert.equal(d.nationality?.value, 'DEU');
  assert.equal(d.country, 'DEU');
  // The plain spelling many issuers print (Nováková for NOVAKOVA) is found too; a misread is not.
  assert.equal(printedSpelling('NOVAKOVA', [{ text: 'Příjmení / Surname NOVÁKOVÁ', confidence: 0.9, page: 'FRONT' }])?.text, 'NOVÁKOVÁ');
  assert.equal(printedSpelling('ERIKSSON', [{ text: 'ERIKKSON, ANNA MARIA', confidence: 0.9, page: 'FRONT' }]), null);
});

test('pages fused: the back gives the front its missing country, number and names', () => {
  const front = cardPage('FRONT', null, { type: 'RESIDENCE_PERMIT', country: null, details: { headers: [{ phrase: 'AUFENTHALTSTITEL' }] } });
  const back = cardPage('BACK', td1({ code: 'AR', state: 'D', number: 'Y00013456', birth: '900101', expiry: '300630', nationality: 'UTO', names: 'DOE<<JOHN' }), { type: 'RESIDENCE_PERMIT', country: 'DEU' });
  const d = extractDocument(front, back, NOW);
  assert.equal(d.type, 'RESIDENCE_PERMIT');
  assert.equal(d.country, 'DEU');
  assert.equal(d.isTwoSideDocument, true);
  assert.equal(d.number?.value, 'Y00013456');
  assert.equal(d.number?.page, 'BACK');
  assert.equal(d.surname?.value, 'DOE');
  assert.equal(d.nationality?.value, 'UTO');
  // A header on the front beats a generic card code on the back; a specific code beats both.
  const generic = cardPage('BACK', td1({ code: 'I<', state: 'D', number: 'Y00013456', birth: '900101', expiry: '300630', names: 'DOE<<JOHN' }), { type: 'IDENTITY_CARD', country: 'DEU' });
  assert.equal(extractDocument(front, generic, NOW).type, 'RESIDENCE_PERMIT');
});

test('confidence: a failing check digit and a doubtful field lower it; the reader’s own per-field confidence is used when given', () => {
  const lines = td1Lines({ state: 'UTO', number: 'D23145890', birth: '740812', expiry: '320415', names: 'ERIKSSON<<ANNA' });
  const good = parseMrz(lines);
  // (A changed digit would not do: the parser corrects look-alikes until a check verifies — the
  // one-in-ten chance pass the derived confidence allows for.)
  const bad = { ...good, valid: false, fields: { ...good.fields, checks: { ...good.fields.checks, documentNumber: { ...good.fields.checks.documentNumber!, valid: false } } } };
  const d = extractDocument(cardPage('BACK', bad), null, NOW);
  assert.equal(d.number?.confidence, DERIVED_CONFIDENCE.checkDigitFailed);
  assert.equal(d.surname?.confidence, DERIVED_CONFIDENCE.uncheckedInInvalidMrz);
  assert.equal(d.dateOfBirth?.confidence, DERIVED_CONFIDENCE.checkDigitVerified);
  const withReader = { ...good, fields: { ...good.fields, fieldConfidence: { lastName: 0.42, documentNumber: 0.97 }, doubtfulFields: ['birthDate'] } };
  const r = extractDocument(cardPage('BACK', withReader), null, NOW);
  assert.equal(r.surname?.confidence, 0.42);
  assert.equal(r.number?.confidence, 0.97);
  assert.equal(r.dateOfBirth?.confidence, DERIVED_CONFIDENCE.doubtful);
});

const AAMVA = {
  barcodes: [
    {
      format: 'PDF417',
      aamva: {
        country: 'USA',
        fields: { documentNumber: 'I1234568', lastName: 'SAMPLE', firstName: 'JANE', middleName: 'Q', birthDate: '08311977', expirationDate: '08312030', issueDate: '08312022', sex: '2' },
      },
    },
  ],
};

test('AAMVA barcode fields fill the same block for a US licence (MMDDCCYY dates, sex 1/2/9)', () => {
  const front = cardPage('FRONT', null, { type: 'DRIVING_LICENCE', country: null, details: viz('DRIVER LICENSE', 'SAMPLE', 'JANE', 'DL I1234568') });
  const back = cardPage('BACK', null, { type: 'DRIVING_LICENCE', country: 'USA', details: AAMVA });
  const d = extractDocument(front, back, NOW);
  assert.equal(d.type, 'DRIVING_LICENCE');
  assert.equal(d.country, 'USA');
  assert.deepEqual(d.number, { value: 'I1234568', source: 'BARCODE', page: 'BACK', confidence: DERIVED_CONFIDENCE.barcode });
  assert.equal(d.dateOfBirth?.value, '1977-08-31');
  assert.equal(d.dateOfExpiry?.value, '2030-08-31');
  assert.equal(d.dateOfIssue?.value, '2022-08-31');
  assert.equal(d.sex?.value, 'F');
  assert.equal(d.surname?.value, 'SAMPLE');
  assert.equal(d.surname?.source, 'VIZ');
  assert.equal(d.givenNames?.icao, 'JANE Q');
  assert.deepEqual(d.machineReadable, [{ page: 'BACK', kind: 'BARCODE', format: 'PDF417', valid: true }]);
  assert.deepEqual(d.checks, [
    { field: 'number', between: 'BARCODE BACK / printed text', agree: true, strong: false },
    { field: 'surname', between: 'BARCODE BACK / printed text', agree: true, strong: false },
  ]);
  // Canada encodes CCYYMMDD.
  const can = cardPage('BACK', null, { details: { barcodes: [{ aamva: { country: 'CAN', fields: { birthDate: '19770831' } } }] } });
  assert.equal(extractDocument(null, can, NOW).dateOfBirth?.value, '1977-08-31');
});

test('cross-field checks: MRZ against barcode and against the printed text', () => {
  const mrz = td1({ code: 'I<', state: 'USA', number: 'I1234568', birth: '770831', expiry: '300831', names: 'SAMPLE<<JANE' });
  const page = cardPage('BACK', mrz, { details: { ...AAMVA, ...viz('SAMPLE JANE', 'NO I1234568') } });
  const agree = extractDocument(null, page, NOW).checks;
  assert.ok(agree.every((c) => c.agree), JSON.stringify(agree));
  assert.deepEqual(
    agree.map((c) => `${c.field}:${c.between}:${c.strong}`),
    [
      'number:MRZ BACK / BARCODE BACK:true',
      'surname:MRZ BACK / BARCODE BACK:true',
      'dateOfBirth:MRZ BACK / BARCODE BACK:true',
      'dateOfExpiry:MRZ BACK / BARCODE BACK:true',
      'number:BARCODE BACK / printed text:false',
      'surname:BARCODE BACK / printed text:false',
    ],
  );
  const other = structuredClone(AAMVA);
  other.barcodes[0]!.aamva.fields.birthDate = '08311978';
  const disagree = extractDocument(null, cardPage('BACK', mrz, { details: other }), NOW).checks;
  assert.deepEqual(disagree.filter((c) => !c.agree).map((c) => c.field), ['dateOfBirth']);
});

test('nothing machine-readable: type and country only, every field null', () => {
  const d = extractDocument(cardPage('FRONT', null, { country: 'SWE', details: viz('SVERIGE', 'IDENTITETSKORT') }), null, NOW);
  assert.equal(d.country, 'SWE');
  for (const f of ['number', 'surname', 'givenNames', 'dateOfBirth', 'dateOfExpiry', 'sex'] as const) assert.equal(d[f], null, f);
  assert.deepEqual(d.checks, []);
});

test('printed text read without its marks still confirms an ICAO name (MÜLLER read MULLER for MUELLER)', () => {
  assert.deepEqual(unmarkedVariants('MUELLER').sort(), ['MUELLER', 'MULLER']);
  assert.deepEqual(unmarkedVariants('GOETHE').sort(), ['GOETHE', 'GOTHE']);
  assert.equal(unmarkedVariants('AEAEAEAEAE').length, 16, 'at most 2^4 spellings');
  const mrz = td1({ code: 'AR', state: 'D', number: 'Y00013456', birth: '830812', expiry: '300630', names: 'MUELLER<<JOERG' });
  const d = extractDocument(cardPage('FRONT', null, { details: viz('MULLER', 'JORG') }), cardPage('BACK', mrz), NOW);
  assert.deepEqual(d.checks.find((c) => c.field === 'surname'), { field: 'surname', between: 'MRZ BACK / printed text', agree: true, strong: false });
  assert.equal(d.surname?.value, 'MUELLER', 'the Latin form cannot be recovered from an unmarked read: the ICAO form stays');
  const other = extractDocument(cardPage('FRONT', null, { details: viz('MILLER') }), cardPage('BACK', mrz), NOW);
  assert.equal(other.checks.find((c) => c.field === 'surname')?.agree, false);
});
