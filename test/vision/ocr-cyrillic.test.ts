/**
 * The Cyrillic line reader (src/server/vision/ocr/cyrillic.ts) and the document engine's Cyrillic
 * fallback (document/cyrillic-fallback.ts), on images rendered at test time: SVG text in DejaVu
 * Sans/Serif (Debian fonts-dejavu-core, installed by .ci/run) rendered by sharp, and a portrait
 * cropped from the MIT-licensed face-api demo photo sample1.jpg.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import sharp, { type OverlayOptions } from 'sharp';
import { loadOcr, type Ocr, type RgbImage } from '../../src/server/vision/ocr/index.js';
import { cyrillicDataDir, loadCyrillicReader, type CyrillicReader } from '../../src/server/vision/ocr/cyrillic.js';
import { findPhrases } from '../../src/server/vision/document/text-match.js';
import { COUNTRY_NAMES, HEADER_RULES } from '../../src/server/vision/document/families.js';
import { DEFAULT_DOCUMENT_CONFIG } from '../../src/server/vision/document/config.js';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';

const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

let ocr: Ocr;
let reader: CyrillicReader;
let engine: ReturnType<typeof createDocumentEngine>;
before(async () => {
  assert.ok(existsSync(FONT_FILE), `${FONT_FILE} missing: install the Debian package fonts-dejavu-core (.ci/run does)`);
  [ocr, reader] = await Promise.all([loadOcr(), loadCyrillicReader()]);
  engine = createDocumentEngine(await loadDocumentModels());
});
after(async () => {
  await reader.close();
});

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&#39;');

interface Text {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
  serif?: boolean;
  anchor?: 'start' | 'middle';
}
const svgText = (t: Text) =>
  `<text x="${t.x}" y="${t.y}" font-family="${t.serif ? 'DejaVu Serif' : 'DejaVu Sans'}" font-size="${t.size}" font-weight="${t.bold ? 'bold' : 'normal'}" text-anchor="${t.anchor ?? 'start'}" fill="#1d2733">${esc(t.text)}</text>`;

/** One line of text on a plain background, as packed RGB. */
async function lineImage(text: string, size: number, serif = false): Promise<RgbImage> {
  const width = Math.round(text.length * size * 0.9) + 80;
  const height = Math.round(size * 2.4);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#eef1e6"/>${svgText({ text, x: 40, y: Math.round(size * 1.55), size, bold: true, serif })}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height };
}

/** Detector boxes (any script) → the reader, as the engine does. */
async function readRendered(text: string, size: number, serif = false): Promise<string> {
  const image = await lineImage(text, size, serif);
  const lines = await ocr.readLines(image, { minReadAspect: Number.POSITIVE_INFINITY }); // geometry only
  assert.ok(lines.length >= 1, `detector found no line in "${text}"`);
  const reads = await reader.readLines(image, lines.map((l) => l.quad!));
  return reads.map((r) => r.text).join(' ');
}

// What a match means: a header's type (and country), a country name's code.
const TABLE = [
  ...HEADER_RULES.map((r) => ({ item: `${r.type}${r.country ? ` ${r.country}` : ''}`, phrase: r.phrase })),
  ...COUNTRY_NAMES.flatMap((c) => c.names.map((n) => ({ item: c.code, phrase: n }))),
];
const matched = (s: string) => findPhrases([s], TABLE, DEFAULT_DOCUMENT_CONFIG.fuzzyEditsPer8Chars).map((h) => h.item);

test('the traineddata is read from node_modules (local folder, not a URL)', () => {
  const dir = cyrillicDataDir();
  assert.ok(existsSync(`${dir}/ukr.traineddata.gz`), dir);
  assert.ok(!/^[a-z]+:\/\//i.test(dir), dir);
});

// Headers of the tables in Ukrainian, Russian, Belarusian, Bulgarian, Kyrgyz: the Ukrainian model
// reads letters it lacks as look-alikes (Ы → ЬІ, restored; Ъ → Ь; Э → З), within the matcher's
// edit allowance.
const HEADERS: Array<[string, number, boolean, string]> = [
  ['УКРАЇНА', 40, false, 'UKR'],
  ['ПАСПОРТ ГРОМАДЯНИНА УКРАЇНИ', 28, false, 'IDENTITY_CARD UKR'],
  ['РЕСПУБЛИКА БЕЛАРУСЬ', 30, true, 'BLR'],
  ['РЭСПУБЛІКА БЕЛАРУСЬ', 30, false, 'BLR'],
  ['РОССИЙСКАЯ ФЕДЕРАЦИЯ', 26, true, 'RUS'],
  ['ВОДИТЕЛЬСКОЕ УДОСТОВЕРЕНИЕ', 30, false, 'DRIVING_LICENCE'],
  ['РЕПУБЛИКА БЪЛГАРИЯ', 30, false, 'BGR'],
  ['ЛИЧНА КАРТА', 34, true, 'IDENTITY_CARD'],
  ['КЫРГЫЗ РЕСПУБЛИКАСЫ', 30, false, 'KGZ'],
];
for (const [phrase, size, serif, meaning] of HEADERS) {
  test(`reads "${phrase}" (${serif ? 'serif' : 'sans'}, ${size} px) well enough to match the tables (${meaning})`, async () => {
    const text = await readRendered(phrase, size, serif);
    assert.deepEqual(matched(text), [meaning], `read "${text}"`);
  });
}

test('a blank strip gives no confident text (and the reader keeps working)', async () => {
  const blank: RgbImage = { rgb: Buffer.alloc(400 * 60 * 3, 240), width: 400, height: 60 };
  const quad = [{ x: 0, y: 0 }, { x: 400, y: 0 }, { x: 400, y: 60 }, { x: 0, y: 60 }] as Parameters<CyrillicReader['readLines']>[1][number];
  const [r] = await reader.readLines(blank, [quad]);
  // The LSTM may hallucinate a letter or two on a blank strip; what matters is that the engine
  // ignores it (below the confidence floor of every text line).
  assert.ok(r!.text === '' || r!.confidence < DEFAULT_DOCUMENT_CONFIG.textMinConfidence, JSON.stringify(r));
  assert.match(await readRendered('УКРАЇНА', 40), /УКРАЇНА/);
});

test('the Latin recogniser alone does not read these headers (why the fallback exists)', async () => {
  const image = await lineImage('РЕСПУБЛИКА БЕЛАРУСЬ', 30);
  const lines = await ocr.readLines(image);
  const latin = lines.map((l) => l.text).join(' ');
  assert.deepEqual(matched(latin), [], `PaddleOCR read "${latin}"`);
});

/** A portrait cut from the MIT face-api demo photo (one adult's face), as PNG. */
async function portraitPng(width: number, height: number): Promise<Buffer> {
  const path = new URL('../../node_modules/@vladmandic/face-api/demo/sample1.jpg', import.meta.url).pathname;
  return sharp(path).extract({ left: 1200, top: 60, width: 700, height: 900 }).resize(width, height, { fit: 'cover' }).png().toBuffer();
}

/** An ID-1 card (85.6 × 54 mm at 12 px/mm) with Cyrillic text only, portrait on the left, on a desk. */
async function cardPhoto(texts: Text[], withPortrait: boolean, rotateDeg = 3): Promise<Buffer> {
  const W = 1027;
  const H = 648;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="100%" height="100%" rx="40" fill="#e3ecef"/>
    <rect x="0" y="0" width="${W}" height="150" rx="40" fill="#cfe0e8"/>
    ${texts.map(svgText).join('\n')}
  </svg>`;
  const layers: OverlayOptions[] = [{ input: Buffer.from(svg), left: 0, top: 0 }];
  if (withPortrait) layers.push({ input: await portraitPng(270, 340), left: 45, top: 190 });
  const card = await sharp({ create: { width: W, height: H, channels: 3, background: '#e3ecef' } }).composite(layers).png().toBuffer();
  return sharp({ create: { width: 1400, height: 1000, channels: 3, background: '#6b5a48' } })
    .composite([{ input: await sharp(card).rotate(rotateDeg, { background: '#6b5a48' }).toBuffer(), left: 170, top: 160 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

const FIELDS: Text[] = [
  { text: 'Прізвище', x: 350, y: 215, size: 20 },
  { text: 'ШЕВЧЕНКО', x: 350, y: 250, size: 28, bold: true },
  { text: "Ім'я", x: 350, y: 300, size: 20 },
  { text: 'ОЛЕНА', x: 350, y: 335, size: 28, bold: true },
  { text: 'Дата народження', x: 350, y: 385, size: 20 },
  { text: '12.03.1990', x: 350, y: 420, size: 28, bold: true },
  { text: 'Номер документа', x: 350, y: 470, size: 20 },
  { text: '004512378', x: 350, y: 505, size: 28, bold: true },
];

for (const rotateDeg of [3, 180]) test(`document: a card front whose only clue is Cyrillic ("УКРАЇНА", portrait, fields), turned ${rotateDeg}° → IDENTITY_CARD / UKR / FRONT`, async () => {
  const photo = await cardPhoto(
    [
      { text: 'УКРАЇНА', x: 560, y: 75, size: 56, bold: true, anchor: 'middle' },
      { text: 'ПОСВІДЧЕННЯ ОСОБИ', x: 560, y: 130, size: 34, bold: true, anchor: 'middle' },
      ...FIELDS,
    ],
    true,
    rotateDeg,
  );
  const r = await engine.analyze(photo);
  assert.equal(r.error, null, JSON.stringify(r.details.evidence));
  assert.deepEqual([r.type, r.country, r.pageSide, r.isTwoSideDocument], ['IDENTITY_CARD', 'UKR', 'FRONT', true]);
  assert.ok(r.classification.countryNames.some((n) => n.phrase === 'УКРАЇНА'));
  const cyr = r.details.cyrillicLines as Array<{ text: string; accepted: boolean }>;
  assert.ok(cyr.some((l) => l.accepted && /УКРА/.test(l.text)), JSON.stringify(cyr));
  assert.equal(typeof (r.details.timings as Record<string, number>).cyrillicMs, 'number');
  console.log(`# cyrillic fallback: ${JSON.stringify(r.details.timings)}`);
});

test('document: a Russian header ("ВОДИТЕЛЬСКОЕ УДОСТОВЕРЕНИЕ", "РОССИЙСКАЯ ФЕДЕРАЦИЯ") → DRIVING_LICENCE / RUS / FRONT', async () => {
  const photo = await cardPhoto(
    [
      { text: 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', x: 560, y: 70, size: 44, bold: true, anchor: 'middle' },
      { text: 'ВОДИТЕЛЬСКОЕ УДОСТОВЕРЕНИЕ', x: 560, y: 128, size: 34, bold: true, anchor: 'middle' },
      ...FIELDS,
    ],
    true,
  );
  const r = await engine.analyze(photo);
  assert.deepEqual([r.type, r.country, r.pageSide], ['DRIVING_LICENCE', 'RUS', 'FRONT'], JSON.stringify(r.details.evidence));
});

test('document: Cyrillic text that is no document header (a menu, with a face) is not recognised', async () => {
  const photo = await cardPhoto(
    [
      { text: 'МЕНЮ РЕСТОРАНУ', x: 560, y: 75, size: 56, bold: true, anchor: 'middle' },
      { text: 'СТРАВИ ДНЯ', x: 560, y: 130, size: 34, bold: true, anchor: 'middle' },
      { text: 'Борщ український', x: 350, y: 250, size: 28, bold: true },
      { text: 'Вареники з картоплею', x: 350, y: 335, size: 28, bold: true },
      { text: 'Голубці', x: 350, y: 420, size: 28, bold: true },
      { text: 'Узвар', x: 350, y: 505, size: 28, bold: true },
      { text: '120 грн', x: 800, y: 250, size: 28 },
      { text: '95 грн', x: 800, y: 335, size: 28 },
    ],
    true,
  );
  const r = await engine.analyze(photo);
  assert.equal(r.error, 'DOCUMENT_NOT_RECOGNIZED', JSON.stringify(r.details.evidence));
  // The fallback did run and read Cyrillic (so this case tests the tables, not a skipped reader).
  const cyr = r.details.cyrillicLines as Array<{ text: string; accepted: boolean }>;
  assert.ok(cyr.some((l) => l.accepted && /МЕНЮ|СТРАВИ/.test(l.text)), JSON.stringify(cyr));
});
