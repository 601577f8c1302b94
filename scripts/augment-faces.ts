/**
 * Photographed and occluded variants of labelled face photos, to measure the face rules on what
 * applicants actually do (docs/vision-faces.md "Variants"):
 *
 *   npx tsx scripts/augment-faces.ts <outdir> <labels.tsv> [<labels.tsv> …]
 *   npm run --silent evaluate -- faces <outdir>/LABELS.tsv
 *
 * Sources: the rows of each labels file whose `expected_error` is NONE (files relative to that
 * file's folder, or absolute) AND that the face engine accepts as they are — a variant changes
 * one thing about a good selfie, so its label is known. Each source's main face mesh (the
 * engine's own) places the occluders. Every variant goes to <outdir> as `<name>__<variant>.jpg`,
 * and <outdir>/LABELS.tsv has `file`, `expected_error`, `variant`, `source` (absolute path),
 * `provenance` (what was drawn or pasted, from where) and `sha256`. Deterministic. Images never
 * go into the repository: write them under /tmp or .tmp/.
 *
 * Variants and their labels:
 *   mask_surgical, mask_ribbed_black, mask_patterned, mask_below_nose   FACE_IS_OCCLUDED (drawn)
 *   sunglasses_dark, sunglasses_sport                                     FACE_IS_OCCLUDED (drawn)
 *   hand_mouth, hand_eye, hand_chin      FACE_IS_OCCLUDED (a real hand cut from face-api's MIT
 *                                        sample2.jpg, colour-matched to the face's cheek)
 *   beard, clear_glasses                 NONE (drawn; must not count as occlusion)
 *   jpeg30_half                          NONE (half size, JPEG quality 30)
 *   close_up                             FACE_TOO_CLOSE (a crop 1.05 × the face box, enlarged)
 *   far_small                            FACE_TOO_SMALL (the photo at 9 % face width on a 2400-px canvas)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { createFaceEngine, analyseFaces, loadFaceModels, DEFAULT_FACE_CONFIG } from '../src/server/vision/face/index.js';
import * as F from '../test/helpers/face-images.js';

type Mesh = Array<[number, number]>;
interface Variant {
  name: string;
  expected: string;
  provenance: string;
  make: (src: Buffer, mesh: Mesh, box: { x: number; y: number; width: number; height: number }) => Promise<Buffer>;
}

const jpeg = (img: Sharp) => img.jpeg({ quality: 92 }).toBuffer();

export const FACE_VARIANTS: Variant[] = [
  { name: 'mask_surgical', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn light-blue surgical mask, nose bridge to chin', make: (s, m) => F.drawOver(s, F.maskSvg(m)) },
  { name: 'mask_ribbed_black', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn black ribbed cloth mask', make: (s, m) => F.drawOver(s, F.ribbedMaskSvg(m)) },
  { name: 'mask_patterned', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn purple/gold patterned cloth mask', make: (s, m) => F.drawOver(s, F.patternedMaskSvg(m)) },
  { name: 'mask_below_nose', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn white mask worn below the nose', make: (s, m) => F.drawOver(s, F.maskBelowNoseSvg(m)) },
  { name: 'sunglasses_dark', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn dark sunglasses, 95 % opaque', make: (s, m) => F.drawOver(s, F.sunglassesSvg(m)) },
  { name: 'sunglasses_sport', expected: 'FACE_IS_OCCLUDED', provenance: 'drawn wrap-around sports glasses, mirrored gradient and a reflection streak', make: (s, m) => F.drawOver(s, F.sportGlassesSvg(m)) },
  { name: 'hand_mouth', expected: 'FACE_IS_OCCLUDED', provenance: 'real hand (face-api sample2.jpg, MIT) pasted over the mouth', make: (s, m) => F.handOverFace(s, m, 'mouth') },
  { name: 'hand_eye', expected: 'FACE_IS_OCCLUDED', provenance: 'real hand (face-api sample2.jpg, MIT) pasted over one eye', make: (s, m) => F.handOverFace(s, m, 'eye') },
  { name: 'hand_chin', expected: 'FACE_IS_OCCLUDED', provenance: 'real hand (face-api sample2.jpg, MIT) pasted under the chin, over the jaw', make: (s, m) => F.handOverFace(s, m, 'chin') },
  { name: 'beard', expected: 'NONE', provenance: 'drawn hair-textured beard and moustache over the lips', make: (s, m) => F.drawOver(s, F.beardSvg(m)) },
  { name: 'clear_glasses', expected: 'NONE', provenance: 'drawn thin frames, clear lenses', make: (s, m) => F.drawOver(s, F.clearGlassesSvg(m)) },
  {
    name: 'jpeg30_half',
    expected: 'NONE',
    provenance: 'half size (lanczos3), JPEG quality 30',
    make: async (s) => {
      const meta = await sharp(s).metadata();
      return sharp(s).resize(Math.round(meta.width! / 2)).jpeg({ quality: 30 }).toBuffer();
    },
  },
  {
    name: 'close_up',
    expected: 'FACE_TOO_CLOSE',
    provenance: 'crop 1.05 × the face box around its centre, enlarged to 900 px wide',
    make: async (s, _m, b) => {
      const meta = await sharp(s).metadata();
      const w = Math.round(b.width * 1.05), h = Math.round(b.height * 1.05);
      const left = Math.max(0, Math.round(b.x + b.width / 2 - w / 2)), top = Math.max(0, Math.round(b.y + b.height / 2 - h / 2));
      return jpeg(sharp(s).extract({ left, top, width: Math.min(w, meta.width! - left), height: Math.min(h, meta.height! - top) }).resize(900));
    },
  },
  {
    name: 'far_small',
    expected: 'FACE_TOO_SMALL',
    provenance: 'the photo scaled so the face is 9 % of a 2400 × 1800 canvas width',
    make: async (s, _m, b) => {
      const meta = await sharp(s).metadata();
      const scale = Math.min((0.09 * 2400) / b.width, 2300 / meta.width!, 1700 / meta.height!);
      return F.pasteOnCanvas(s, scale, { width: 2400, height: 1800 }, { left: 50, top: 50 });
    },
  },
];

async function main(): Promise<void> {
  const [outDir, ...labelFiles] = process.argv.slice(2);
  if (!outDir || labelFiles.length === 0) {
    process.stderr.write('usage: npx tsx scripts/augment-faces.ts <outdir> <labels.tsv> [<labels.tsv> …]\n');
    process.exit(2);
  }
  await mkdir(outDir, { recursive: true });
  const models = await loadFaceModels();
  const engine = createFaceEngine(models);
  const out: string[] = ['file\texpected_error\tvariant\tsource\tprovenance\tsha256'];
  const seen = new Set<string>();
  for (const labels of labelFiles) {
    const lines = (await readFile(labels, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
    const header = lines.shift()!.split('\t');
    const fileCol = header.indexOf('file'), expCol = header.indexOf('expected_error');
    for (const cells of lines.map((l) => l.split('\t'))) {
      if ((cells[expCol] ?? '').trim() !== 'NONE') continue;
      const path = resolve(dirname(resolve(labels)), cells[fileCol]!.trim());
      const src = await readFile(path);
      const check = await engine.checkFace(src);
      if (check.code !== null) {
        process.stderr.write(`skip ${path}: the engine says ${check.code}\n`);
        continue;
      }
      // The occluders are drawn on the upright image at the engine's working size (≤ 1280 px).
      const image = await decodeImage(src, DEFAULT_FACE_CONFIG.workingMaxSidePx);
      const upright = await sharp(Buffer.from(image.rgb), { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
      const { faces } = await analyseFaces(models, image, DEFAULT_FACE_CONFIG);
      const main = [...faces].sort((a, b) => b.box.height - a.box.height)[0];
      if (!main) continue;
      let stem = basename(path, extname(path));
      while (seen.has(stem)) stem += '_';
      seen.add(stem);
      for (const v of FACE_VARIANTS) {
        const bytes = await v.make(upright, main.mesh, main.box);
        const name = `${stem}__${v.name}.jpg`;
        await writeFile(join(outDir, name), bytes);
        out.push([name, v.expected, v.name, path, v.provenance, createHash('sha256').update(bytes).digest('hex')].join('\t'));
      }
      process.stderr.write(`${path}: ${FACE_VARIANTS.length} variants\n`);
    }
  }
  await writeFile(join(outDir, 'LABELS.tsv'), out.join('\n') + '\n');
  process.stdout.write(`${out.length - 1} variants in ${outDir}/LABELS.tsv\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
