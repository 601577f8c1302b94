/**
 * Capture advice for refused document photos (document/capture-advice.ts), on the committed
 * specimens photographed synthetically here: blurred, darkened, with a glare spot, far away.
 * Measures run on the real OCR's detected lines; the engine tests run the whole engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { loadOcr } from '../../src/server/vision/ocr/index.js';
import { detectDocumentText } from '../../src/server/vision/document/read-text.js';
import { adviceFor, judgeCapture, type CaptureAdvice, type ImageQuality } from '../../src/server/vision/document/capture-advice.js';
import { createDocumentEngine, loadDocumentModels } from '../../src/server/vision/document/index.js';
import { background } from '../../scripts/make-specimens.js';
import { darkened, withGlare } from '../helpers/document-images.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/documents');
const fixture = (f: string) => readFileSync(join(dir, f));

async function advise(bytes: Buffer): Promise<{ advice: CaptureAdvice | null; quality: ImageQuality }> {
  const image = await decodeImage(bytes, 1600);
  const text = await detectDocumentText(await loadOcr(), image);
  return judgeCapture(image, text.lines);
}

async function farAway(bytes: Buffer): Promise<Buffer> {
  const card = await sharp(bytes).resize({ width: 480 }).png().toBuffer();
  return sharp(await background(4000, 3000, 5)).composite([{ input: card, left: 1700, top: 1300 }]).jpeg({ quality: 90 }).toBuffer();
}

for (const file of ['uto_id_front_photo_tilt.jpg', 'usa_dl_front_photo.jpg', 'uto_passport_scan.jpg']) {
  test(`capture advice on ${file}: none when sharp; TOO_DARK, GLARE, BLURRY, far away when photographed so`, async () => {
    const bytes = fixture(file);
    assert.equal((await advise(bytes)).advice, null);
    assert.equal((await advise(await darkened(bytes))).advice, 'TOO_DARK');
    assert.equal((await advise(await withGlare(bytes))).advice, 'GLARE');
    assert.equal((await advise(await sharp(bytes).blur(3.5).jpeg().toBuffer())).advice, 'BLURRY');
    // Far away: the card is 12 % of a 12 MP frame; the detector finds its lines or none at all.
    assert.ok(['TOO_FAR', 'NO_DOCUMENT'].includes(String((await advise(await farAway(bytes))).advice)));
  });
}

test('a scan whose paper is white everywhere is not glare; a rendered card at its own size gets no advice', async () => {
  for (const file of ['uto_id_back_render.png', 'uto_residence_permit_back_scan.jpg', 'uto_id_back_small_scan.jpg']) {
    const { advice, quality } = await advise(fixture(file));
    assert.equal(advice, null, `${file}: ${JSON.stringify(quality)}`);
    assert.ok(quality.paperWhite >= 245, 'the paper is clipped white');
  }
});

test('adviceFor: light first, then framing and distance, then a reflection, then focus', () => {
  const sharpCard: ImageQuality = {
    textLines: 20,
    brightness: 235,
    paperWhite: 225,
    glareShare: 0,
    glareWorstCellShare: 0,
    edgeWidthPx: 2,
    edgeWidthPerTextHeight: 0.1,
    textHeightPx: 30,
    regionShare: 0.5,
  };
  assert.equal(adviceFor(sharpCard), null);
  assert.equal(adviceFor({ ...sharpCard, brightness: 60, edgeWidthPx: 9 }), 'TOO_DARK');
  assert.equal(adviceFor({ ...sharpCard, textLines: 1 }), 'NO_DOCUMENT');
  assert.equal(adviceFor({ ...sharpCard, textLines: 1, edgeWidthPx: 20 }), 'BLURRY', 'blurred until no text is found');
  assert.equal(adviceFor({ ...sharpCard, regionShare: 0.03 }), 'TOO_FAR');
  assert.equal(adviceFor({ ...sharpCard, glareShare: 0.08, glareWorstCellShare: 0.7, edgeWidthPx: 9, edgeWidthPerTextHeight: 0.3 }), 'GLARE');
  assert.equal(adviceFor({ ...sharpCard, glareShare: 0.08, glareWorstCellShare: 0.7, paperWhite: 252 }), null, 'clipped paper is a scan, not glare');
  assert.equal(adviceFor({ ...sharpCard, edgeWidthPx: 9, edgeWidthPerTextHeight: 0.3 }), 'BLURRY');
  assert.equal(adviceFor({ ...sharpCard, edgeWidthPx: 9, edgeWidthPerTextHeight: 0.06 }), null, 'wide edges on very large text read fine');
});

test('the engine attaches the advice to refused sides only', async () => {
  const engine = createDocumentEngine(await loadDocumentModels());
  const blurred = await engine.analyzeDocument(await sharp(fixture('uto_id_front_photo_tilt.jpg')).blur(6).jpeg().toBuffer());
  assert.equal(blurred.error, 'DOCUMENT_NOT_RECOGNIZED');
  assert.equal((blurred.details as { captureAdvice: string }).captureAdvice, 'BLURRY');
  const veryBlurred = await engine.analyzeDocument(await sharp(fixture('uto_id_front_photo_tilt.jpg')).blur(9).jpeg({ quality: 80 }).toBuffer());
  assert.equal((veryBlurred.details as { captureAdvice: string }).captureAdvice, 'BLURRY', 'blurred until its text is not found');
  const landscape = await engine.analyzeDocument(fixture('not_document_landscape.jpg'));
  assert.equal(landscape.error, 'DOCUMENT_NOT_RECOGNIZED');
  assert.equal((landscape.details as { captureAdvice: string }).captureAdvice, 'NO_DOCUMENT');
  const ok = await engine.analyzeDocument(fixture('uto_passport_scan.jpg'));
  assert.equal(ok.error, null);
  assert.equal((ok.details as { captureAdvice: unknown }).captureAdvice, null);
  assert.equal((ok.details as { imageQuality: unknown }).imageQuality, null);
});
