/**
 * `npx tsx scripts/document-presence-calibration.ts <set dir>…` (e.g. /work/shared/fixtures/real
 * /work/shared/fixtures/real2): the measurement behind `EDGE_MIN_GRADIENT` and
 * `DOCUMENT_MIN_EDGE_SHARE` (src/web/live-document.ts). Everything is rendered on the canvas the
 * page measures: the guide region, 240 × 151 px (an ID-1 card's proportions).
 *
 * Positives: each labelled document image fitted into 95 % and 80 % of the region (centred, the
 * rest a plain surface, grey 90 or 190), softened (Gaussian σ 0.8 px, a preview's softness) and
 * with sensor-like noise (σ 3 levels); also a soft-focus variant (σ 1.5). Negatives, stand-ins
 * for "no document" (none are photographs of empty tables — see the limits in
 * docs/web-enrolment.md): plain surfaces (6 levels × noise σ 2/4/8 × with or without a shading
 * of 60 levels across), synthetic textures (wood-like stripes of period 6–24 px and amplitude
 * 8–24 levels; fabric-like blurred noise), each document blurred out of focus (σ 6 px), and — a
 * group reported apart, not a target — photographs of people and scenes from the face sets
 * (<dir>/faces or /work/shared/fixtures/pairs/faces), which have edges of their own.
 * Prints each group's distribution of the edge share and the error rates at the threshold.
 */
import sharp from 'sharp';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { DOCUMENT_MIN_EDGE_SHARE, edgeShare } from '../src/web/live-document.js';

const W = 240, H = 151;
const dirs = process.argv.slice(2);
let seed = 7;
const gauss = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff; const u1 = (seed + 1) / 0x80000000;
  seed = (seed * 1103515245 + 12345) & 0x7fffffff; const u2 = (seed + 1) / 0x80000000;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
};
function noisy(raw: Buffer, sigma: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(raw.length);
  for (let i = 0; i < raw.length; i += 3) {
    const n = sigma * gauss(); // luminance noise, same on the three channels
    for (let c = 0; c < 3; c++) out[i + c] = raw[i + c]! + n;
  }
  return out;
}
async function onSurface(card: Buffer, fill: number, bg: number, blur: number): Promise<Uint8ClampedArray> {
  const fitted = await sharp(card).rotate().removeAlpha().resize(Math.round(W * fill), Math.round(H * fill), { fit: 'inside' }).toBuffer({ resolveWithObject: true });
  const { width, height } = fitted.info;
  // sharp composites last in a pipeline: the blur is a second pass over the composed surface.
  const composed = await sharp({ create: { width: W, height: H, channels: 3, background: { r: bg, g: bg, b: bg } } })
    .composite([{ input: fitted.data, left: Math.round((W - width) / 2), top: Math.round((H - height) / 2) }])
    .png().toBuffer();
  const raw = await sharp(composed).blur(blur).removeAlpha().raw().toBuffer();
  return noisy(raw, 3);
}
function synthetic(f: (x: number, y: number) => number, sigma: number): Uint8ClampedArray {
  const raw = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { const v = Math.max(0, Math.min(255, Math.round(f(x, y)))); raw.fill(v, (y * W + x) * 3, (y * W + x) * 3 + 3); }
  return noisy(raw, sigma);
}
const share = (px: Uint8ClampedArray) => edgeShare(px, W, H, 3);

const groups: Record<string, number[]> = { positive: [], positiveSoft: [], plain: [], texture: [], blurred: [], scenes: [] };
for (const dir of dirs) {
  const rows = readFileSync(`${dir}/LABELS.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]!).filter((f) => f.startsWith('documents/'));
  for (const f of rows) {
    let buf: Buffer; try { buf = readFileSync(`${dir}/${f}`); await sharp(buf).metadata(); } catch { continue; }
    for (const fill of [0.95, 0.8]) for (const bg of [90, 190]) {
      const v = share(await onSurface(buf, fill, bg, 0.8));
      groups.positive!.push(v);
      if (process.env.VERBOSE && v < DOCUMENT_MIN_EDGE_SHARE) console.log('missed', f, fill, bg, v.toFixed(4));
    }
    groups.positiveSoft!.push(share(await onSurface(buf, 0.95, 140, 1.5)));
    groups.blurred!.push(share(await onSurface(buf, 0.95, 140, 6)));
  }
}
for (const level of [30, 60, 100, 150, 200, 240]) for (const sigma of [2, 4, 8]) for (const shade of [0, 60]) groups.plain!.push(share(synthetic((x) => level - shade / 2 + (shade * x) / W, sigma)));
for (const period of [6, 12, 24]) for (const amp of [8, 16, 24]) {
  const v = share(synthetic((x, y) => 140 + amp * Math.sin((2 * Math.PI * (y + 4 * Math.sin(x / 30))) / period), 3));
  groups.texture!.push(v);
  if (process.env.VERBOSE && v >= DOCUMENT_MIN_EDGE_SHARE) console.log('stripes judged a document: period', period, 'amplitude', amp, v.toFixed(4));
}
for (const sigma of [6, 12, 20]) {
  // fabric-like: strong noise, then averaged over 3 × 3 (a weave the preview resolves)
  const base = synthetic(() => 140, sigma * 3);
  const out = new Uint8ClampedArray(base.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { let t = 0, n = 0; for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) { const yy = y + dy, xx = x + dx; if (yy >= 0 && yy < H && xx >= 0 && xx < W) { t += base[(yy * W + xx) * 3]!; n++; } } out.fill(t / n, (y * W + x) * 3, (y * W + x) * 3 + 3); }
  groups.texture!.push(share(out));
  if (process.env.VERBOSE && share(out) >= DOCUMENT_MIN_EDGE_SHARE) console.log('fabric judged a document: sigma', sigma * 3, share(out).toFixed(4));
}
const faceDirs = [...dirs.map((d) => `${d}/faces`), '/work/shared/fixtures/pairs/faces'].filter((d) => existsSync(d));
for (const d of faceDirs) for (const f of readdirSync(d)) {
  try { groups.scenes!.push(share(noisy(await sharp(`${d}/${f}`).rotate().removeAlpha().resize(W, H, { fit: 'cover' }).blur(0.8).raw().toBuffer(), 3))); } catch { /* not an image */ }
}
if (process.env.SWEEP) for (const t of [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08]) {
  console.log('threshold', t, Object.entries(groups).map(([k, v]) => `${k} ${v.filter((x) => (x >= t) !== k.startsWith('positive')).length}/${v.length}`).join('  '));
}
const q = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
for (const [k, v] of Object.entries(groups)) {
  if (v.length === 0) continue;
  const positive = k.startsWith('positive');
  const wrong = v.filter((x) => (x >= DOCUMENT_MIN_EDGE_SHARE) !== positive).length;
  console.log(k.padEnd(13), 'n', String(v.length).padStart(3), 'min', q(v, 0).toFixed(4), 'p5', q(v, 0.05).toFixed(4), 'p50', q(v, 0.5).toFixed(4), 'p95', q(v, 0.95).toFixed(4), 'max', q(v, 1).toFixed(4),
    positive ? `missed ${wrong}/${v.length}` : `judged a document ${wrong}/${v.length}`);
}
