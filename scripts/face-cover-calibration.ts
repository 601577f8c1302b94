/**
 * `npx tsx scripts/face-cover-calibration.ts <labels.tsv>…` (run under `flock /tmp/heavy.lock`):
 * the measurements behind docs/vision-faces.md "Fabric over the face and hands the detector
 * misses". Candidate evidence for a knitted or woven cover over the face (a balaclava whose eye
 * and mouth holes show real skin) and for hands over the face, on every labelled face:
 *
 *  - texture (mean |ΔL*| per px, `regionStats`) of the skin reference, of the forehead alone, and
 *    each over the texture of the skin right around the eyes (between lid and brow, below each
 *    eye: inside a balaclava's eye holes);
 *  - periodicity of the reference patches: the largest (r(v) − r(v/2)) / 2 over 2-D lags v of the
 *    normalised autocorrelation r of high-passed luma (a knit repeats, skin does not), median
 *    over the patches; and the largest peak of the windowed 2-D power spectrum (periods 2.5–12
 *    px) over the median power, on the forehead;
 *  - hue angle of the skin reference (Lab, degrees) and the largest chroma distance of an
 *    eye-surround patch from the reference;
 *  - hands, from human's hand detector run on EVERY image with its floor at 0.05 (the engine runs
 *    it only when a face shows hidden lips or skin-bright eyes, with the floor at 0.3): the best
 *    score of a hand at least 0.4 face widths wide covering ≥ 30 % of the mouth or of the eye
 *    band; and of a hand ≥ 0.4 face widths wide overlapping the face box with ≥ 5 of its skeleton
 *    points below the chin (a hand under the chin).
 *
 * Rows with `expected_error` FACE_IS_OCCLUDED are "covered", FACE_NOT_FOUND rows are skipped,
 * every other row is an uncovered face (a face too close or turned is still uncovered). The main
 * face is the one `judgeFaces` picks. Faces below 30 working px between the pupils (the colour
 * rules' resolution floor) are left out of the pixel features. Prints, per feature, each covered
 * face's value with the number of uncovered faces at or above it, and the uncovered distribution (n, median, 95th and 99th percentiles, maximum
 * and the five faces at the top), then one JSON line per face with `--json`.
 *
 * `--fullres` adds the fabric measures of the original pixels (scripts/fabric-fullres.ts: the face
 * cut again from the original bytes at FABRIC_IPD_PX between the pupils): `fullresAcf` is the
 * engine's fabric periodicity (src/server/vision/face/fabric.ts), `fullresPeak` and
 * `fullresRingPeak` two spectral measures; each also over the faces not upscaled.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { decodeImage, type DecodedImage } from '../src/server/vision/decode-image.js';
import { DEFAULT_FACE_CONFIG as cfg, loadFaceModels } from '../src/server/vision/face/index.js';
import { toDetectedFace } from '../src/server/vision/face/detect-faces.js';
import { factsOf } from '../src/server/vision/face/engine.js';
import { judgeFaces } from '../src/server/vision/face/judge-face.js';
import { chromaDelta, regionStats, sharpnessAndBrightness } from '../src/server/vision/face/image-stats.js';
import { measureOcclusion } from '../src/server/vision/face/occlusion.js';
import type { Box, DetectedFace, DetectedHand, Point } from '../src/server/vision/face/types.js';
import { FABRIC_IPD_PX } from '../src/server/vision/face/fabric.js';
import { fullResFabric } from './fabric-fullres.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const fullres = args.includes('--fullres');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error('usage: npx tsx scripts/face-cover-calibration.ts <labels.tsv>… [--fullres] [--json]');
  process.exit(2);
}

interface Row { file: string; expected: string; group: string }
const rows: Row[] = [];
for (const tsv of files) {
  const [head, ...lines] = readFileSync(tsv, 'utf8').trim().split('\n');
  const cols = head!.split('\t');
  const at = (name: string) => cols.indexOf(name);
  for (const line of lines) {
    const c = line.split('\t');
    const expected = c[at('expected_error')] ?? '';
    if (!expected || expected === 'FACE_NOT_FOUND') continue;
    const f = c[at('file')]!;
    const variant = at('variant') >= 0 ? c[at('variant')] : '';
    rows.push({ file: isAbsolute(f) ? f : join(dirname(tsv), f), expected, group: variant ? `variant:${variant}` : basename(dirname(tsv)) });
  }
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN; };
const boxAround = (c: Point, w: number, h: number): Box => ({ x: c.x - w / 2, y: c.y - h / 2, width: w, height: h });
const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Luma (0–255) of a box at full working resolution. */
function lumaGrid(img: DecodedImage, b: Box) {
  const x0 = Math.max(0, Math.floor(b.x)), y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(img.width, Math.ceil(b.x + b.width)), y1 = Math.min(img.height, Math.ceil(b.y + b.height));
  const w = x1 - x0, h = y1 - y0;
  if (w < 8 || h < 8) return null;
  const g = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = ((y + y0) * img.width + x + x0) * 3;
    g[y * w + x] = 0.299 * img.rgb[i]! + 0.587 * img.rgb[i + 1]! + 0.114 * img.rgb[i + 2]!;
  }
  return { g, w, h };
}

/** max over lags v (|v| ≥ 3 px) of (r(v) − r(v/2)) / 2, r = normalised autocorrelation of luma minus its 5 × 5 mean. */
function periodicity(grid: { g: Float64Array; w: number; h: number }, maxLag: number): number {
  const { g, w, h } = grid;
  const hp = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0, n = 0;
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
      const yy = y + dy, xx = x + dx;
      if (yy >= 0 && yy < h && xx >= 0 && xx < w) { s += g[yy * w + xx]!; n++; }
    }
    hp[y * w + x] = g[y * w + x]! - s / n;
  }
  const r = (dx: number, dy: number) => {
    let num = 0, d0 = 0, d1 = 0;
    for (let y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) for (let x = Math.max(0, -dx); x < Math.min(w, w - dx); x++) {
      const a = hp[y * w + x]!, b = hp[(y + dy) * w + x + dx]!;
      num += a * b; d0 += a * a; d1 += b * b;
    }
    return num / Math.sqrt(d0 * d1 + 1e-9);
  };
  const L = Math.min(maxLag, Math.floor(Math.min(w, h) / 2));
  let best = Number.NaN;
  for (let dy = 0; dy <= L; dy++) for (let dx = -L; dx <= L; dx++) {
    if ((dy === 0 && dx <= 0) || dx * dx + dy * dy < 9) continue;
    const v = r(dx, dy);
    const s = (v - r(Math.round(dx / 2), Math.round(dy / 2))) / 2;
    if (v > 0 && !(s <= best)) best = s;
  }
  return best;
}

/** Largest power of the Hann-windowed 2-D DFT at periods 2.5–12 px over the median power there. */
function spectralPeak(grid: { g: Float64Array; w: number; h: number }): number {
  const { g, w, h } = grid;
  const W = Math.min(w, 64), H = Math.min(h, 64), x0 = Math.floor((w - W) / 2), y0 = Math.floor((h - H) / 2);
  let mean = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mean += g[(y + y0) * w + x + x0]!;
  mean /= W * H;
  const hann = (n: number, N: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (n + 0.5)) / N);
  const re = new Float64Array(W * H), im = new Float64Array(W * H);
  for (let y = 0; y < H; y++) for (let u = 0; u < W; u++) {
    let a = 0, b = 0;
    for (let x = 0; x < W; x++) {
      const v = (g[(y + y0) * w + x + x0]! - mean) * hann(x, W) * hann(y, H), t = (-2 * Math.PI * u * x) / W;
      a += v * Math.cos(t); b += v * Math.sin(t);
    }
    re[y * W + u] = a; im[y * W + u] = b;
  }
  const power: number[] = [];
  for (let u = 0; u < W; u++) for (let k = 0; k <= H / 2; k++) {
    const fu = (u <= W / 2 ? u : u - W) / W, fv = k / H, f = Math.hypot(fu, fv);
    if (f === 0 || 1 / f < 2.5 || 1 / f > 12 || (fv === 0 && fu < 0)) continue;
    let a = 0, b = 0;
    for (let y = 0; y < H; y++) {
      const t = (-2 * Math.PI * k * y) / H, c = Math.cos(t), s = Math.sin(t);
      a += re[y * W + u]! * c - im[y * W + u]! * s; b += re[y * W + u]! * s + im[y * W + u]! * c;
    }
    power.push(a * a + b * b);
  }
  return power.length < 8 ? Number.NaN : Math.max(...power) / (median(power) + 1e-9);
}

function overlapOf(region: Box, other: Box): number {
  const w = Math.min(region.x + region.width, other.x + other.width) - Math.max(region.x, other.x);
  const h = Math.min(region.y + region.height, other.y + other.height) - Math.max(region.y, other.y);
  return w <= 0 || h <= 0 ? 0 : (w * h) / Math.max(1, region.width * region.height);
}
const boundsOf = (pts: Point[]): Box => {
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y), x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
};

function features(image: DecodedImage, face: DetectedFace, hands: DetectedHand[]) {
  const m = (i: number): Point => ({ x: face.mesh[i]![0], y: face.mesh[i]![1] });
  const iod = Math.max(4, Math.hypot(face.landmarks.rightEye.x - face.landmarks.leftEye.x, face.landmarks.rightEye.y - face.landmarks.leftEye.y));
  const at = (c: Point, w: number, h: number) => boxAround(c, w * iod, h * iod);
  // The engine's patches (occlusion.ts), by mesh point.
  const reference = [at(m(151), 0.6, 0.25), at(m(6), 0.18, 0.18), at(m(117), 0.25, 0.2), at(m(346), 0.25, 0.2), at(m(175), 0.35, 0.2), at(m(205), 0.25, 0.25), at(m(425), 0.25, 0.25)];
  const eyeSurround = [
    at(mid(m(159), m(52)), 0.2, 0.08), at(mid(m(386), m(282)), 0.2, 0.08),
    at({ x: m(145).x, y: m(145).y + 0.12 * iod }, 0.25, 0.1), at({ x: m(374).x, y: m(374).y + 0.12 * iod }, 0.25, 0.1),
  ];
  const occ = measureOcclusion(image, face, []);
  const refStats = reference.map((b) => regionStats(image, b)).filter((s) => s.samples > 0);
  const eyeStats = eyeSurround.map((b) => regionStats(image, b)).filter((s) => s.samples > 0);
  const eyeTexture = median(eyeStats.map((s) => s.texture));
  const forehead = regionStats(image, reference[0]!);
  const grids = reference.map((b) => lumaGrid(image, b));
  const foreheadGrid = grids[0];
  const skin = occ.skin;
  // Hands.
  const fb = face.box;
  const mouth = boundsOf([m(61), m(291), m(0), m(17)]);
  const eyes0 = boundsOf([m(33), m(263), m(133), m(362)]);
  const eyes = { ...eyes0, y: eyes0.y - 0.15 * iod, height: eyes0.height + 0.3 * iod };
  const chinY = m(152).y;
  const wide = hands.filter((h) => h.box.width >= 0.4 * fb.width);
  const bestScore = (hs: DetectedHand[]) => hs.reduce((a, h) => Math.max(a, h.score), 0);
  return {
    skinTexture: occ.skinTexture,
    referenceToEyeSurroundTexture: occ.skinTexture !== null && eyeTexture > 0 ? occ.skinTexture / eyeTexture : null,
    foreheadToEyeSurroundTexture: forehead.samples && eyeTexture > 0 ? forehead.texture / eyeTexture : null,
    referencePeriodicity: median(grids.filter((g) => g !== null).map((g) => periodicity(g!, Math.max(6, Math.ceil(0.12 * iod)))).filter(Number.isFinite)),
    foreheadSpectralPeak: foreheadGrid ? spectralPeak(foreheadGrid) : null,
    skinHueDeg: skin ? (Math.atan2(skin.b, skin.a) * 180) / Math.PI : null,
    skinChroma: occ.skinChroma,
    eyeSurroundMaxChromaDelta: skin && eyeStats.length ? Math.max(...eyeStats.map((s) => chromaDelta(s.median, skin))) : null,
    refPatches: refStats.length,
    handOverMouthOrEyesScore: bestScore(wide.filter((h) => overlapOf(mouth, h.box) >= 0.3 || overlapOf(eyes, h.box) >= 0.3)),
    handUnderChinScore: bestScore(wide.filter((h) => overlapOf(h.box, fb) > 0 && h.keypoints.filter((k) => k.y > chinY).length >= 5)),
    lipsHidden: (occ.lipRedness ?? Infinity) < cfg.minLipRedness,
  };
}

const models = await loadFaceModels();
const human = models.runtime.human;
const tf = human.tf as unknown as { tensor3d: (v: Int32Array | Uint8Array, s: [number, number, number], d: 'int32') => { dispose: () => void } };
type Full = { fullresPeak: number | null; fullresRingPeak: number | null; fullresAcf: number | null; fullresNativeIpd: number | null; fullresForeheadPeriodPx: number | null };
type Out = { file: string; group: string; expected: string; covered: boolean; got: string; ipd: number; f: ReturnType<typeof features> & Partial<Full> };
const out: Out[] = [];
for (const row of rows) {
  let image: DecodedImage;
  const bytes = readFileSync(row.file);
  try { image = await decodeImage(bytes, cfg.workingMaxSidePx); } catch { continue; }
  const pixels = new Uint8Array(image.rgb.buffer, image.rgb.byteOffset, image.width * image.height * 3);
  const tensor = tf.tensor3d(pixels, [image.height, image.width, 3], 'int32');
  const result = await human.detect(tensor as never, { face: { enabled: true, detector: { maxDetected: cfg.maxFaces } }, hand: { enabled: true, minConfidence: 0.05 } } as never);
  tensor.dispose();
  const faces = (result.face ?? []).map((f) => toDetectedFace(f)).filter((f): f is DetectedFace => f !== null);
  const hands: DetectedHand[] = (result.hand ?? []).map((h) => ({ box: { x: h.box[0], y: h.box[1], width: h.box[2], height: h.box[3] }, score: h.score, keypoints: (h.keypoints ?? []).map((k) => ({ x: k[0], y: k[1] })) }));
  // The engine's own judgement (hands as the engine would see them: floor 0.3, only when they matter).
  const analysed = faces.map((f) => ({ ...f, occlusion: measureOcclusion(image, f, hands.filter((h) => h.score >= 0.3)), ...sharpnessAndBrightness(image, f.box) }));
  const j = judgeFaces(image, analysed.map((f) => factsOf(f, cfg)), cfg);
  if (j.mainFace === null) continue;
  const face = faces[j.mainFace]!;
  const f: Out['f'] = features(image, face, hands);
  if (fullres) {
    const fr = await fullResFabric(bytes, image, face);
    Object.assign(f, { fullresPeak: fr?.peak ?? null, fullresRingPeak: fr?.ringPeak ?? null, fullresAcf: fr?.acf ?? null, fullresNativeIpd: fr?.nativeIpd ?? null, fullresForeheadPeriodPx: fr?.foreheadPeriodPx ?? null });
  }
  out.push({ file: basename(row.file), group: row.group, expected: row.expected, covered: row.expected === 'FACE_IS_OCCLUDED', got: j.code ?? 'NONE', ipd: face.interPupilPx, f });
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
const keys = Object.keys(out[0]?.f ?? {}).filter((k) => k !== 'refPatches' && k !== 'lipsHidden' && k !== 'fullresForeheadPeriodPx') as Array<keyof Out['f']>;
for (const key of keys) {
  const pixel = !key.startsWith('hand');
  const usable = out.filter((o) => typeof o.f[key] === 'number' && Number.isFinite(o.f[key] as number) && (!pixel || o.ipd >= cfg.minWorkingInterPupilPxForColourRules));
  const un = usable.filter((o) => !o.covered).sort((a, b) => (b.f[key] as number) - (a.f[key] as number));
  const vals = un.map((o) => o.f[key] as number).sort((a, b) => a - b);
  const q = (p: number) => vals[Math.min(vals.length - 1, Math.floor(p * vals.length))]!;
  console.log(`\n${key}: uncovered n ${vals.length}, median ${fmt(q(0.5))}, p95 ${fmt(q(0.95))}, p99 ${fmt(q(0.99))}, max ${fmt(vals[vals.length - 1]!)}; top ${un.slice(0, 5).map((o) => `${o.file} ${fmt(o.f[key] as number)}`).join(', ')}`);
  if (key.startsWith('fullres') && key !== 'fullresNativeIpd') {
    // The same over faces with at least FABRIC_IPD_PX original px between the pupils (the crop is not upscaled).
    const sharp = un.filter((o) => (o.f.fullresNativeIpd ?? 0) >= FABRIC_IPD_PX);
    const sv = sharp.map((o) => o.f[key] as number).sort((a, b) => a - b);
    if (sv.length) console.log(`  native IPD ≥ ${FABRIC_IPD_PX}: uncovered n ${sv.length}, median ${fmt(sv[Math.floor(sv.length / 2)]!)}, max ${fmt(sv[sv.length - 1]!)}; top ${sharp.slice(0, 5).map((o) => `${o.file} ${fmt(o.f[key] as number)}`).join(', ')}`);
  }
  // Covered faces, one line per set or variant: value (uncovered faces at or above it).
  const groups = new Map<string, Out[]>();
  for (const o of usable.filter((c) => c.covered)) groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  for (const [group, list] of groups) {
    const shown = list.map((o) => `${group.startsWith('variant:') ? '' : `${o.file} `}${fmt(o.f[key] as number)} (${vals.filter((u) => u >= (o.f[key] as number)).length})`);
    console.log(`  covered ${group}: ${shown.join(', ')}`);
  }
}
if (json) for (const o of out) console.log(JSON.stringify(o));
process.exit(0);
