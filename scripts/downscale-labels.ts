/**
 * `npx tsx scripts/downscale-labels.ts <LABELS.tsv> <out dir> [--phone <long side px>]`: a copy of a labelled evaluation
 * set whose images went through the capture page's own downscale (src/web/downscale.ts
 * `prepareUpload`, bundled with esbuild and run in Debian's Chromium: the same canvas, the same
 * JPEG encoder as the applicant's browser), with the same LABELS.tsv. Then
 * `npm run --silent evaluate -- documents <out dir>/LABELS.tsv` against the original set says
 * whether the downscale changes the engines' results. Prints one line per image (size before →
 * after). The copy is for a measurement: put it under /tmp, never into the repository.
 *
 * `--phone 4000`: the evaluation sets' images are mostly small scans (≤ 700 px), which the page
 * sends unchanged. To ask what a phone's 12 MP still loses, each image is first enlarged to that
 * long side (Lanczos, JPEG quality 92, as a phone camera writes it) into `<out dir>/phone/` — the
 * "sent at full size" set — and that copy is then downscaled by the page into `<out dir>/page/`.
 * Evaluate both: the difference is the downscale's alone.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import sharp from 'sharp';

const [labelsArg, outArg, ...rest] = process.argv.slice(2);
const phoneArg = rest.indexOf('--phone');
const phoneSide = phoneArg >= 0 ? Number(rest[phoneArg + 1]) : 0;
if (!labelsArg || !outArg) {
  process.stderr.write('usage: npx tsx scripts/downscale-labels.ts <LABELS.tsv> <out dir>\n');
  process.exit(2);
}
const labels = resolve(labelsArg);
const srcDir = dirname(labels);
const outDir = resolve(outArg);
const here = dirname(fileURLToPath(import.meta.url));

const bundle = await build({
  stdin: { contents: "import { prepareUpload } from './downscale.ts'; (globalThis as any).prepareUpload = prepareUpload;", resolveDir: join(here, '../src/web'), loader: 'ts' },
  bundle: true, write: false, format: 'iife', target: 'es2020',
});
const code = bundle.outputFiles[0]!.text;

const lines = readFileSync(labels, 'utf8').split('\n');
const header = lines[0]!.split('\t');
const fileCol = header.indexOf('file');
const files = lines.slice(1).filter((l) => l.trim()).map((l) => l.split('\t')[fileCol]!);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.evaluate(code);
  mkdirSync(outDir, { recursive: true });
  const pageDir = phoneSide ? join(outDir, 'page') : outDir;
  const phoneDir = join(outDir, 'phone');
  for (const file of files) {
    let bytes = readFileSync(join(srcDir, file));
    let type = /\.png$/i.test(file) ? 'image/png' : /\.webp$/i.test(file) ? 'image/webp' : 'image/jpeg';
    if (phoneSide) {
      const meta = await sharp(bytes).rotate().metadata();
      const k = phoneSide / Math.max(meta.width!, meta.height!);
      bytes = await sharp(bytes).rotate().resize(Math.round(meta.width! * k), Math.round(meta.height! * k), { kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer();
      type = 'image/jpeg';
      mkdirSync(dirname(join(phoneDir, file)), { recursive: true });
      writeFileSync(join(phoneDir, file), bytes);
    }
    const out = await page.evaluate(async ([b64, t]) => {
      const raw = Uint8Array.from(atob(b64!), (c) => c.charCodeAt(0));
      const prepared: Blob = await (globalThis as unknown as { prepareUpload(b: Blob): Promise<Blob> }).prepareUpload(new Blob([raw], { type: t }));
      const buf = new Uint8Array(await prepared.arrayBuffer());
      let s = '';
      for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
      return btoa(s);
    }, [bytes.toString('base64'), type] as const);
    const result = Buffer.from(out, 'base64');
    mkdirSync(dirname(join(pageDir, file)), { recursive: true });
    // Same name, so the labels match; the engines read the format from the bytes.
    writeFileSync(join(pageDir, file), result);
    console.log(`${file}\t${bytes.length}\t${result.length}\t${result.equals(bytes) ? 'unchanged' : 'downscaled/re-encoded'}`);
  }
  copyFileSync(labels, join(pageDir, 'LABELS.tsv'));
  if (phoneSide) copyFileSync(labels, join(phoneDir, 'LABELS.tsv'));
} finally {
  await browser.close();
}
