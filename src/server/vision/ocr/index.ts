/**
 * The OCR runtime shared by the MRZ reader and the document classifier: find every text line in
 * an image at any rotation, then read it. `loadOcr()` loads the models once per process.
 *
 * Alphabet of the recogniser (PP-OCRv4 "ch" dictionary, 6,623 symbols + space): digits, Latin
 * A–Z a–z, a few accented Latin letters (é è É á à í ó ò ú ü Ü ä Ë ā ē ī ō ū ǐ ǒ Ó), a handful of
 * Greek and Cyrillic letters only (no Cyrillic alphabet: "РЕСПУБЛИКА" will not be read), simplified
 * and traditional Chinese, 5 Japanese kana, no Korean, ASCII punctuation including `<`.
 */
import type { DecodedImage } from '../decode-image.js';
import type { Box } from '../contract.js';
import { loadOcrModels, type OcrModels } from './models.js';
import { detectText, type DetectedBox, type DetectOptions } from './detect.js';
import { CLS_WIDTH_PX, lineStrip, recognizeStrips, upsideDownProbability, type CtcFrames, type Recognition, type RecognizeOptions } from './recognize.js';
import { normalizeAngle, orientRect, quadToRect, rectToQuad, type RotatedRect } from './geometry.js';
import { quadBounds, type Quad, type RgbImage } from './image.js';
import { OCR_DEFAULTS } from './config.js';

export type { Quad, Point, RgbImage } from './image.js';
export type { RotatedRect } from './geometry.js';
export type { DetectedBox, DetectOptions } from './detect.js';
export type { CtcFrames, Recognition, RecognizedChar } from './recognize.js';
export { OCR_DEFAULTS } from './config.js';
export { createOcrModels, type OcrModels } from './models.js';

export interface TextLine {
  text: string;
  /** Mean per-character probability of the read, 0–1. */
  confidence: number;
  /** Per character as read: its probability (when the caller kept the recogniser's output). */
  chars?: { char: string; p: number }[];
  /** Axis-aligned box of the line, pixels of the image given to readLines. */
  box: Box;
  /** Reading direction, degrees clockwise from "left to right on an upright page": 0 upright,
   * 90 when the page's top points right (text runs downwards), 180 upside down, -90 (= 270). */
  angle?: number;
  /** The line's corners in reading order (top-left, top-right, bottom-right, bottom-left as read),
   * same pixels as `box`. */
  quad?: Quad;
  /** The recogniser's per-step output over an alphabet, when the reader asked for it
   * (`framesFor`): what the MRZ decoder turns into evidence without reading the line again. */
  frames?: CtcFrames;
}

export interface ReadLinesOptions extends DetectOptions {
  /** Read only this part of the image (boxes and quads stay in whole-image pixels). */
  region?: Box;
  /** Restrict what the recogniser may output (e.g. 'ABC…XYZ0123456789<'). */
  alphabet?: string;
  /** Recognise only lines at least this many times longer than high; the others are returned
   * unread (text '', confidence 0) so their geometry is still known. Default: read every line. */
  minReadAspect?: number;
  /** Also keep every read line's per-step output over this alphabet (`TextLine.frames`). */
  framesFor?: string;
}

export interface Ocr {
  /** Every text line, oriented and read, in reading order. */
  readLines(image: RgbImage | DecodedImage, options?: ReadLinesOptions): Promise<TextLine[]>;
  /** Text regions only (rotated rectangles, longer side = width, angle ∈ [0, π)). */
  detect(image: RgbImage, options?: DetectOptions): Promise<DetectedBox[]>;
  /** Read given quads (corners in reading order) from the image. */
  recognize(image: RgbImage, quads: Quad[], options?: RecognizeOptions): Promise<Recognition[]>;
  /** Probability, per quad, that the line is upside down as given (0–1). */
  upsideDown(image: RgbImage, quads: Quad[]): Promise<number[]>;
}

let shared: Promise<Ocr> | null = null;

/** Loads detection, recognition and direction models once; throws if the model files are missing. */
export function loadOcr(): Promise<Ocr> {
  if (!shared) {
    shared = loadOcrModels().then((m) => new PaddleOcr(m));
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/** An Ocr over given models (e.g. `createOcrModels({ fuse: false })` to compare in one process). */
export function ocrOver(models: OcrModels): Ocr {
  return new PaddleOcr(models);
}

class PaddleOcr implements Ocr {
  constructor(private readonly models: OcrModels) {}

  detect(image: RgbImage, options?: DetectOptions): Promise<DetectedBox[]> {
    return detectText(this.models, image, options);
  }

  async recognize(image: RgbImage, quads: Quad[], options?: RecognizeOptions): Promise<Recognition[]> {
    const strips = quads.map((q) => lineStrip(image, q, options));
    return recognizeStrips(this.models, strips, options);
  }

  async upsideDown(image: RgbImage, quads: Quad[]): Promise<number[]> {
    // The classifier squeezes every line into 192 px: sample long lines straight at that width
    // (a natural-width strip of a 40-character line costs ~9× the warping and is thrown away).
    return upsideDownProbability(
      this.models,
      quads.map((q) => lineStrip(image, q, { maxWidthPx: CLS_WIDTH_PX })),
    );
  }

  async readLines(input: RgbImage | DecodedImage, options: ReadLinesOptions = {}): Promise<TextLine[]> {
    const image: RgbImage = { rgb: input.rgb, width: input.width, height: input.height };
    const region = options.region ? clipBox(options.region, image) : null;
    const target = region ? cropRgb(image, region) : image;
    const boxes = await detectText(this.models, target, options);
    if (boxes.length === 0) return [];
    const rects = await orientForReading(this, target, boxes.map((b) => b.rect));
    const quads = rects.map(rectToQuad);
    const minAspect = options.minReadAspect ?? 0;
    const toRead = rects.map((r, i) => ({ r, i })).filter(({ r }) => r.width >= minAspect * r.height);
    const recognized = await this.recognize(
      target,
      toRead.map(({ i }) => quads[i]!),
      { alphabet: options.alphabet, framesFor: options.framesFor },
    );
    const reads = new Map(toRead.map(({ i }, k) => [i, recognized[k]!]));
    const dx = region?.x ?? 0;
    const dy = region?.y ?? 0;
    const lines: TextLine[] = [];
    quads.forEach((q, i) => {
      const r = reads.get(i) ?? { text: '', confidence: 0 };
      // A line read as nothing is dropped; an unread one is kept for its geometry.
      if (reads.has(i) && r.text.trim() === '') return;
      const quad = q.map((p) => ({ x: p.x + dx, y: p.y + dy })) as Quad;
      lines.push({
        text: r.text,
        confidence: r.confidence,
        box: quadBounds(quad, image.width, image.height),
        angle: Math.round((quadToRect(quad).angle * 180) / Math.PI * 10) / 10,
        quad,
        ...(reads.get(i)?.frames ? { frames: reads.get(i)!.frames } : {}),
      });
    });
    return lines;
  }
}

/**
 * Every detected box turned for reading, in reading order. The page's dominant direction
 * (dominantDirection) orients the boxes along it; elongated boxes across it
 * (`crossLineMinAspect`) keep their own direction. Each of the two groups settles its 180°
 * ambiguity by the vote of its longest lines with the direction classifier, and is ordered in
 * its own frame (the page's lines first).
 */
export async function orientForReading(ocr: Pick<Ocr, 'upsideDown'>, image: RgbImage, boxes: RotatedRect[]): Promise<RotatedRect[]> {
  const direction = dominantDirection(boxes);
  const along: RotatedRect[] = [];
  const across: RotatedRect[] = [];
  for (const r of boxes) {
    const long = Math.max(r.width, r.height);
    const short = Math.max(1, Math.min(r.width, r.height));
    const axis = r.width >= r.height ? r.angle : r.angle + Math.PI / 2;
    if (long >= OCR_DEFAULTS.crossLineMinAspect * short && Math.abs(Math.sin(axis - direction)) > Math.SQRT1_2) across.push(orientRect(r, direction + Math.PI / 2));
    else along.push(orientRect(r, direction));
  }
  const settle = async (rects: RotatedRect[], dir: number): Promise<RotatedRect[]> => {
    if (rects.length === 0) return rects;
    const voters = [...rects].sort((a, b) => b.width - a.width).slice(0, OCR_DEFAULTS.clsVoteLines);
    const votes = await ocr.upsideDown(image, voters.map(rectToQuad));
    const flip = votes.reduce((s, p) => s + p, 0) / votes.length > OCR_DEFAULTS.clsFlipThreshold;
    const turned = flip ? rects.map((r) => ({ ...r, angle: normalizeAngle(r.angle + Math.PI) })) : rects;
    return sortReadingOrder(turned, flip ? normalizeAngle(dir + Math.PI) : dir);
  };
  return [...(await settle(along, direction)), ...(await settle(across, direction + Math.PI / 2))];
}

/** Direction (radians, modulo π) of the long text boxes, weighted by their length. */
export function dominantDirection(rects: RotatedRect[]): number {
  let c = 0;
  let s = 0;
  for (const r of rects) {
    const aspect = r.width / Math.max(1, r.height);
    if (aspect < 2) continue;
    c += r.width * Math.cos(2 * r.angle);
    s += r.width * Math.sin(2 * r.angle);
  }
  if (c === 0 && s === 0) return 0;
  return Math.atan2(s, c) / 2;
}

/** Top to bottom, then left to right, in the reading frame whose text runs along `dir` (radians). */
export function sortReadingOrder(rects: RotatedRect[], dir: number): RotatedRect[] {
  const ux = Math.cos(dir);
  const uy = Math.sin(dir);
  const key = (r: RotatedRect) => ({ u: r.cx * ux + r.cy * uy, v: -r.cx * uy + r.cy * ux, h: r.height });
  return [...rects].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    // Same line when the perpendicular offset is under half a line height.
    if (Math.abs(ka.v - kb.v) < Math.min(ka.h, kb.h) / 2) return ka.u - kb.u;
    return ka.v - kb.v;
  });
}

function clipBox(b: Box, image: RgbImage): Box {
  const x = Math.max(0, Math.min(image.width - 1, Math.floor(b.x)));
  const y = Math.max(0, Math.min(image.height - 1, Math.floor(b.y)));
  const x1 = Math.max(x + 1, Math.min(image.width, Math.ceil(b.x + b.width)));
  const y1 = Math.max(y + 1, Math.min(image.height, Math.ceil(b.y + b.height)));
  return { x, y, width: x1 - x, height: y1 - y };
}

export function cropRgb(image: RgbImage, b: Box): RgbImage {
  const out = Buffer.alloc(b.width * b.height * 3);
  for (let y = 0; y < b.height; y++) {
    const src = ((b.y + y) * image.width + b.x) * 3;
    image.rgb.copy(out, y * b.width * 3, src, src + b.width * 3);
  }
  return { rgb: out, width: b.width, height: b.height };
}
