import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { parseAamva, readDocumentBarcodes } from '../../src/server/vision/barcode/index.js';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { aamvaText } from '../../scripts/make-specimens.js';

const fixture = (name: string) => new URL(`../fixtures/documents/${name}`, import.meta.url);

test('parses an AAMVA 2016 driving-licence record: kind, jurisdiction, fields', () => {
  const a = parseAamva(aamvaText());
  assert.ok(a);
  assert.equal(a.iin, '636014');
  assert.equal(a.aamvaVersion, 8);
  assert.deepEqual(a.subfileTypes, ['DL']);
  assert.equal(a.documentKind, 'DRIVING_LICENCE');
  assert.equal(a.country, 'USA');
  assert.equal(a.jurisdiction?.code, 'CA');
  assert.equal(a.fields.documentNumber, 'I1234568');
  assert.equal(a.fields.lastName, 'SAMPLE');
  assert.equal(a.fields.firstName, 'JANE');
  assert.equal(a.fields.birthDate, '08311977');
  assert.equal(a.fields.expirationDate, '08312030');
});

test('an ID-card subfile is an identity card; a Canadian IIN or DAJ gives CAN', () => {
  const id = aamvaText()
    .replace(/(ANSI \d{12})DL/, '$1ID')
    .replace('DLDCA', 'IDDCA')
    .replace('636014', '636012')
    .replace('DCGUSA', 'DCGCAN');
  const a = parseAamva(id);
  assert.ok(a);
  assert.equal(a.documentKind, 'IDENTITY_CARD');
  assert.equal(a.country, 'CAN');
  const noCountry = parseAamva(aamvaText().replace('DCGUSA\n', '').replace('636014', '999999').replace('DAJCA', 'DAJQC'));
  assert.equal(noCountry?.country, 'CAN');
});

test('text that is not AAMVA is refused', () => {
  assert.equal(parseAamva('https://example.org/qr'), null);
  assert.equal(parseAamva('@\n\x1e\rANSI 63601408'), null);
  assert.equal(parseAamva(''), null);
});

test('reads the PDF417 of the generated licence back from a photo, with the local zxing wasm', async () => {
  const img = await decodeImage(await readFile(fixture('usa_dl_back_photo.jpg')), 1600);
  const codes = await readDocumentBarcodes(img);
  const pdf = codes.find((c) => c.format === 'PDF417');
  assert.ok(pdf, `no PDF417 found: ${JSON.stringify(codes.map((c) => c.format))}`);
  assert.equal(pdf.aamva?.fields.documentNumber, 'I1234568');
  assert.equal(pdf.aamva?.documentKind, 'DRIVING_LICENCE');
});

test('finds no barcode in an image without one', async () => {
  const img = await decodeImage(await readFile(fixture('not_document_landscape.jpg')), 1600);
  assert.deepEqual(await readDocumentBarcodes(img), []);
  const blank = await decodeImage(await sharp({ create: { width: 300, height: 200, channels: 3, background: '#fff' } }).png().toBuffer(), 1600);
  assert.deepEqual(await readDocumentBarcodes(blank), []);
});
