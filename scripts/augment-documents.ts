/**
 * Photographed variants of a labelled document set, to measure the document engine's robustness
 * on what real capture does to an image (docs/vision-documents.md "Robustness on photographed
 * variants"):
 *
 *   npx tsx scripts/augment-documents.ts <labels.tsv> <outdir>
 *   npm run --silent evaluate -- documents <outdir>/LABELS.tsv
 *
 * Reads the rows with a non-empty `doc_type` (files relative to the TSV's folder), writes every
 * variant of every image into <outdir> as `<name>__<variant>.<png|jpg>`, and `<outdir>/LABELS.tsv`
 * with the same columns (the file renamed, its sha256 recomputed, every label unchanged) plus a
 * `variant` column. Deterministic: each image's seed is a hash of its path and the variant.
 * Images never go into the repository: write them under /tmp.
 *
 * Variants (the whole image stands for the document: dev-set images are crops of one side):
 *   rot90, rot180, rot270   turned clockwise by a right angle (lossless)
 *   tilt+8, tilt-8          turned 8° clockwise / anticlockwise on a textured background
 *   persp_top, persp_left   keystone of a phone held at an angle: the top (or left) edge 18 %
 *                           shorter than the opposite one, the document foreshortened 8 % along
 *                           the tilt (a projective warp on raw pixels, bilinear), on a background
 *   blur                    gaussian blur, sigma 1.2 px
 *   jpeg35                  JPEG quality 35 (4:2:0 chroma, as cameras and browsers encode)
 *   glare                   a bright soft ellipse over ≈ 15 % of the image, its centre in the
 *                           upper part (ICAO MRZs are at the bottom: the glare may touch the MRZ,
 *                           never cover all of it)
 *   down60                  scaled to 60 % (a low-resolution scan), lanczos3
 *   table12mp               on a table: the document 45 % of the width of a 4000×3000 textured
 *                           background, tilted 5°, JPEG q90 (a 12 MP phone photo; as the
 *                           documents bench's photo12mp)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { background } from './make-specimens.js';
import { decodeBmp, isBmp } from '../src/server/vision/bmp.js';

export const VARIANTS = ['rot90', 'rot180', 'rot270', 'tilt+8', 'tilt-8', 'persp_top', 'persp_left', 'blur', 'jpeg35', 'glare', 'down60', 'table12mp'] as const;
export type Variant = (typeof VARIANTS)[number];

interface Made {
  bytes: Buffer;
  ext: 'png' | 'jpg';
}

/** FNV-1a 32-bit: a stable seed from a string. */
function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Deterministic uniform [0, 1) generator (LCG), as make-specimens' background uses. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const png = async (img: Sharp): Promise<Made> => ({ bytes: await img.png().toBuffer(), ext: 'png' });

/** The document (RGBA, transparent outside it) centred on a textured background `margin` of its size wider on each side. */
async function onBackground(layer: Buffer, seed: number, margin = 0.1): Promise<Buffer> {
  const meta = await sharp(layer).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const W = Math.round(w * (1 + 2 * margin));
  const H = Math.round(h * (1 + 2 * margin));
  return sharp(await background(W, H, seed))
    .composite([{ input: layer, left: Math.round((W - w) / 2), top: Math.round((H - h) / 2) }])
    .png()
    .toBuffer();
}

/** Solve the 8 homography coefficients mapping `from[i]` to `to[i]` (4 point pairs). */
export function homography(from: [number, number][], to: [number, number][]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gauss-Jordan with partial pivoting on the 8×9 augmented matrix.
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    const piv = A[c]![c]!;
    if (Math.abs(piv) < 1e-12) throw new Error('homography: degenerate points');
    for (let k = c; k < 9; k++) A[c]![k]! /= piv;
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r]![c]!;
      if (f !== 0) for (let k = c; k < 9; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return A.map((row) => row[8]!);
}

/**
 * Projective warp: the source image's corners go to `quad` (TL, TR, BR, BL) on a transparent
 * canvas of outW × outH. Inverse mapping, bilinear sampling, RGBA out.
 */
export async function warpToQuad(src: Buffer, quad: [number, number][], outW: number, outH: number): Promise<Buffer> {
  const { data, info } = await sharp(src).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const w = info.width;
  const h = info.height;
  const corners: [number, number][] = [
    [0, 0],
    [w, 0],
    [w, h],
    [0, h],
  ];
  const [a, b, c, d, e, f, g, k] = homography(quad, corners) as [number, number, number, number, number, number, number, number];
  const out = Buffer.alloc(outW * outH * 4);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const X = x + 0.5;
      const Y = y + 0.5;
      const den = g * X + k * Y + 1;
      const u = (a * X + b * Y + c) / den - 0.5;
      const v = (d * X + e * Y + f) / den - 0.5;
      if (u < -0.5 || v < -0.5 || u > w - 0.5 || v > h - 0.5) continue;
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(u)));
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(v)));
      const x1 = Math.min(w - 1, x0 + 1);
      const y1 = Math.min(h - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, u - x0));
      const fy = Math.max(0, Math.min(1, v - y0));
      const o = (y * outW + x) * 4;
      for (let ch = 0; ch < 4; ch++) {
        const p00 = data[(y0 * w + x0) * 4 + ch]!;
        const p10 = data[(y0 * w + x1) * 4 + ch]!;
        const p01 = data[(y1 * w + x0) * 4 + ch]!;
        const p11 = data[(y1 * w + x1) * 4 + ch]!;
        out[o + ch] = Math.round((p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy);
      }
    }
  }
  return sharp(out, { raw: { width: outW, height: outH, channels: 4 } }).png().toBuffer();
}

/** Keystone: the `edge` side 18 % shorter than the opposite one, foreshortened 8 % across it. */
async function keystone(src: Buffer, edge: 'top' | 'left', seed: number): Promise<Buffer> {
  const meta = await sharp(src).metadata();
  const w = meta.width!;
  const h = meta.height!;
  const inset = 0.09; // each end of the far edge moves in by 9 % of its length
  const fore = 0.92;
  const m = 0.08;
  let quad: [number, number][];
  let outW: number;
  let outH: number;
  if (edge === 'top') {
    outW = Math.round(w * (1 + 2 * m));
    outH = Math.round(h * fore + 2 * m * h);
    const x0 = m * w;
    const y0 = m * h;
    quad = [
      [x0 + inset * w, y0],
      [x0 + w - inset * w, y0],
      [x0 + w, y0 + fore * h],
      [x0, y0 + fore * h],
    ];
  } else {
    outW = Math.round(w * fore + 2 * m * w);
    outH = Math.round(h * (1 + 2 * m));
    const x0 = m * w;
    const y0 = m * h;
    quad = [
      [x0, y0 + inset * h],
      [x0 + fore * w, y0],
      [x0 + fore * w, y0 + h],
      [x0, y0 + h - inset * h],
    ];
  }
  const warped = await warpToQuad(src, quad, outW, outH);
  return sharp(await background(outW, outH, seed)).composite([{ input: warped }]).png().toBuffer();
}

async function tilt(src: Buffer, deg: number, seed: number): Promise<Buffer> {
  const turned = await sharp(src).ensureAlpha().rotate(deg, { background: { r: 0, g: 0, b: 0, alpha: 0 } }).png().toBuffer();
  return onBackground(turned, seed, 0.04);
}

async function glare(src: Buffer, seed: number): Promise<Buffer> {
  const meta = await sharp(src).metadata();
  const W = meta.width!;
  const H = meta.height!;
  const r = rng(seed);
  // π · 0.26 · 0.18 ≈ 0.147 of the image; centre 25–45 % down, 30–70 % across.
  const cx = W * (0.3 + 0.4 * r());
  const cy = H * (0.25 + 0.2 * r());
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="0.95"/><stop offset="0.45" stop-color="#fff" stop-opacity="0.8"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" rx="${(W * 0.26).toFixed(1)}" ry="${(H * 0.18).toFixed(1)}" fill="url(#g)"/></svg>`;
  return sharp(src).composite([{ input: Buffer.from(svg), blend: 'over' }]).png().toBuffer();
}

/** The document at 45 % of a 4000×3000 frame's width, tilted 5°, on a textured background, JPEG q90. */
async function table12mp(src: Buffer, seed: number): Promise<Buffer> {
  const W = 4000;
  const H = 3000;
  const r = rng(seed);
  const doc = await sharp(src)
    .ensureAlpha()
    .resize({ width: Math.round(W * 0.45), kernel: 'lanczos3' })
    .rotate(5, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
    .png()
    .toBuffer();
  const meta = await sharp(doc).metadata();
  // Not always dead centre: ±10 % of the free space.
  const left = Math.round(((W - meta.width!) / 2) * (0.9 + 0.2 * r()));
  const top = Math.round(((H - meta.height!) / 2) * (0.9 + 0.2 * r()));
  return sharp(await background(W, H, seed))
    .composite([{ input: doc, left, top }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** One variant of one image. */
export async function makeVariant(src: Buffer, variant: Variant, seed: number): Promise<Made> {
  // Flatten any alpha onto white first: a scan has no transparency.
  const flat = await sharp(src).flatten({ background: '#ffffff' }).png().toBuffer();
  switch (variant) {
    case 'rot90':
      return png(sharp(flat).rotate(90));
    case 'rot180':
      return png(sharp(flat).rotate(180));
    case 'rot270':
      return png(sharp(flat).rotate(270));
    case 'tilt+8':
      return png(sharp(await tilt(flat, 8, seed)));
    case 'tilt-8':
      return png(sharp(await tilt(flat, -8, seed)));
    case 'persp_top':
      return png(sharp(await keystone(flat, 'top', seed)));
    case 'persp_left':
      return png(sharp(await keystone(flat, 'left', seed)));
    case 'blur':
      return png(sharp(flat).blur(1.2));
    case 'jpeg35':
      return { bytes: await sharp(flat).jpeg({ quality: 35, chromaSubsampling: '4:2:0' }).toBuffer(), ext: 'jpg' };
    case 'glare':
      return png(sharp(await glare(flat, seed)));
    case 'down60': {
      const meta = await sharp(flat).metadata();
      return png(sharp(flat).resize({ width: Math.round(meta.width! * 0.6), kernel: 'lanczos3' }));
    }
    case 'table12mp':
      return { bytes: await table12mp(flat, seed), ext: 'jpg' };
  }
}

async function main(): Promise<void> {
  const [labelsPath, outDir, only] = process.argv.slice(2);
  if (!labelsPath || !outDir) {
    process.stderr.write('usage: npx tsx scripts/augment-documents.ts <labels.tsv> <outdir> [variant,variant…]\n');
    process.exit(2);
  }
  const variants = only ? (only.split(',') as Variant[]) : [...VARIANTS];
  for (const v of variants) if (!VARIANTS.includes(v)) throw new Error(`unknown variant ${v} (known: ${VARIANTS.join(', ')})`);
  const lines = (await readFile(labelsPath, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()!.split('\t');
  const col = (name: string) => header.indexOf(name);
  if (col('file') < 0 || col('doc_type') < 0) throw new Error('labels: need columns "file" and "doc_type"');
  const base = dirname(resolve(labelsPath));
  await mkdir(outDir, { recursive: true });
  const out: string[] = [[...header, 'variant'].join('\t')];
  let n = 0;
  for (const line of lines) {
    const cells = line.split('\t');
    while (cells.length < header.length) cells.push('');
    if ((cells[col('doc_type')] ?? '').trim() === '') continue;
    const file = cells[col('file')]!.trim();
    const raw = await readFile(resolve(base, file));
    // sharp does not read Windows bitmaps (document readers write them): decoded here, as the
    // engine does (src/server/vision/bmp.ts), then given to sharp as PNG.
    const bmp = isBmp(raw) ? decodeBmp(raw) : null;
    if (isBmp(raw) && !bmp) throw new Error(`${file}: a bitmap this script cannot read`);
    const src = bmp ? await sharp(bmp.rgb, { raw: { width: bmp.width, height: bmp.height, channels: 3 } }).png().toBuffer() : raw;
    const stem = basename(file, extname(file));
    for (const variant of variants) {
      const made = await makeVariant(src, variant, seedOf(`${file}#${variant}`));
      const name = `${stem}__${variant}.${made.ext}`;
      await writeFile(join(outDir, name), made.bytes);
      const row = [...cells];
      row[col('file')] = name;
      if (col('sha256') >= 0) row[col('sha256')] = createHash('sha256').update(made.bytes).digest('hex');
      out.push([...row, variant].join('\t'));
      n++;
    }
  }
  await writeFile(join(outDir, 'LABELS.tsv'), out.join('\n') + '\n');
  process.stdout.write(`${n} images (${variants.length} variants) and LABELS.tsv written to ${outDir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await main();
}
