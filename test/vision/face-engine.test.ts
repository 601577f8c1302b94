/**
 * Golden tests: the real models on images derived at test time from the MIT-licensed face-api
 * demo photos (test/fixtures/faces/README.md). Each case changes one thing about a good selfie.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { createFaceEngine, detectFaces, loadFaceModels, type FaceModels } from '../../src/server/vision/face/index.js';
import { DEFAULT_FACE_CONFIG as CFG_FACE } from '../../src/server/vision/face/config.js';
import type { FaceEngine } from '../../src/server/vision/contract.js';
import { faceMatchScore } from '../../src/server/verification/face-similarity.js';
import { DEFAULT_VERIFICATION_THRESHOLDS } from '../../src/server/verification/thresholds.js';
import { CodedError } from '../../src/shared/errors.js';
import * as F from '../helpers/face-images.js';

let models: FaceModels;
let engine: FaceEngine;
let base: Buffer;
let mesh: Array<[number, number]>;

before(async () => {
  models = await loadFaceModels();
  engine = createFaceEngine(models);
  base = await F.selfie();
  const faces = await detectFaces(models, await decodeImage(base, 1280));
  assert.equal(faces.length, 1, 'the base selfie has one face');
  mesh = faces[0]!.mesh;
});

test('models load once: a second call returns the same loaded models', async () => {
  assert.equal(await loadFaceModels(), models);
  assert.match(models.recognizer.model, /^face-api-.+-recognition-dlibchip$/);
  assert.match(models.liveness.model, /^minifas-/);
});

test('detectFaces: tight box inside the detector box, landmarks, pose, embedding', async () => {
  const image = await decodeImage(base, 1280);
  const [face] = await detectFaces(models, image);
  assert.ok(face);
  assert.ok(face.score > 0.5);
  assert.ok(face.box.width > 150 && face.box.width < 260, `box width ${face.box.width}`);
  assert.ok(face.box.x >= face.detectorBox.x && face.box.x + face.box.width <= face.detectorBox.x + face.detectorBox.width);
  assert.ok(face.landmarks.leftPupil.x < face.landmarks.noseTip.x && face.landmarks.noseTip.x < face.landmarks.rightPupil.x);
  assert.ok(face.landmarks.noseTip.y < face.landmarks.mouthCentre.y && face.landmarks.mouthCentre.y < face.landmarks.chin.y);
  assert.ok(face.interPupilPx > 70 && face.interPupilPx < 130, `IPD ${face.interPupilPx}`);
  assert.ok(Math.abs(face.pose.yawDeg) < 15);
  assert.equal(face.embedding?.length, 128);
  assert.equal(face.embeddingModel, models.recognizer.model);
  assert.equal(face.signature?.length, 32 * 32);
});

test('detectFaces works on any decoded image, e.g. a small crop (document portrait size)', async () => {
  const crop = await sharp(base).extract({ left: 120, top: 120, width: 280, height: 340 }).resize(180).jpeg().toBuffer();
  const faces = await detectFaces(models, await decodeImage(crop, 1280));
  assert.equal(faces.length, 1);
  assert.ok(faces[0]!.box.width > 60);
});

const s6 = () => F.faceApiSample(6);
const FB = F.SELFIE_FACE;
const cases: Array<[string, string | null, () => Promise<Buffer>]> = [
  ['a good selfie', null, async () => base],
  ['the same selfie stored rotated with EXIF orientation 6', null, async () =>
    sharp(await sharp(base).rotate(270).toBuffer()).withMetadata({ orientation: 6 }).jpeg().toBuffer()],
  ['the selfie as PNG', null, async () => sharp(base).png().toBuffer()],
  ['a small bystander in the corner', null, async () =>
    sharp(base).composite([{ input: await sharp(base).resize(130).toBuffer(), left: 10, top: 480 }]).jpeg().toBuffer()],
  ['clear glasses', null, async () => F.drawOver(base, F.clearGlassesSvg(mesh))],
  ['a grey-scale selfie (no colour to judge lips by)', null, async () => sharp(base).grayscale().jpeg().toBuffer()],
  ['a strong warm colour cast', null, async () => sharp(base).linear([1.0, 0.8, 0.6], [0, 0, 0]).jpeg().toBuffer()],
  ['a drawn mask under the same warm cast', 'FACE_IS_OCCLUDED', async () =>
    sharp(await F.drawOver(base, F.maskSvg(mesh))).linear([1.0, 0.8, 0.6], [0, 0, 0]).jpeg().toBuffer()],
  ['the face 12 px from the right edge', 'FACE_CLOSE_TO_BORDER', async () =>
    F.crop(await s6(), { left: 880, top: 180, width: FB.x + FB.width + 12 - 880, height: 640 })],
  ['the right 60 px of the face cut off', 'FACE_CROPPED', async () =>
    F.crop(await s6(), { left: 880, top: 180, width: FB.x + FB.width - 60 - 880, height: 640 })],
  ['the face filling the frame', 'FACE_TOO_CLOSE', async () =>
    sharp(await F.crop(await s6(), { left: FB.x - 10, top: FB.y - 30, width: 226, height: 280 })).resize(800).jpeg().toBuffer()],
  ['the selfie at 30 % on a big canvas', 'FACE_TOO_SMALL', async () =>
    F.pasteOnCanvas(base, 0.3, { width: 1600, height: 1200 }, { left: 700, top: 300 })],
  ['the selfie rotated 40° (head tilt)', 'FACE_ANGLE_TOO_LARGE', async () => sharp(base).rotate(40, { background: '#607080' }).jpeg().toBuffer()],
  ['a head turned ~45° (sample5)', 'FACE_ANGLE_TOO_LARGE', async () =>
    F.crop(await F.faceApiSample(5), { left: 430, top: 300, width: 480, height: 560 })],
  ['two selfies side by side', 'TOO_MANY_FACES', async () => F.sideBySide(base, base)],
  ['a drawn surgical mask', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.maskSvg(mesh))],
  ['a drawn red mask (the "lips" read red)', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.maskSvg(mesh, 'rgb(200,30,40)'))],
  ['a drawn black mask', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.maskSvg(mesh, 'rgb(20,20,20)'))],
  ['a drawn patterned cloth mask (nose and chin of another chroma)', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.patternedMaskSvg(mesh))],
  ['a drawn ribbed black cloth mask (rough, not smooth)', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.ribbedMaskSvg(mesh))],
  ['a tight crop: the face filling half the frame and near its bottom edge', 'FACE_TOO_CLOSE', async () =>
    F.crop(await s6(), { left: FB.x - 85, top: FB.y - 160, width: FB.width + 170, height: FB.height + 175 })],
  ['a landscape strip cutting the face through the mouth', 'FACE_CROPPED', async () =>
    F.crop(await s6(), { left: FB.x - 300, top: FB.y - 120, width: FB.width + 600, height: 120 + Math.round(FB.height * 0.8) })],
  ['a drawn dark beard and moustache over the lips', null, async () => F.drawOver(base, F.beardSvg(mesh))],
  ['drawn dark sunglasses', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.sunglassesSvg(mesh))],
  ['drawn wrap-around sports glasses (tinted, a lighter middle, a reflection)', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.sportGlassesSvg(mesh))],
  ['a drawn mask worn below the nose', 'FACE_IS_OCCLUDED', async () => F.drawOver(base, F.maskBelowNoseSvg(mesh))],
  ['a skin-toned hand pasted over the mouth', 'FACE_IS_OCCLUDED', async () => F.skinTonedHandOverMouth(base, mesh)],
  ['shapes, no face', 'FACE_NOT_FOUND', async () =>
    sharp({ create: { width: 800, height: 600, channels: 3, background: '#a0b0c0' } })
      .composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><circle cx="300" cy="300" r="120" fill="#c33"/><rect x="450" y="100" width="200" height="300" fill="#3a3"/></svg>') }])
      .jpeg().toBuffer()],
];

test('look again: the second detector runs only when human finds no face, and a face-free picture stays FACE_NOT_FOUND', async () => {
  const shapes = await cases.find(([name]) => name === 'shapes, no face')![2]();
  const none = await engine.checkFace(shapes);
  assert.equal(none.code, 'FACE_NOT_FOUND');
  const look = none.measurements.lookAgain as { model: string; decided: boolean; detections: Array<{ score: number }> };
  assert.match(look.model, /ssd-mobilenetv1/);
  assert.equal(look.decided, false);
  const selfie = await engine.checkFace(base);
  assert.equal(selfie.measurements.lookAgain, null);
});

for (const [name, expected, make] of cases) {
  test(`golden: ${name} → ${expected ?? 'accepted'}`, async () => {
    const result = await engine.checkFace(await make());
    assert.equal(result.code, expected, `problems ${JSON.stringify(result.problems)} rules ${JSON.stringify(result.measurements.rules)}`);
    if (expected === null) assert.deepEqual(result.problems, []);
    else assert.equal(result.problems[0], expected);
  });
}

test('the result keeps every measurement, JSON-safe, the main face embedding, signature and liveness', async () => {
  const result = await engine.checkFace(base);
  assert.equal(result.embedding?.length, 128);
  assert.equal(result.embeddingModel, models.recognizer.model);
  assert.equal(result.faceSignature?.length, 32 * 32);
  assert.ok(result.liveness && result.liveness.score > 0.5 && result.liveness.model === models.liveness.model, JSON.stringify(result.liveness));
  const m = JSON.parse(JSON.stringify(result.measurements)) as { faces: Array<Record<string, unknown>>; rules: Record<string, unknown> };
  const f = m.faces[0]!;
  for (const key of ['box', 'score', 'interPupilPx', 'pose', 'sharpness', 'brightness', 'occlusion']) {
    assert.ok(key in f, `measurement ${key}`);
  }
  for (const key of ['marginLeftPx', 'marginRightPx', 'marginTopPx', 'marginBottomPx']) assert.equal(typeof m.rules[key], 'number');
  // An accepted selfie had its fabric repeat measured on the original pixels: skin, far below the rule.
  const fabric = (m as { fabric?: { periodicity: number; patches: number } | null }).fabric;
  assert.ok(fabric && fabric.patches >= 3 && fabric.periodicity < CFG_FACE.minFabricPeriodicity / 2, JSON.stringify(fabric));
  assert.ok(result.ms > 0);
});

/** 24-bit bottom-up Windows bitmap of packed RGB pixels. */
function bitmapOf(rgb: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const b = Buffer.alloc(54 + stride * height);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) {
    const row = 54 + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      b[row + x * 3] = rgb[i + 2]!;
      b[row + x * 3 + 1] = rgb[i + 1]!;
      b[row + x * 3 + 2] = rgb[i]!;
    }
  }
  return b;
}

test('a bitmap larger than the working size: the original pixels for the fabric measure come from the bitmap decoder', async () => {
  const { data, info } = await sharp(base).resize({ width: 1500 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const result = await engine.checkFace(bitmapOf(data, info.width, info.height));
  assert.equal(result.code, null, JSON.stringify(result.problems));
  const fabric = (result.measurements as { fabric?: { periodicity: number } | null }).fabric;
  assert.ok(fabric && fabric.periodicity < CFG_FACE.minFabricPeriodicity, JSON.stringify(fabric));
});

test('embeddings: the same person is closer than a different person, past the measured thresholds', async () => {
  const emb = async (bytes: Buffer) => (await engine.checkFace(bytes)).embedding!;
  const a = await emb(base);
  const sameSmaller = await emb(await sharp(base).resize(380).modulate({ brightness: 1.15 }).jpeg({ quality: 80 }).toBuffer());
  // Another woman of the same photo (far left in sample6), similar pose and lighting.
  const other = await emb(await F.crop(await s6(), { left: 100, top: 360, width: 520, height: 640 }));
  const same = faceMatchScore(a, sameSmaller)!, diff = faceMatchScore(a, other)!;
  // The same photo, smaller and brighter: HIGH. A stranger of similar age, pose and light: never HIGH.
  assert.ok(same >= DEFAULT_VERIFICATION_THRESHOLDS.faceMatchHigh, `same ${same}`);
  assert.ok(diff < DEFAULT_VERIFICATION_THRESHOLDS.faceMatchHigh && same - diff > 0.2, `same ${same} other ${diff}`);
});

test('embeddings are mirror-averaged: a mirrored selfie embeds (almost) the same', async () => {
  const a = (await engine.checkFace(base)).embedding!;
  const m = (await engine.checkFace(await sharp(base).flop().jpeg({ quality: 92 }).toBuffer())).embedding!;
  assert.ok(faceMatchScore(a, m)! > 0.9, String(faceMatchScore(a, m)));
});

test('liveness is scored only for an accepted selfie', async () => {
  const refused = await engine.checkFace(await F.pasteOnCanvas(base, 0.3, { width: 1600, height: 1200 }, { left: 700, top: 500 }));
  assert.equal(refused.code, 'FACE_TOO_SMALL');
  assert.equal(refused.liveness, null);
  assert.equal(refused.embedding, null);
});

test('bad input: a clear CodedError, never a crash', async () => {
  const bad = await F.badInputs();
  const expectations: Record<string, string[]> = {
    empty: ['IMAGE_UNDECODABLE'],
    text: ['IMAGE_UNDECODABLE'],
    truncatedJpeg: ['IMAGE_UNDECODABLE'],
    pngBomb: ['IMAGE_DIMENSIONS_TOO_LARGE'],
  };
  for (const [name, bytes] of Object.entries(bad)) {
    await assert.rejects(engine.checkFace(bytes), (err: unknown) => {
      assert.ok(err instanceof CodedError, `${name}: ${String(err)}`);
      assert.ok(expectations[name]!.includes(err.code), `${name}: ${err.code}`);
      return true;
    });
  }
  // The engine still works afterwards.
  assert.equal((await engine.checkFace(base)).code, null);
});
