/**
 * Line recognition with PaddleOCR's CRNN/SVTR model (CTC head) and the 0°/180° line classifier.
 * A line is sampled straight from the source image into a 48-px-high strip (perspective-correct,
 * bicubic), so small text is upscaled once with a sharp kernel rather than through several
 * resizes.
 */
import * as ort from 'onnxruntime-node';
import type { OcrModels } from './models.js';
import { distance, warpQuad, type Quad, type RgbImage } from './image.js';
import { OCR_DEFAULTS } from './config.js';

export interface RecognizedChar {
  char: string;
  /** Model probability of this character at its peak step, 0–1. */
  p: number;
  /** Next-best characters at that step (restricted to the allowed alphabet), best first. */
  alternatives: { char: string; p: number }[];
}

export interface Recognition {
  text: string;
  /** Mean peak probability of the characters read, 0–1 (0 for an empty read). */
  confidence: number;
  chars: RecognizedChar[];
  /** With `framesFor`: the recogniser's whole output over that alphabet, every model step. */
  frames?: CtcFrames;
}

/**
 * The recogniser's per-step probabilities restricted to an alphabet: `probs[t * (n + 1) + 0]` is
 * the CTC blank at step t, `probs[t * (n + 1) + 1 + k]` the k-th character of `alphabet`
 * (n = alphabet length). Each step is renormalised over these n + 1 classes: the probability of
 * each given that the output is in the alphabet. What an evidence decoder (mrz/lattice.ts) reads.
 */
export interface CtcFrames {
  alphabet: string;
  steps: number;
  probs: Float32Array;
}

export interface RecognizeOptions {
  /** Only these characters may be output (e.g. the MRZ alphabet); default: the whole dictionary. */
  alphabet?: string;
  /** Widen (> 1) or narrow (< 1) the strip relative to the line's own aspect ratio. CTC needs
   * several model steps (8 px each) per character: widening helps with long filler runs. */
  widthStretch?: number;
  /** Exact strip width, px (overrides widthStretch): e.g. characters × target pitch. */
  stripWidthPx?: number;
  /** Stretch each strip's contrast so its darkest 1 % is black and brightest 1 % white (helps
   * faint, low-contrast prints such as a grey MRZ on a tinted page). */
  normalizeContrast?: boolean;
  /** Also return every step's probabilities over this alphabet (`Recognition.frames`). */
  framesFor?: string;
}

const maskCache = new Map<string, Int32Array>();

/** Dictionary indices allowed for an alphabet (always including the CTC blank, index 0). */
function allowedIndices(dictionary: string[], alphabet: string | undefined): Int32Array | null {
  if (!alphabet) return null;
  const key = alphabet;
  const cached = maskCache.get(key);
  if (cached) return cached;
  const wanted = new Set(alphabet);
  const idx = [0];
  dictionary.forEach((ch, i) => {
    if (i > 0 && wanted.has(ch)) idx.push(i);
  });
  const arr = Int32Array.from(idx);
  maskCache.set(key, arr);
  return arr;
}

/** The strip the recogniser sees for a quad (exported for debugging and tests). */
export function lineStrip(
  image: RgbImage,
  quad: Quad,
  /** `maxWidthPx`: sample at most this wide (default: the recogniser's longest strip). */
  options: Pick<RecognizeOptions, 'widthStretch' | 'stripWidthPx' | 'normalizeContrast'> & { maxWidthPx?: number } = {},
): RgbImage {
  const H = OCR_DEFAULTS.recHeightPx;
  const len = (distance(quad[0], quad[1]) + distance(quad[3], quad[2])) / 2;
  const hgt = Math.max(1, (distance(quad[0], quad[3]) + distance(quad[1], quad[2])) / 2);
  const natural = (H * len * (options.widthStretch ?? 1)) / hgt;
  const W = Math.max(16, Math.min(options.maxWidthPx ?? OCR_DEFAULTS.recMaxWidthPx, Math.round(options.stripWidthPx ?? natural)));
  const strip = warpQuad(image, quad, W, H);
  if (options.normalizeContrast) stretchContrast(strip);
  return strip;
}

/** In place: map the 1st..99th luminance percentiles to 0..255 (same linear map on R, G, B). */
export function stretchContrast(img: RgbImage): void {
  const hist = new Uint32Array(256);
  const n = img.width * img.height;
  const px = img.rgb;
  for (let i = 0; i < n; i++) hist[(px[i * 3]! * 77 + px[i * 3 + 1]! * 150 + px[i * 3 + 2]! * 29) >> 8]!++;
  const cut = Math.floor(n * 0.01);
  let lo = 0;
  for (let acc = 0; lo < 255 && acc + hist[lo]! <= cut; lo++) acc += hist[lo]!;
  let hi = 255;
  for (let acc = 0; hi > 0 && acc + hist[hi]! <= cut; hi--) acc += hist[hi]!;
  if (hi - lo < 8) return; // flat strip: nothing to stretch
  const scale = 255 / (hi - lo);
  for (let i = 0; i < n * 3; i++) {
    const v = (px[i]! - lo) * scale;
    px[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
}

/** Byte → model input, [-1, 1] (PaddleOCR's recogniser and classifier preprocessing). */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

function toTensorData(strips: RgbImage[], width: number, out: Float32Array, height: number): void {
  out.fill(0);
  const plane = width * height;
  strips.forEach((s, n) => {
    const base = n * 3 * plane;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < s.width && x < width; x++) {
        const i = (y * s.width + x) * 3;
        const o = y * width + x;
        // BGR order, scaled to [-1, 1] as in PaddleOCR's recogniser preprocessing.
        out[base + o] = TO_UNIT[s.rgb[i + 2]!]!;
        out[base + plane + o] = TO_UNIT[s.rgb[i + 1]!]!;
        out[base + 2 * plane + o] = TO_UNIT[s.rgb[i]!]!;
      }
    }
  });
}

/** Recognise already-sampled strips (48 px high). */
export async function recognizeStrips(models: OcrModels, strips: RgbImage[], options: RecognizeOptions = {}): Promise<Recognition[]> {
  const H = OCR_DEFAULTS.recHeightPx;
  const allowed = allowedIndices(models.dictionary, options.alphabet);
  const order = strips.map((s, i) => ({ i, w: s.width })).sort((a, b) => a.w - b.w);
  const results: Recognition[] = new Array(strips.length);
  for (let k = 0; k < order.length; k += OCR_DEFAULTS.recBatchSize) {
    const batch = order.slice(k, k + OCR_DEFAULTS.recBatchSize);
    const width = Math.max(...batch.map((b) => b.w));
    const data = new Float32Array(batch.length * 3 * H * width);
    toTensorData(batch.map((b) => strips[b.i]!), width, data, H);
    const feeds = { [models.rec.inputNames[0]!]: new ort.Tensor('float32', data, [batch.length, 3, H, width]) };
    const out = (await models.rec.run(feeds))[models.rec.outputNames[0]!]!;
    const [, T, C] = out.dims as [number, number, number];
    const probs = out.data as Float32Array;
    batch.forEach((b, n) => {
      // Steps beyond this strip's own width only see padding.
      const steps = Math.min(T, Math.ceil((b.w / width) * T));
      results[b.i] = ctcDecode(probs, n * T * C, steps, C, models.dictionary, allowed);
      if (options.framesFor) results[b.i]!.frames = framesOver(probs, n * T * C, steps, C, models.dictionary, options.framesFor);
    });
  }
  return results;
}

const columnCache = new Map<string, Int32Array>();

/** Dictionary index of the blank (0) then of each character of `alphabet` (-1 when absent). */
function columnsFor(dictionary: string[], alphabet: string): Int32Array {
  const cached = columnCache.get(alphabet);
  if (cached) return cached;
  const cols = Int32Array.from([0, ...[...alphabet].map((ch) => dictionary.indexOf(ch, 1))]);
  columnCache.set(alphabet, cols);
  return cols;
}

/** The steps' probabilities over blank + `alphabet`, renormalised per step (CtcFrames). */
export function framesOver(probs: Float32Array, offset: number, steps: number, classes: number, dictionary: string[], alphabet: string): CtcFrames {
  const cols = columnsFor(dictionary, alphabet);
  const n = cols.length;
  const out = new Float32Array(steps * n);
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const c = cols[k]!;
      const p = c >= 0 ? probs[base + c]! : 0;
      out[t * n + k] = p;
      sum += p;
    }
    if (sum > 0) for (let k = 0; k < n; k++) out[t * n + k]! /= sum;
    else out[t * n] = 1;
  }
  return { alphabet, steps, probs: out };
}

/** Greedy CTC: best class per step, repeats collapsed, blanks dropped. */
export function ctcDecode(
  probs: Float32Array,
  offset: number,
  steps: number,
  classes: number,
  dictionary: string[],
  allowed: Int32Array | null,
): Recognition {
  const chars: RecognizedChar[] = [];
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    const base = offset + t * classes;
    // Top three classes of this step (over the allowed ones), without a call per class: the
    // whole dictionary is 6,625 classes × ~200 steps per line.
    let best = 0;
    let bestP = -1;
    let second = -1;
    let secondP = -1;
    let third = -1;
    let thirdP = -1;
    const n = allowed ? allowed.length : classes;
    for (let k = 0; k < n; k++) {
      const c = allowed ? allowed[k]! : k;
      const p = probs[base + c]!;
      if (p <= thirdP) continue;
      if (p > bestP) {
        third = second;
        thirdP = secondP;
        second = best;
        secondP = bestP;
        best = c;
        bestP = p;
      } else if (p > secondP) {
        third = second;
        thirdP = secondP;
        second = c;
        secondP = p;
      } else {
        third = c;
        thirdP = p;
      }
    }
    if (best !== 0 && best !== prev) {
      const alternatives: { char: string; p: number }[] = [];
      for (const [c, p] of [
        [second, secondP],
        [third, thirdP],
      ] as const) {
        if (c > 0 && p > 0) alternatives.push({ char: dictionary[c] ?? '', p });
      }
      chars.push({ char: dictionary[best] ?? '', p: bestP, alternatives });
    } else if (best !== 0 && best === prev && chars.length > 0) {
      const last = chars[chars.length - 1]!;
      if (bestP > last.p) last.p = bestP;
    }
    prev = best;
  }
  const text = chars.map((c) => c.char).join('');
  const confidence = chars.length ? chars.reduce((s, c) => s + c.p, 0) / chars.length : 0;
  return { text, confidence, chars };
}

/** Input width of the direction classifier, px (fixed by the model: 48 × 192). A longer line is
 * squeezed into it, so callers sample lines at most this wide (`lineStrip` with stripWidthPx)
 * rather than at their natural width. */
export const CLS_WIDTH_PX = 192;

/** Probability that each strip is upside down (PaddleOCR's direction classifier), 0–1. */
export async function upsideDownProbability(models: OcrModels, strips: RgbImage[]): Promise<number[]> {
  if (strips.length === 0) return [];
  const H = 48;
  const W = CLS_WIDTH_PX;
  const data = new Float32Array(strips.length * 3 * H * W);
  const resized = strips.map((s) => {
    const w = Math.max(1, Math.min(W, Math.ceil((H * s.width) / s.height)));
    return squeeze(s, w, H);
  });
  toTensorData(resized, W, data, H);
  const feeds = { [models.cls.inputNames[0]!]: new ort.Tensor('float32', data, [strips.length, 3, H, W]) };
  const out = (await models.cls.run(feeds))[models.cls.outputNames[0]!]!;
  const p = out.data as Float32Array;
  return strips.map((_, i) => p[i * 2 + 1]!);
}

/** Nearest-neighbour resize of a strip (the classifier only needs the coarse shape). */
function squeeze(s: RgbImage, w: number, h: number): RgbImage {
  const out = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(s.height - 1, Math.floor(((y + 0.5) * s.height) / h));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(s.width - 1, Math.floor(((x + 0.5) * s.width) / w));
      const i = (sy * s.width + sx) * 3;
      const o = (y * w + x) * 3;
      out[o] = s.rgb[i]!;
      out[o + 1] = s.rgb[i + 1]!;
      out[o + 2] = s.rgb[i + 2]!;
    }
  }
  return { rgb: out, width: w, height: h };
}

