/**
 * `npm run --silent evaluate -- face-pairs <real-fixtures>/LABELS.tsv`
 *
 * Measures selfie ↔ document-portrait matching with the embedding the face engine uses
 * (`embeddingModel`, human's faceres) and the score the face-verification factor uses
 * (cosine similarity). Prints one JSON line per face embedded, then one line per threshold with
 * FMR and FNMR, then a summary. docs/face-verification.md explains the pairs and the choice.
 *
 * Pairs (identities are never guessed):
 *  - real genuine: the same person in different photos, listed by hand in SAME_PERSON below;
 *  - augmented genuine: one photo against a derived copy (crop, rotation, darker, JPEG q20,
 *    document-portrait size in grey) — a weaker kind of genuine pair, reported apart;
 *  - rendered genuine: the generated document specimens of test/fixtures/documents (portraits
 *    cropped from face-api's sample1.jpg, printed on a card, photographed rotated, with glare…)
 *    through the real document engine, against a selfie-like crop of the same source photo —
 *    also one photo of the person, reported apart;
 *  - impostor: two faces in the same group photo (always two people), or faces from different
 *    sources (a stock model vs a president vs a specimen document). Two photos of the same
 *    source family are NOT paired (the same model may appear in several stock photos).
 * Images are read by path and never written anywhere.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../server/vision/decode-image.js';
import { detectFaces, loadFaceModels, type DetectedFace } from '../server/vision/face/index.js';
import { createDocumentEngine, loadDocumentModels } from '../server/vision/document/index.js';
import { cosineSimilarity } from '../server/verification/face-similarity.js';
import { DEFAULT_VERIFICATION_THRESHOLDS } from '../server/verification/thresholds.js';

const require = createRequire(import.meta.url);

/** Photos known to show the same person (from the labels' notes and sources). */
const SAME_PERSON: string[][] = [['faces/none_obama_portrait.jpg', 'faces/cropped_obama_right_edge.jpg']];

/** Source families: photos of one family may show the same people, so they are not impostor-paired. */
function familyOf(sourceRepo: string): string {
  return /vladmandic/.test(sourceRepo) ? 'vladmandic' : sourceRepo;
}

/** Generated specimens (test/fixtures/documents) and whose portrait they print (scripts/make-specimens.ts). */
const SPECIMENS: Record<string, 'A' | 'B'> = {
  'uto_passport_scan.jpg': 'A',
  'uto_passport_photo_rot90.jpg': 'A',
  'uto_passport_photo_rot180_glare.jpg': 'A',
  'uto_id_front_photo_tilt.jpg': 'A',
  'uto_id_back_photo_shear.jpg': 'A',
  'uto_id_back_small_scan.jpg': 'A',
  'usa_dl_front_photo.jpg': 'B',
};
/**
 * Selfie-like regions of face-api's sample1.jpg around the two faces the specimens print, and
 * the centre of the printed crop inside the region (the region may show part of a neighbour: the
 * face nearest that centre is the one printed).
 */
const SPECIMEN_SOURCES = {
  A: { region: { left: 700, top: 200, width: 580, height: 760 }, centre: { x: 800 + 190 - 700, y: 320 + 240 - 200 } },
  B: { region: { left: 1200, top: 60, width: 640, height: 800 }, centre: { x: 1300 + 220 - 1200, y: 170 + 280 - 60 } },
};

/** Rows whose face the engine rejects before any matching happens are not matched. */
const NOT_MATCHED = new Set(['FACE_IS_OCCLUDED', 'FACE_NOT_FOUND', 'FACE_TOO_CLOSE']);
/** Smallest face (mesh box height, px) embedded from a group photo. */
const MIN_FACE_PX = 60;

interface Sample {
  id: string;
  /** The photo it comes from; two samples of one photo are two people unless augmented. */
  photo: string;
  family: string;
  /** Person key: same key → same person. */
  person: string;
  kind: 'selfie' | 'portrait' | 'augmented' | 'rendered';
  augmentation?: string;
  embedding: number[];
}

interface Row {
  file: string;
  source_repo: string;
  expected_error: string;
  has_portrait: string;
}

function parseTsv(text: string): Row[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  return lines.map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(header.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])) as unknown as Row;
  });
}

const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);

/** Derived copies of one face photo (the augmented genuine pairs). */
async function augmentations(src: Buffer, face: DetectedFace, scale: number): Promise<Array<[string, Buffer]>> {
  const meta = await sharp(src).rotate().metadata();
  const w = meta.autoOrient?.width ?? meta.width!;
  const h = meta.autoOrient?.height ?? meta.height!;
  const b = { x: face.box.x / scale, y: face.box.y / scale, w: face.box.width / scale, h: face.box.height / scale };
  const around = (k: number) => {
    const left = Math.max(0, Math.round(b.x - b.w * k));
    const top = Math.max(0, Math.round(b.y - b.h * k));
    return { left, top, width: Math.min(w - left, Math.round(b.w * (1 + 2 * k))), height: Math.min(h - top, Math.round(b.h * (1 + 2 * k))) };
  };
  const base = sharp(src).rotate();
  const crop = await base.clone().extract(around(0.6)).jpeg({ quality: 90 }).toBuffer();
  const portraitCrop = await base.clone().extract(around(0.35)).toBuffer();
  return [
    ['crop', crop],
    ['rotate-8deg', await sharp(crop).rotate(8, { background: '#808080' }).jpeg({ quality: 90 }).toBuffer()],
    ['darker-gamma', await sharp(crop).linear(0.55, 0).jpeg({ quality: 90 }).toBuffer()],
    ['jpeg-q20', await sharp(crop).jpeg({ quality: 20 }).toBuffer()],
    [
      // A document portrait: ~110 px face height, grey, low contrast, on a pale card, JPEG q60.
      'document-portrait',
      await sharp({ create: { width: 480, height: 300, channels: 3, background: '#e8e4da' } })
        .composite([{ input: await sharp(portraitCrop).resize({ height: 150 }).grayscale().linear(0.8, 30).toBuffer(), left: 30, top: 60 }])
        .jpeg({ quality: 60 })
        .toBuffer(),
    ],
  ];
}

export async function evaluate(labelsPath: string): Promise<void> {
  const baseDir = dirname(resolve(labelsPath));
  const rows = parseTsv(await readFile(labelsPath, 'utf8'));
  const models = await loadFaceModels();
  const docEngine = createDocumentEngine(await loadDocumentModels());
  const samples: Sample[] = [];
  const personOf = (file: string, index: number) => {
    const group = SAME_PERSON.findIndex((g) => g.includes(file));
    return group >= 0 ? `same-person-${group}` : `${file}#${index}`;
  };
  const augmentBases: Array<{ file: string; bytes: Buffer; face: DetectedFace; scale: number; person: string; family: string }> = [];

  async function embedPhoto(file: string, bytes: Buffer, family: string, single: boolean) {
    const image = await decodeImage(bytes, 1280);
    const faces = (await detectFaces(models, image)).filter((f) => f.embedding && f.box.height / image.scale >= (single ? 0 : MIN_FACE_PX));
    const used = single ? faces.slice(0, 1) : faces;
    used.forEach((f, i) => {
      const s: Sample = { id: `${file}#${i}`, photo: file, family, person: personOf(file, i), kind: 'selfie', embedding: f.embedding! };
      samples.push(s);
      out({ sample: s.id, kind: s.kind, family, faceHeightPx: Math.round(f.box.height / image.scale), model: f.embeddingModel });
    });
    return { used, scale: image.scale };
  }

  // 1. Real face photos of the dev set.
  for (const r of rows.filter((r) => r.file.startsWith('faces/'))) {
    if (NOT_MATCHED.has(r.expected_error)) continue;
    const bytes = await readFile(join(baseDir, r.file));
    const single = r.expected_error !== 'TOO_MANY_FACES';
    const { used, scale } = await embedPhoto(r.file, bytes, familyOf(r.source_repo), single);
    if (single && used[0] && r.expected_error === 'NONE') {
      augmentBases.push({ file: r.file, bytes, face: used[0], scale, person: personOf(r.file, 0), family: familyOf(r.source_repo) });
    }
  }
  // 2. The face-api demo photos that ship in node_modules (groups of 3–5 people).
  const demoDir = join(dirname(require.resolve('@vladmandic/face-api')), '..', 'demo');
  for (let n = 1; n <= 6; n++) {
    const file = `face-api/demo/sample${n}.jpg`;
    const bytes = await readFile(join(demoDir, `sample${n}.jpg`));
    const { used, scale } = await embedPhoto(file, bytes, 'vladmandic', false);
    // The largest face of each photo also serves as an augmentation base.
    if (used[0]) augmentBases.push({ file, bytes, face: used[0], scale, person: personOf(file, 0), family: 'vladmandic' });
  }
  // 3. Document portraits through the real document engine.
  for (const r of rows.filter((r) => r.file.startsWith('documents/') && r.has_portrait === 'true')) {
    const result = await docEngine.analyzeDocument(await readFile(join(baseDir, r.file)));
    if (!result.portraitEmbedding) {
      out({ sample: r.file, kind: 'portrait', skipped: 'no portrait embedding', error: result.error });
      continue;
    }
    const s: Sample = { id: r.file, photo: r.file, family: 'specimen-documents', person: r.file, kind: 'portrait', embedding: result.portraitEmbedding };
    samples.push(s);
    out({ sample: s.id, kind: s.kind, family: s.family, model: result.portraitEmbeddingModel });
  }
  // 3b. Generated specimens against a selfie-like crop of their portrait's source photo.
  const sample1 = await readFile(join(demoDir, 'sample1.jpg'));
  for (const [who, { region, centre }] of Object.entries(SPECIMEN_SOURCES)) {
    const image = await decodeImage(await sharp(sample1).extract(region).jpeg({ quality: 90 }).toBuffer(), 1280);
    const dist = (f: DetectedFace) => Math.hypot((f.box.x + f.box.width / 2) / image.scale - centre.x, (f.box.y + f.box.height / 2) / image.scale - centre.y);
    const face = (await detectFaces(models, image)).sort((p, q) => dist(p) - dist(q))[0];
    if (!face?.embedding) continue;
    samples.push({ id: `sample1-face-${who}`, photo: `sample1-face-${who}`, family: 'vladmandic', person: `specimen-${who}`, kind: 'rendered', embedding: face.embedding });
  }
  const fixtures = fileURLToPath(new URL('../../test/fixtures/documents/', import.meta.url));
  for (const [file, who] of Object.entries(SPECIMENS)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(fixtures, file));
    } catch {
      continue; // run outside the repository: no specimens
    }
    const result = await docEngine.analyzeDocument(bytes);
    if (!result.portraitEmbedding) {
      out({ sample: `specimen/${file}`, kind: 'rendered', skipped: 'no portrait embedding', error: result.error });
      continue;
    }
    samples.push({ id: `specimen/${file}`, photo: `specimen/${file}`, family: 'vladmandic', person: `specimen-${who}`, kind: 'rendered', embedding: result.portraitEmbedding });
    out({ sample: `specimen/${file}`, kind: 'rendered', person: who });
  }
  // 4. Augmented copies.
  for (const b of augmentBases) {
    for (const [name, bytes] of await augmentations(b.bytes, b.face, b.scale)) {
      const image = await decodeImage(bytes, 1280);
      const face = (await detectFaces(models, image))[0];
      if (!face?.embedding) {
        out({ sample: `${b.file}~${name}`, kind: 'augmented', skipped: 'no face found' });
        continue;
      }
      samples.push({ id: `${b.file}~${name}`, photo: `${b.file}~${name}`, family: b.family, person: b.person, kind: 'augmented', augmentation: name, embedding: face.embedding });
      out({ sample: `${b.file}~${name}`, kind: 'augmented', augmentation: name });
    }
  }

  // Pairs.
  const genuineReal: number[] = [];
  const genuineAug: Record<string, number[]> = {};
  const genuineRendered: number[] = [];
  const impostor: number[] = [];
  const impostorVsPortrait: number[] = [];
  const pairs: Array<{ a: string; b: string; kind: string; score: number }> = [];
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!;
      const b = samples[j]!;
      const score = cosineSimilarity(a.embedding, b.embedding);
      if (score === null) continue;
      const oneAugmented = (a.kind === 'augmented') !== (b.kind === 'augmented');
      if (a.kind === 'rendered' || b.kind === 'rendered') {
        // Specimen pairs: selfie crop vs printed portrait of the same person; never impostors
        // within the family (sample1's group faces are the same people).
        if (a.person === b.person && a.kind === 'rendered' && b.kind === 'rendered' && (a.id.startsWith('sample1-') !== b.id.startsWith('sample1-'))) {
          genuineRendered.push(score);
          pairs.push({ a: a.id, b: b.id, kind: 'genuine-rendered', score });
        } else if (a.person !== b.person && a.family !== b.family && a.kind !== 'augmented' && b.kind !== 'augmented') {
          impostor.push(score);
          if (a.kind === 'portrait' || b.kind === 'portrait' || a.id.startsWith('specimen/') || b.id.startsWith('specimen/')) impostorVsPortrait.push(score);
        }
        continue;
      }
      if (a.person === b.person) {
        if (a.kind !== 'augmented' && b.kind !== 'augmented') {
          genuineReal.push(score);
          pairs.push({ a: a.id, b: b.id, kind: 'genuine-real', score });
        } else if (oneAugmented && (a.photo === b.photo.split('~')[0] || b.photo === a.photo.split('~')[0])) {
          const name = (a.augmentation ?? b.augmentation)!;
          (genuineAug[name] ??= []).push(score);
        }
        continue;
      }
      if (a.kind === 'augmented' || b.kind === 'augmented') continue;
      const samePhoto = a.photo === b.photo;
      const differentFamilies = a.family !== b.family;
      // specimen documents: each document shows its own (fictional) holder.
      const bothSpecimens = a.family === 'specimen-documents' && b.family === 'specimen-documents';
      if (samePhoto || differentFamilies || bothSpecimens) {
        impostor.push(score);
        if (a.kind === 'portrait' || b.kind === 'portrait') impostorVsPortrait.push(score);
      }
    }
  }
  for (const p of pairs) out(p);

  const allAug = Object.values(genuineAug).flat();
  const rate = (v: number[], pred: (s: number) => boolean) => (v.length ? v.filter(pred).length / v.length : null);
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 100);
  for (let t = 0.1; t <= 0.801; t += 0.05) {
    const th = Math.round(t * 100) / 100;
    out({
      threshold: th,
      fmrPct: pct(rate(impostor, (s) => s >= th)),
      fmrVsPortraitPct: pct(rate(impostorVsPortrait, (s) => s >= th)),
      fnmrRealPct: pct(rate(genuineReal, (s) => s < th)),
      fnmrAugmentedPct: pct(rate(allAug, (s) => s < th)),
      fnmrRenderedPct: pct(rate(genuineRendered, (s) => s < th)),
    });
  }
  const stats = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length ? { n: s.length, min: round3(s[0]!), median: round3(s[Math.floor(s.length / 2)]!), max: round3(s[s.length - 1]!) } : { n: 0 };
  };
  const t = DEFAULT_VERIFICATION_THRESHOLDS.faceMatchHigh;
  const tl = DEFAULT_VERIFICATION_THRESHOLDS.faceMatchLow;
  out({
    summary: true,
    embeddingModel: (await loadFaceModels()).embeddingModel,
    samples: samples.length,
    impostor: stats(impostor),
    impostorVsPortrait: stats(impostorVsPortrait),
    genuineReal: stats(genuineReal),
    genuineRendered: stats(genuineRendered),
    genuineAugmented: Object.fromEntries(Object.entries(genuineAug).map(([k, v]) => [k, stats(v)])),
    atDefault: {
      faceMatchHigh: t,
      fmrPct: pct(rate(impostor, (s) => s >= t)),
      fnmrRealPct: pct(rate(genuineReal, (s) => s < t)),
      fnmrAugmentedPct: pct(rate(allAug, (s) => s < t)),
      fnmrRenderedPct: pct(rate(genuineRendered, (s) => s < t)),
      faceMatchLow: tl,
      fmrAtLowPct: pct(rate(impostor, (s) => s >= tl)),
      fnmrRealAtLowPct: pct(rate(genuineReal, (s) => s < tl)),
      fnmrAugmentedAtLowPct: pct(rate(allAug, (s) => s < tl)),
      fnmrRenderedAtLowPct: pct(rate(genuineRendered, (s) => s < tl)),
    },
  });
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
