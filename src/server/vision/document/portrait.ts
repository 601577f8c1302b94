/**
 * Look for the portrait where it can be: on the page around the MRZ when there is one (the page is
 * cut out upright from the MRZ's position, direction and the format's physical size), else on the
 * whole image turned upright by its text. Document portraits are small and printed; the face
 * detector finds them far more reliably when the page fills its input (the US green card sample:
 * no face on the whole image, score 0.75 on the page cut-out).
 */
import sharp from 'sharp';
import type { DecodedImage } from '../decode-image.js';
import type { MrzReading } from '../mrz/index.js';
import type { Point, Quad } from '../ocr/index.js';
import { warpQuad } from '../ocr/image.js';
import { detectFaces, type EmbeddedFace, type FaceModels } from '../face/index.js';
import { MRZ_PAGE_GEOMETRY } from './families.js';

/** Width of the page cut-out given to the face detector, px. Higher: slower, finds smaller faces. */
export const PAGE_CUTOUT_WIDTH_PX = 720;
/** Whole-image search: long side kept within [min, max], px (small scans are upscaled). */
export const WHOLE_IMAGE_FACE_SIDE_PX = { min: 640, max: 1024 } as const;
/** Margin added around the expected page, fraction of its size (MRZ position varies by issuer). */
const PAGE_MARGIN = 0.1;
/** Gap between the MRZ band's bottom and the page's bottom edge, mm (ICAO 9303 part 3: ≥ 1 mm). */
const MRZ_BOTTOM_GAP_MM = 2;

export interface PortraitSearch {
  faces: EmbeddedFace[];
  /** Where faces were looked for: 'mrz-page' (the page cut out around the MRZ) or 'upright-image'. */
  frame: 'mrz-page' | 'upright-image';
  /** Multiply a length in the search frame's pixels by this to get ORIGINAL-image pixels. */
  toOriginalPx: number;
  /** One MRZ line's length in the search frame's pixels (mrz-page only). */
  mrzLineFramePx: number | null;
  /** The search frame itself (upright), to crop the portrait from. */
  frameImage: { rgb: Buffer; width: number; height: number };
}

/** Longest side of the portrait crop kept in the result, px. */
export const PORTRAIT_CROP_MAX_SIDE_PX = 192;

/**
 * The portrait with a margin (head and shoulders: +35 % of the face box each side, more above),
 * as a small JPEG for review and later matching.
 */
export async function cropPortrait(frame: PortraitSearch['frameImage'], box: { x: number; y: number; width: number; height: number }): Promise<Buffer> {
  const left = Math.max(0, Math.floor(box.x - 0.35 * box.width));
  const top = Math.max(0, Math.floor(box.y - 0.5 * box.height));
  const right = Math.min(frame.width, Math.ceil(box.x + 1.35 * box.width));
  const bottom = Math.min(frame.height, Math.ceil(box.y + 1.3 * box.height));
  return sharp(frame.rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .extract({ left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) })
    .resize({ width: PORTRAIT_CROP_MAX_SIDE_PX, height: PORTRAIT_CROP_MAX_SIDE_PX, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 85 })
    .toBuffer();
}

const add = (p: Point, q: Point, k = 1): Point => ({ x: p.x + q.x * k, y: p.y + q.y * k });

function asDecoded(img: { rgb: Buffer; width: number; height: number }): DecodedImage {
  return { ...img, originalWidth: img.width, originalHeight: img.height, scale: 1, format: 'raw' };
}

export async function findPortraits(models: FaceModels, image: DecodedImage, mrz: MrzReading | null, rotationDeg: number): Promise<PortraitSearch> {
  if (mrz) {
    const [q0, q1, , q3] = mrz.quad;
    const lineLen = Math.hypot(q1.x - q0.x, q1.y - q0.y);
    const bandH = Math.hypot(q3.x - q0.x, q3.y - q0.y);
    if (lineLen > 8 && bandH > 2) {
      const u = { x: (q1.x - q0.x) / lineLen, y: (q1.y - q0.y) / lineLen };
      const n = { x: (q3.x - q0.x) / bandH, y: (q3.y - q0.y) / bandH };
      const g = MRZ_PAGE_GEOMETRY[mrz.format];
      const pxPerMm = lineLen / g.lineMm;
      const w = g.widthMm * pxPerMm * (1 + 2 * PAGE_MARGIN);
      const h = g.heightMm * pxPerMm * (1 + 2 * PAGE_MARGIN);
      const c0 = mrz.quad.reduce((s, p) => ({ x: s.x + p.x / 4, y: s.y + p.y / 4 }), { x: 0, y: 0 });
      const pageBottom = bandH / 2 + MRZ_BOTTOM_GAP_MM * pxPerMm;
      const centre = add(c0, n, pageBottom - (g.heightMm * pxPerMm) / 2);
      const tl = add(add(centre, u, -w / 2), n, -h / 2);
      const quad: Quad = [tl, add(tl, u, w), add(add(tl, u, w), n, h), add(tl, n, h)];
      const outW = PAGE_CUTOUT_WIDTH_PX;
      const outH = Math.round((outW * h) / w);
      const page = warpQuad(image, quad, outW, outH);
      const faces = await detectFaces(models, asDecoded(page));
      return { faces, frame: 'mrz-page', toOriginalPx: w / outW / image.scale, mrzLineFramePx: (lineLen * outW) / w, frameImage: page };
    }
  }
  const long = Math.max(image.width, image.height);
  const k = long < WHOLE_IMAGE_FACE_SIDE_PX.min ? WHOLE_IMAGE_FACE_SIDE_PX.min / long : long > WHOLE_IMAGE_FACE_SIDE_PX.max ? WHOLE_IMAGE_FACE_SIDE_PX.max / long : 1;
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  let upright = { rgb: image.rgb, width: image.width, height: image.height };
  if (rotationDeg !== 0) {
    const r = await sharp(image.rgb, raw).rotate(-rotationDeg).raw().toBuffer({ resolveWithObject: true });
    upright = { rgb: r.data, width: r.info.width, height: r.info.height };
  }
  let data = upright.rgb;
  let info = { width: upright.width, height: upright.height };
  if (k !== 1) {
    const r = await sharp(upright.rgb, { raw: { width: upright.width, height: upright.height, channels: 3 } })
      .resize({ width: Math.round(upright.width * k), height: Math.round(upright.height * k), fit: 'fill', kernel: k > 1 ? 'cubic' : 'lanczos3' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = r.data;
    info = { width: r.info.width, height: r.info.height };
  }
  const faces = await detectFaces(models, asDecoded({ rgb: data, width: info.width, height: info.height }));
  return { faces, frame: 'upright-image', toOriginalPx: 1 / (k * image.scale), mrzLineFramePx: null, frameImage: { rgb: data, width: info.width, height: info.height } };
}
