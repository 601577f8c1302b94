/**
 * `npx tsx scripts/steadiness-calibration.ts <set dir>…` (e.g. /work/shared/fixtures/real
 * /work/shared/fixtures/real2): the measurement behind `STEADY_MAX_MAD` (src/web/live-guide.ts).
 * For each labelled document image: the mean absolute luma difference of two 48 × 30 grey
 * thumbnails of 90 % of the card — with independent noise only (σ 2 and 4 levels), and with the
 * second one shifted by 1, 2, 3, 5 % of the width (a hand moving between two checks). Prints the
 * distribution of each (min, p5, median, p95, max).
 */
import sharp from 'sharp';
import { readFileSync } from 'node:fs';
const dirs = process.argv.slice(2);
const W = 48, H = 30;
async function thumb(buf: Buffer, dx: number, noise: number, seed: number) {
  const img = sharp(buf).rotate().removeAlpha();
  const m = await img.metadata();
  const w = m.width!, h = m.height!;
  // crop a central region of 90 % of the card, shifted by dx·w
  const cw = Math.round(w * 0.9), ch = Math.round(h * 0.9);
  const left = Math.max(0, Math.min(w - cw, Math.round((w - cw) / 2 + dx * w)));
  const top = Math.round((h - ch) / 2);
  const raw = await sharp(buf).rotate().removeAlpha().extract({ left, top, width: cw, height: ch }).resize(W, H, { fit: 'fill' }).greyscale().raw().toBuffer();
  let s = seed;
  const out = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff; const u1 = (s + 1) / 0x80000000;
    s = (s * 1103515245 + 12345) & 0x7fffffff; const u2 = (s + 1) / 0x80000000;
    out[i] = raw[i]! + noise * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}
const mad = (a: Float64Array, b: Float64Array) => { let t = 0; for (let i = 0; i < a.length; i++) t += Math.abs(a[i]! - b[i]!); return t / a.length; };
const res: Record<string, number[]> = { noise2: [], noise4: [], shift1: [], shift2: [], shift3: [], shift5: [] };
for (const dir of dirs) {
  const rows = readFileSync(`${dir}/LABELS.tsv`, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')[0]!).filter((f) => f.startsWith('documents/'));
  for (const f of rows) {
    let buf: Buffer; try { buf = readFileSync(`${dir}/${f}`); await sharp(buf).metadata(); } catch { continue; }
    try {
      const base = await thumb(buf, 0, 2, 1);
      res.noise2!.push(mad(base, await thumb(buf, 0, 2, 2)));
      res.noise4!.push(mad(await thumb(buf, 0, 4, 3), await thumb(buf, 0, 4, 4)));
      for (const k of [1, 2, 3, 5]) res[`shift${k}`]!.push(mad(base, await thumb(buf, k / 100 * 1.0 / 0.9 * 0.9, 2, 5)));
    } catch { /* too small */ }
  }
}
const q = (a: number[], p: number) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
for (const [k, v] of Object.entries(res)) console.log(k, 'n', v.length, 'min', q(v, 0).toFixed(2), 'p5', q(v, 0.05).toFixed(2), 'p50', q(v, 0.5).toFixed(2), 'p95', q(v, 0.95).toFixed(2), 'max', q(v, 1).toFixed(2));
