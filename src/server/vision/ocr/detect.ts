/**
 * Text detection with PaddleOCR's DB model: a per-pixel "text" probability map on a downscaled
 * copy, thresholded into connected regions, each turned into a minimum-area rotated rectangle
 * and grown back ("unclipped") to cover the whole text line. Works at any rotation because the
 * regions are rotated rectangles.
 */
import * as ort from 'onnxruntime-node';
import type { OcrModels } from './models.js';
import { resizeRgb, type Point, type RgbImage } from './image.js';
import { minAreaRect, type RotatedRect } from './geometry.js';
import { OCR_DEFAULTS } from './config.js';

export interface DetectedBox {
  /** In the input image's pixels; `width` is the longer side, `angle` ∈ [0, π). */
  rect: RotatedRect;
  /** Mean text probability over the region, 0–1. */
  score: number;
}

export interface DetectOptions {
  /** Long side of the copy the detector sees, px (see config.ts). */
  maxSidePx?: number;
  /** Images whose long side is below this are upscaled to it first, px. */
  minSidePx?: number;
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
/** Per input channel (B, G, R as fed), byte → normalised value. */
const NORMALISED = [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v / 255 - MEAN[c]!) / STD[c]!));

export async function detectText(models: OcrModels, image: RgbImage, options: DetectOptions = {}): Promise<DetectedBox[]> {
  const maxSide = options.maxSidePx ?? OCR_DEFAULTS.detMaxSidePx;
  const minSide = options.minSidePx ?? OCR_DEFAULTS.detMinSidePx;
  const long = Math.max(image.width, image.height);
  const s = long > maxSide ? maxSide / long : long < minSide ? minSide / long : 1;
  // The network downsamples by 32: both sides must be multiples of 32.
  const w = Math.max(32, Math.round((image.width * s) / 32) * 32);
  const h = Math.max(32, Math.round((image.height * s) / 32) * 32);
  const small = await resizeRgb(image, w, h);
  const input = new Float32Array(3 * w * h);
  const plane = w * h;
  const px = small.rgb;
  for (let i = 0; i < plane; i++) {
    // PaddleOCR feeds OpenCV's BGR order with these (ImageNet) statistics.
    input[i] = NORMALISED[0]![px[i * 3 + 2]!]!;
    input[plane + i] = NORMALISED[1]![px[i * 3 + 1]!]!;
    input[2 * plane + i] = NORMALISED[2]![px[i * 3]!]!;
  }
  const feeds = { [models.det.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, h, w]) };
  const out = await models.det.run(feeds);
  const prob = out[models.det.outputNames[0]!]!.data as Float32Array;
  // A page has tens of lines; a dense texture can yield thousands of regions. Keep the largest,
  // which bounds the recognition work any image can cause.
  const boxes = boxesFromMap(prob, w, h)
    .sort((a, b) => b.rect.width * b.rect.height - a.rect.width * a.rect.height)
    .slice(0, OCR_DEFAULTS.detMaxBoxes);
  const rx = image.width / w;
  const ry = image.height / h;
  return boxes.map((b) => ({ score: b.score, rect: scaleRect(b.rect, rx, ry) }));
}

/** Map a rectangle through an axis-aligned (possibly anisotropic) scale. */
function scaleRect(r: RotatedRect, rx: number, ry: number): RotatedRect {
  const c = Math.cos(r.angle);
  const s = Math.sin(r.angle);
  const width = r.width * Math.hypot(c * rx, s * ry);
  const height = r.height * Math.hypot(-s * rx, c * ry);
  let angle = Math.atan2(s * ry, c * rx) % Math.PI;
  if (angle < 0) angle += Math.PI;
  return { cx: (r.cx + 0.5) * rx - 0.5, cy: (r.cy + 0.5) * ry - 0.5, width, height, angle };
}

/** Connected regions (8-neighbour) of prob > threshold → scored, unclipped rectangles. */
export function boxesFromMap(prob: Float32Array, w: number, h: number): DetectedBox[] {
  const { detBinaryThreshold, detBoxThreshold, detUnclipRatio, detMinBoxSidePx } = OCR_DEFAULTS;
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  const result: DetectedBox[] = [];
  let next = 0;
  for (let start = 0; start < w * h; start++) {
    if (labels[start] !== 0 || prob[start]! <= detBinaryThreshold) continue;
    next++;
    labels[start] = next;
    let top = 0;
    stack[top++] = start;
    let sum = 0;
    let count = 0;
    // Extreme x of each row is enough for the convex hull.
    const rowMin = new Map<number, number>();
    const rowMax = new Map<number, number>();
    while (top > 0) {
      const i = stack[--top]!;
      const y = (i / w) | 0;
      const x = i - y * w;
      sum += prob[i]!;
      count++;
      const mn = rowMin.get(y);
      if (mn === undefined || x < mn) rowMin.set(y, x);
      const mx = rowMax.get(y);
      if (mx === undefined || x > mx) rowMax.set(y, x);
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w || (dx === 0 && dy === 0)) continue;
          const j = ny * w + nx;
          if (labels[j] === 0 && prob[j]! > detBinaryThreshold) {
            labels[j] = next;
            stack[top++] = j;
          }
        }
      }
    }
    if (count < 4) continue;
    const score = sum / count;
    if (score < detBoxThreshold) continue;
    const pts: Point[] = [];
    for (const [y, x0] of rowMin) {
      const x1 = rowMax.get(y)!;
      // pixel corners, so a one-pixel-high row still has an extent
      pts.push({ x: x0 - 0.5, y: y - 0.5 }, { x: x0 - 0.5, y: y + 0.5 }, { x: x1 + 0.5, y: y - 0.5 }, { x: x1 + 0.5, y: y + 0.5 });
    }
    const r = minAreaRect(pts);
    if (Math.min(r.width, r.height) < detMinBoxSidePx) continue;
    // DB predicts a shrunk kernel of each text region; grow it back by area·ratio/perimeter.
    const d = (r.width * r.height * detUnclipRatio) / (2 * (r.width + r.height));
    result.push({ score, rect: { ...r, width: r.width + 2 * d, height: r.height + 2 * d } });
  }
  return result;
}
