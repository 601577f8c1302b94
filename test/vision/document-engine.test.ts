/**
 * Golden tests of the document engine with the real models (OCR, face detector, zxing) on the
 * generated specimens of test/fixtures/documents (see its README), plus bad input.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';
import { CodedError } from '../../src/shared/errors.js';

type Engine = ReturnType<typeof createDocumentEngine>;
let engine: Engine;
before(async () => {
  engine = createDocumentEngine(await loadDocumentModels());
});

const fixture = (name: string) => readFile(new URL(`../fixtures/documents/${name}`, import.meta.url));

const PASSPORT_MRZ = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const ID_MRZ = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

interface Golden {
  file: string;
  type: string;
  country: string;
  pageSide: 'FRONT' | 'BACK';
  twoSided: boolean;
  /** Lines that must be read exactly (check-digit lines always; names only on clean scans). */
  mrz?: Array<string | null>;
  portrait: boolean;
}

const GOLDEN: Golden[] = [
  { file: 'uto_passport_scan.jpg', type: 'PASSPORT', country: 'UTO', pageSide: 'FRONT', twoSided: false, mrz: PASSPORT_MRZ, portrait: true },
  { file: 'uto_passport_photo_rot90.jpg', type: 'PASSPORT', country: 'UTO', pageSide: 'FRONT', twoSided: false, mrz: [null, PASSPORT_MRZ[1]!], portrait: true },
  { file: 'uto_passport_photo_rot180_glare.jpg', type: 'PASSPORT', country: 'UTO', pageSide: 'FRONT', twoSided: false, mrz: [null, PASSPORT_MRZ[1]!], portrait: true },
  { file: 'uto_id_front_photo_tilt.jpg', type: 'IDENTITY_CARD', country: 'UTO', pageSide: 'FRONT', twoSided: true, portrait: true },
  { file: 'uto_id_back_photo_shear.jpg', type: 'IDENTITY_CARD', country: 'UTO', pageSide: 'BACK', twoSided: true, mrz: [ID_MRZ[0]!, ID_MRZ[1]!, null], portrait: false },
  { file: 'uto_id_back_small_scan.jpg', type: 'IDENTITY_CARD', country: 'UTO', pageSide: 'BACK', twoSided: true, mrz: [ID_MRZ[0]!, ID_MRZ[1]!, null], portrait: false },
  { file: 'uto_residence_permit_back_scan.jpg', type: 'RESIDENCE_PERMIT', country: 'UTO', pageSide: 'BACK', twoSided: true, mrz: ['IRUTORP12345672<<<<<<<<<<<<<<<', '8502142M3107221XXA<<<<<<<<<<<4', null], portrait: false },
  { file: 'usa_dl_front_photo.jpg', type: 'DRIVING_LICENCE', country: 'USA', pageSide: 'FRONT', twoSided: true, portrait: true },
  { file: 'usa_dl_back_photo.jpg', type: 'DRIVING_LICENCE', country: 'USA', pageSide: 'BACK', twoSided: true, portrait: false },
];

for (const g of GOLDEN) {
  test(`golden: ${g.file} → ${g.type} ${g.country} ${g.pageSide}`, async () => {
    const r = await engine.analyzeDocument(await fixture(g.file));
    const d = r.details as { evidence: string[] };
    const why = JSON.stringify({ evidence: d.evidence, portrait: (r.details as Record<string, unknown>).portrait, faces: (r.details as Record<string, unknown>).facesFound, rot: (r.details as Record<string, unknown>).rotationDeg });
    assert.equal(r.error, null, why);
    assert.deepEqual([r.type, r.country, r.pageSide, r.isTwoSideDocument], [g.type, g.country, g.pageSide, g.twoSided], why);
    if (g.mrz) {
      assert.ok(r.mrz, 'MRZ expected');
      assert.ok(Object.values(r.mrz.fields.checks as Record<string, { valid: boolean }>).every((c) => c.valid), 'every check digit verifies');
      // valid = checks verify and no field is doubtful (names carry no check digit).
      assert.equal(r.mrz.valid, (r.mrz.fields.doubtfulFields as string[]).length === 0);
      assert.ok((r.mrz.fields.doubtfulFields as string[]).every((f) => f === 'lastName' || f === 'firstName'), 'only a name may be doubtful on these clean specimens');
      g.mrz.forEach((line, i) => {
        if (line !== null) assert.equal(r.mrz!.lines[i], line);
      });
    } else {
      assert.equal(r.mrz, null);
    }
    if (g.portrait) {
      assert.ok(r.portraitEmbedding && r.portraitEmbedding.length > 0, 'portrait embedding expected');
      assert.ok(r.portraitEmbeddingModel);
      const crop = Buffer.from((r.details as { portrait: { cropJpegBase64: string } }).portrait.cropJpegBase64, 'base64');
      const meta = await sharp(crop).metadata();
      assert.equal(meta.format, 'jpeg');
      assert.ok(meta.height! > meta.width!, 'portrait crop is upright (taller than wide)');
    }
  });
}

test('the licence back carries its AAMVA data in details', async () => {
  const r = await engine.analyzeDocument(await fixture('usa_dl_back_photo.jpg'));
  const barcodes = (r.details as { barcodes: Array<{ aamva: { fields: Record<string, string> } | null }> }).barcodes;
  assert.equal(barcodes[0]?.aamva?.fields.documentNumber, 'I1234568');
});

test('a passport page whose portrait is blanked out → FACE_QUALITY_LOW (classification kept)', async () => {
  const scan = await fixture('uto_passport_scan.jpg');
  // The portrait sits at 55–355 × 150–535 px of the 1250-px page; the scan is 1000 px wide.
  const blank = await sharp({ create: { width: 250, height: 312, channels: 3, background: '#f3efe4' } }).png().toBuffer();
  const covered = await sharp(scan).composite([{ input: blank, left: 42, top: 118 }]).jpeg().toBuffer();
  const r = await engine.analyzeDocument(covered);
  assert.equal(r.error, 'FACE_QUALITY_LOW');
  assert.deepEqual([r.type, r.country, r.pageSide], ['PASSPORT', 'UTO', 'FRONT']);
  assert.equal(r.portraitEmbedding, null);
});

test('bad input: a landscape is not a document', async () => {
  const r = await engine.analyzeDocument(await fixture('not_document_landscape.jpg'));
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED');
  assert.deepEqual([r.type, r.country, r.pageSide, r.isTwoSideDocument], [null, null, null, null]);
});

test('bad input: a selfie is not a document', async () => {
  // One face from the MIT-licensed face-api sample photos, cropped like a selfie.
  const selfie = await sharp(new URL('../../node_modules/@vladmandic/face-api/demo/sample1.jpg', import.meta.url).pathname)
    .extract({ left: 1200, top: 60, width: 700, height: 900 })
    .jpeg()
    .toBuffer();
  const r = await engine.analyzeDocument(selfie);
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED');
});

test('bad input: a blank page is not a document', async () => {
  const blank = await sharp({ create: { width: 1240, height: 1754, channels: 3, background: '#fdfdfd' } }).jpeg().toBuffer();
  const r = await engine.analyzeDocument(blank);
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED');
});

test('bad input: a truncated file is refused with IMAGE_UNDECODABLE, not a crash', async () => {
  const bytes = await fixture('uto_passport_scan.jpg');
  await assert.rejects(engine.analyzeDocument(bytes.subarray(0, Math.floor(bytes.length / 3))), (err: unknown) => err instanceof CodedError && err.code === 'IMAGE_UNDECODABLE');
  await assert.rejects(engine.analyzeDocument(new Uint8Array(0)), (err: unknown) => err instanceof CodedError && err.code === 'IMAGE_UNDECODABLE');
});

test('sides without an MRZ are found at any right-angle rotation (text direction turns the page upright)', async () => {
  const front = await sharp(await fixture('uto_id_front_photo_tilt.jpg')).rotate(90).jpeg().toBuffer();
  const f = await engine.analyzeDocument(front);
  assert.deepEqual([f.error, f.type, f.country, f.pageSide], [null, 'IDENTITY_CARD', 'UTO', 'FRONT']);
  assert.ok(f.portraitEmbedding);
  const back = await sharp(await fixture('usa_dl_back_photo.jpg')).rotate(180).jpeg().toBuffer();
  const b = await engine.analyzeDocument(back);
  assert.deepEqual([b.error, b.type, b.country, b.pageSide], [null, 'DRIVING_LICENCE', 'USA', 'BACK']);
});

/** An image drawn here (SVG rendered by sharp, DejaVu fonts): nothing is copied from elsewhere. */
const drawn = (w: number, h: number, body: string) => sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`)).jpeg({ quality: 90 }).toBuffer();

test('not a document: a closed passport cover (state name, title, emblem; no MRZ) → DOCUMENT_NOT_RECOGNIZED', async () => {
  const gold = 'fill="#d8b75a" font-family="DejaVu Serif" text-anchor="middle" font-weight="bold"';
  const cover = await drawn(
    880,
    1250,
    `<rect width="880" height="1250" fill="#5a1222"/><text x="440" y="240" font-size="64" ${gold}>UTOPIA</text>` +
      `<circle cx="440" cy="620" r="170" fill="none" stroke="#d8b75a" stroke-width="14"/><circle cx="440" cy="620" r="90" fill="#d8b75a"/>` +
      `<text x="440" y="1000" font-size="84" ${gold}>PASSPORT</text><text x="440" y="1090" font-size="44" ${gold}>PASSEPORT</text>`,
  );
  const r = await engine.analyzeDocument(cover);
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED', JSON.stringify((r.details as { evidence: string[] }).evidence));
  assert.equal(r.mrz, null);
});

test('not a document: a screen of text that names documents (no portrait, MRZ or barcode) → DOCUMENT_NOT_RECOGNIZED', async () => {
  const para = [
    'IDENTITY CARD RENEWAL',
    'To renew your national identity card, book an appointment',
    'at your town hall. Bring your old identity card, a recent',
    'photo and proof of address. Passports are renewed online.',
    'Processing takes four to six weeks. Fees are listed below.',
    'Lost cards must be reported to the police before renewal.',
  ];
  const body =
    `<rect width="1280" height="800" fill="#ffffff"/><rect width="1280" height="90" fill="#1b4f9c"/>` +
    para.map((t, i) => `<text x="80" y="${200 + i * 80}" font-size="${i === 0 ? 52 : 34}" font-family="DejaVu Sans" fill="#222">${t}</text>`).join('');
  const r = await engine.analyzeDocument(await drawn(1280, 800, body));
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED', JSON.stringify((r.details as { evidence: string[] }).evidence));
});
