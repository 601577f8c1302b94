/**
 * Which face matcher separates identities best on real photo pairs? A one-off comparison behind
 * docs/adr/0005 (not part of `npm run bench`): every candidate on the same faces of a labels file
 * with `file` and `identity` columns, EER and FNMR at FMR 1 % / 0.1 % over every photo pair.
 *
 *   npx tsx bench/face-matchers-trial.ts ../shared/fixtures/pairs/LABELS.tsv
 *
 * Candidates: human's faceres (cosine; the engine before ADR 0005), face-api's recognition net on a
 * padded box crop (cosine), on the dlib chip (cosine, Euclidean), on the chip aligned on the pupils,
 * the mean of faceres and chip cosines, and the service's embedding (mirror-averaged chip, Euclidean).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { detectFaces, loadFaceModels } from '../src/server/vision/face/index.js';
import { faceChip } from '../src/server/vision/face/face-chip.js';
import { parseIdentityLabels } from '../src/cli/evaluate-face-pairs.js';
import { equalErrorRate, fnmrAt, thresholdAtFmr } from '../src/cli/face-pair-metrics.js';

const labels = process.argv[2];
if (!labels) throw new Error('usage: npx tsx bench/face-matchers-trial.ts <labels.tsv>');
const rows = parseIdentityLabels(await readFile(labels, 'utf8'));
const models = await loadFaceModels();
const human = models.runtime.human;
const tf = human.tf as unknown as { tensor3d: (v: Uint8Array, s: number[], d: string) => { dispose: () => void } };
const cos = (a: number[], b: number[]) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  return d / Math.sqrt(na * nb);
};
const negDist = (a: number[], b: number[]) => -Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));
type E = { id: string; faceres: number[]; box: number[]; chip: number[]; pupil: number[]; service: number[] };
const faces: E[] = [];
for (const r of rows) {
  const image = await decodeImage(await readFile(resolve(dirname(labels), r.file)), 1280);
  const f = (await detectFaces(models, image))[0];
  if (!f?.embedding) continue;
  // human's faceres on the same image (the previous engine's descriptor).
  const t = tf.tensor3d(new Uint8Array(image.rgb), [image.height, image.width, 3], 'int32');
  const res = await human.detect(t as never, { face: { description: { enabled: true, modelPath: 'faceres.json', skipFrames: 0, skipTime: 0, minConfidence: 0 } } } as never);
  t.dispose();
  const faceres = res.face?.[0]?.embedding ? Array.from(res.face[0].embedding) : null;
  if (!faceres) continue;
  const pad = 0.2;
  const left = Math.max(0, Math.round(f.box.x - (f.box.width * pad) / 2)), top = Math.max(0, Math.round(f.box.y - (f.box.height * pad) / 2));
  const width = Math.min(image.width - left, Math.round(f.box.width * (1 + pad))), height = Math.min(image.height - top, Math.round(f.box.height * (1 + pad)));
  const boxCrop = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({ left, top, width, height }).resize(150, 150, { fit: 'fill' }).raw().toBuffer();
  const chip = faceChip(image, f.landmarks.leftEye, f.landmarks.rightEye)!;
  faces.push({
    id: r.identity,
    faceres,
    box: (await models.recognizer.describe([new Uint8Array(boxCrop)]))[0]!,
    chip: (await models.recognizer.describe([chip]))[0]!,
    pupil: (await models.recognizer.describe([faceChip(image, f.landmarks.leftPupil, f.landmarks.rightPupil)!]))[0]!,
    service: f.embedding,
  });
}
const candidates: Record<string, (a: E, b: E) => number> = {
  'human faceres, cosine': (a, b) => cos(a.faceres, b.faceres),
  'face-api, padded box crop, cosine': (a, b) => cos(a.box, b.box),
  'face-api, dlib chip, cosine': (a, b) => cos(a.chip, b.chip),
  'faceres + chip, mean cosine': (a, b) => (cos(a.faceres, b.faceres) + cos(a.chip, b.chip)) / 2,
  'face-api, chip on the pupils, cosine': (a, b) => cos(a.pupil, b.pupil),
  'face-api, dlib chip, Euclidean': (a, b) => negDist(a.chip, b.chip),
  'service: mirror-averaged chip, Euclidean': (a, b) => negDist(a.service, b.service),
};
console.log(`${faces.length} faces of ${rows.length} rows`);
for (const [name, score] of Object.entries(candidates)) {
  const g: number[] = [], im: number[] = [];
  for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) (faces[i]!.id === faces[j]!.id ? g : im).push(score(faces[i]!, faces[j]!));
  const at = (fmr: number) => (fnmrAt(g, thresholdAtFmr(im, fmr)!)! * 100).toFixed(1);
  console.log(`${name}: genuine ${g.length}, impostor ${im.length} · EER ${(equalErrorRate(g, im)!.eer * 100).toFixed(1)} % · FNMR @ FMR 1 % ${at(0.01)} % · @ 0.1 % ${at(0.001)} %`);
}
