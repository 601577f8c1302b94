/**
 * Which face embedding separates identities better on this machine's models: human's faceres
 * (1024-d, what the engine returns) or face-api's recognition net (128-d)? Not part of
 * `npm run bench` (it is a one-off measurement; docs/vision-faces.md records its figures).
 *
 *   npx tsx bench/face-embeddings-trial.ts [../shared/fixtures/real/faces]
 *
 * People: every face (score ≥ 0.5) of the six MIT face-api demo photos, cropped with one face
 * width of margin. Genuine pair: that crop vs a mirrored, 55 %-scaled, brighter, less saturated,
 * JPEG-q60 copy. Impostor pairs: all pairs of different people. Optional: two different photos
 * of the same man from the real dev set (obama portrait vs the cropped one).
 * face-api gets the engine's tight mesh box padded by 20 % (its own 68-landmark alignment is not
 * used), so it may be slightly disadvantaged.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, type DecodedImage } from '../src/server/vision/decode-image.js';
import { detectFaces, loadFaceModels } from '../src/server/vision/face/index.js';
import type { DetectedFace } from '../src/server/vision/face/types.js';

type Tensor = { dispose: () => void };
interface FaceApi {
  nets: { faceRecognitionNet: { loadFromDisk: (dir: string) => Promise<void>; computeFaceDescriptor: (t: Tensor) => Promise<Float32Array> } };
}
const require = createRequire(import.meta.url);
const models = await loadFaceModels();
const tf = models.runtime.human.tf as unknown as { tensor3d: (v: Uint8Array, s: number[], d: string) => Tensor };
const faceapiDist = dirname(require.resolve('@vladmandic/face-api'));
const faceapi = require(join(faceapiDist, 'face-api.node-wasm.js')) as FaceApi; // shares human's tfjs + WASM backend
await faceapi.nets.faceRecognitionNet.loadFromDisk(join(faceapiDist, '..', 'model'));

const faceApiMs: number[] = [];
async function faceApiEmbedding(img: DecodedImage, f: DetectedFace): Promise<number[]> {
  const pad = 0.2;
  const left = Math.max(0, Math.round(f.box.x - (f.box.width * pad) / 2));
  const top = Math.max(0, Math.round(f.box.y - (f.box.height * pad) / 2));
  const width = Math.min(img.width - left, Math.round(f.box.width * (1 + pad)));
  const height = Math.min(img.height - top, Math.round(f.box.height * (1 + pad)));
  const crop = await sharp(img.rgb, { raw: { width: img.width, height: img.height, channels: 3 } }).extract({ left, top, width, height }).raw().toBuffer();
  const t = tf.tensor3d(new Uint8Array(crop), [height, width, 3], 'int32');
  const t0 = performance.now();
  const d = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t);
  faceApiMs.push(performance.now() - t0);
  t.dispose();
  return Array.from(d);
}

type Pair = { human: number[]; faceapi: number[] };
async function mainFace(bytes: Buffer): Promise<Pair | null> {
  const img = await decodeImage(bytes, 1280);
  const f = (await detectFaces(models, img)).find((x) => x.score >= 0.5 && x.embedding);
  return f ? { human: f.embedding!, faceapi: await faceApiEmbedding(img, f) } : null;
}

const people: Array<{ a: Pair; b: Pair | null }> = [];
for (let i = 1; i <= 6; i++) {
  const src = await readFile(join(faceapiDist, '..', 'demo', `sample${i}.jpg`));
  const img = await decodeImage(src, 4000);
  for (const f of (await detectFaces(models, img)).filter((x) => x.score >= 0.5)) {
    const m = f.box.width;
    const left = Math.max(0, Math.round(f.box.x - m)), top = Math.max(0, Math.round(f.box.y - m));
    const r = { left, top, width: Math.min(img.width - left, Math.round(f.box.width + 2 * m)), height: Math.min(img.height - top, Math.round(f.box.height + 2 * m)) };
    const crop = await sharp(src).extract(r).jpeg().toBuffer();
    const variant = await sharp(crop).flop().resize(Math.round(r.width * 0.55)).modulate({ brightness: 1.2, saturation: 0.8 }).jpeg({ quality: 60 }).toBuffer();
    const a = await mainFace(crop);
    if (a) people.push({ a, b: await mainFace(variant) });
  }
}
const realDir = process.argv[2];
const real = realDir
  ? [await mainFace(await readFile(join(realDir, 'none_obama_portrait.jpg'))), await mainFace(await readFile(join(realDir, 'cropped_obama_right_edge.jpg')))]
  : null;

const cos = (a: number[], b: number[]) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  return d / Math.sqrt(na * nb);
};
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
for (const key of ['human', 'faceapi'] as const) {
  const genuine = people.filter((p) => p.b).map((p) => cos(p.a[key], p.b![key]));
  const impostor: number[] = [];
  for (let i = 0; i < people.length; i++) for (let j = i + 1; j < people.length; j++) impostor.push(cos(people[i]!.a[key], people[j]!.a[key]));
  const dPrime = (mean(genuine) - mean(impostor)) / Math.sqrt((sd(genuine) ** 2 + sd(impostor) ** 2) / 2);
  console.log(
    `${key === 'human' ? 'human faceres (1024-d)' : 'face-api recognition (128-d)'}: people ${people.length}, ` +
      `genuine cos mean ${mean(genuine).toFixed(3)} min ${Math.min(...genuine).toFixed(3)}, ` +
      `impostor cos mean ${mean(impostor).toFixed(3)} max ${Math.max(...impostor).toFixed(3)}, d′ ${dPrime.toFixed(2)}, ` +
      `impostor pairs ≥ lowest genuine ${impostor.filter((x) => x >= Math.min(...genuine)).length}/${impostor.length}` +
      (real?.[0] && real[1] ? `, two real photos of one man: cos ${cos(real[0][key], real[1][key]).toFixed(3)}` : ''),
  );
}
console.log(`face-api descriptor alone: median ${[...faceApiMs].sort((a, b) => a - b)[Math.floor(faceApiMs.length / 2)]!.toFixed(0)} ms per face`);
