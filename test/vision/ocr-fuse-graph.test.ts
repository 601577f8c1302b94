/**
 * The load-time graph rewrite (ocr/fuse-graph.ts) keeps the OCR models' function: the rewritten
 * and original models give the same numbers (to float rounding) on a real generated page, and
 * the same text. The protobuf codec writes an unchanged model back byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { createOcrModels, loadOcr, ocrOver, type OcrModels } from '../../src/server/vision/ocr/index.js';
import { ocrModelDir } from '../../src/server/vision/ocr/models.js';
import { decodeMessage, encodeMessage } from '../../src/server/vision/ocr/protobuf.js';
import { lineStrip } from '../../src/server/vision/ocr/recognize.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mrz/td3_scan.jpg');

let pair: Promise<{ plain: OcrModels; fused: OcrModels }> | null = null;
const models = () => (pair ??= Promise.all([createOcrModels({ fuse: false }), createOcrModels({ fuse: true })]).then(([plain, fused]) => ({ plain, fused })));

async function run(session: ort.InferenceSession, input: ort.Tensor): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]!]: input });
  return out[session.outputNames[0]!]!.data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

test('protobuf codec: decode then encode gives the model file back byte for byte', () => {
  const bytes = readFileSync(join(ocrModelDir(), 'ch_ppocr_mobile_v2.0_cls_infer.onnx'));
  assert.ok(encodeMessage(decodeMessage(bytes)).equals(bytes));
});

test('the rewrite removes the unfused hard-swish and affine nodes of all three models', async () => {
  const { fused } = await models();
  assert.ok(fused.fused, 'fused report present');
  const { det, rec, cls } = fused.fused;
  for (const [name, r] of Object.entries({ det, rec, cls })) {
    assert.ok(r.hardSwish >= 10, `${name}: hard-swish fused ${r.hardSwish}`);
    assert.ok(r.nodesAfter < r.nodesBefore * 0.9, `${name}: ${r.nodesBefore} → ${r.nodesAfter} nodes`);
  }
  assert.ok(det.affineIntoConv >= 20 && rec.affineIntoConv >= 20, 'affine blocks folded into convolutions');
});

test('rewritten models compute the same as the originals on a real page (detector map, recogniser, classifier)', async () => {
  const { plain, fused } = await models();
  const image = await decodeImage(readFileSync(fixture), 960);
  // Detector: the page as its input tensor (any normalisation will do for an equality check).
  const w = Math.floor(image.width / 32) * 32;
  const h = Math.floor(image.height / 32) * 32;
  const data = new Float32Array(3 * w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[c * w * h + y * w + x] = image.rgb[(y * image.width + x) * 3 + c]! / 127.5 - 1;
  const detIn = new ort.Tensor('float32', data, [1, 3, h, w]);
  const detDiff = maxAbsDiff(await run(plain.det, detIn), await run(fused.det, detIn));
  assert.ok(detDiff < 1e-4, `detector max |Δp| ${detDiff}`);
  // Recogniser and classifier on a strip of the page's top band.
  const strip = lineStrip(image, [{ x: 0, y: 0 }, { x: w, y: 0 }, { x: w, y: h / 8 }, { x: 0, y: h / 8 }], { stripWidthPx: 640 });
  const s = new Float32Array(3 * 48 * 640);
  for (let i = 0; i < 48 * 640; i++) for (let c = 0; c < 3; c++) s[c * 48 * 640 + i] = strip.rgb[i * 3 + c]! / 127.5 - 1;
  const recIn = new ort.Tensor('float32', s, [1, 3, 48, 640]);
  const recDiff = maxAbsDiff(await run(plain.rec, recIn), await run(fused.rec, recIn));
  assert.ok(recDiff < 1e-4, `recogniser max |Δp| ${recDiff}`);
  const clsIn = new ort.Tensor('float32', s.slice(0, 3 * 48 * 192), [1, 3, 48, 192]);
  const clsDiff = maxAbsDiff(await run(plain.cls, clsIn), await run(fused.cls, clsIn));
  assert.ok(clsDiff < 1e-4, `classifier max |Δp| ${clsDiff}`);
});

test('the shared OCR (rewritten models) reads a page exactly as the original models do', async () => {
  const { plain } = await models();
  const image = await decodeImage(readFileSync(fixture), 1600);
  const a = await ocrOver(plain).readLines(image);
  const b = await (await loadOcr()).readLines(image);
  assert.ok(a.length >= 5);
  assert.deepEqual(
    b.map((l) => l.text),
    a.map((l) => l.text),
  );
});
