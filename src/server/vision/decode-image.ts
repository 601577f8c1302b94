import sharp, { type Metadata } from 'sharp';
import { CodedError } from '../../shared/errors.js';
import { bmpSize, decodeBmp, isBmp } from './bmp.js';

/** Limits applied before any pixel is decoded. */
export interface DecodeLimits {
  /** Largest encoded size accepted, bytes. Stricter: lower. */
  maxBytes: number;
  /** Largest pixel count (width × height as declared in the header). Stricter: lower. */
  maxInputPixels: number;
  /** Smallest side accepted, px. Stricter: higher. */
  minSidePx: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxBytes: 25 * 1024 * 1024,
  // 100 MP covers every phone camera in use (up to 108 MP sensors bin to ≤ 50 MP photos)
  // and refuses decompression bombs before decoding.
  maxInputPixels: 100_000_000,
  minSidePx: 64,
};

export interface DecodedImage {
  /** Packed RGB, 3 bytes per pixel, row-major, upright (EXIF orientation applied). */
  rgb: Buffer;
  width: number;
  height: number;
  /** Upright size of the original before resizing. */
  originalWidth: number;
  originalHeight: number;
  /** width / originalWidth (≤ 1). Multiply original-pixel measures by this. */
  scale: number;
  format: string;
}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

/** A Windows bitmap (bmp.ts): the same limits, then the same resize by sharp from raw pixels. */
async function decodeBitmap(bytes: Uint8Array, maxSidePx: number, limits: DecodeLimits): Promise<DecodedImage> {
  const size = bmpSize(bytes);
  if (!size) throw new CodedError('IMAGE_UNDECODABLE');
  if (size.width * size.height > limits.maxInputPixels) throw new CodedError('IMAGE_DIMENSIONS_TOO_LARGE');
  if (Math.min(size.width, size.height) < limits.minSidePx) throw new CodedError('IMAGE_TOO_SMALL');
  const bmp = decodeBmp(bytes);
  if (!bmp) throw new CodedError('IMAGE_UNDECODABLE');
  const { data, info } = await sharp(bmp.rgb, { raw: { width: bmp.width, height: bmp.height, channels: 3 } })
    .resize({ width: maxSidePx, height: maxSidePx, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgb: data, width: info.width, height: info.height, originalWidth: bmp.width, originalHeight: bmp.height, scale: info.width / bmp.width, format: 'bmp' };
}

/**
 * Decode JPEG/PNG/WebP (and uncompressed BMP, bmp.ts) bytes into upright RGB no larger than `maxSidePx` on its long side.
 * Bad input throws CodedError (IMAGE_*); never returns a partial image.
 */
export async function decodeImage(
  bytes: Uint8Array,
  maxSidePx: number,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Promise<DecodedImage> {
  if (bytes.length === 0) throw new CodedError('IMAGE_UNDECODABLE', 'empty image');
  if (bytes.length > limits.maxBytes) throw new CodedError('IMAGE_TOO_LARGE');
  if (isBmp(bytes)) return decodeBitmap(bytes, maxSidePx, limits);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new CodedError('IMAGE_UNDECODABLE');
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) {
    throw new CodedError('IMAGE_UNDECODABLE');
  }
  if (meta.width * meta.height > limits.maxInputPixels) throw new CodedError('IMAGE_DIMENSIONS_TOO_LARGE');
  // EXIF orientations 5–8 swap width and height.
  const swap = (meta.orientation ?? 1) >= 5;
  const originalWidth = swap ? meta.height : meta.width;
  const originalHeight = swap ? meta.width : meta.height;
  if (Math.min(originalWidth, originalHeight) < limits.minSidePx) throw new CodedError('IMAGE_TOO_SMALL');

  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxInputPixels, failOn: 'truncated' })
      .rotate()
      .resize({ width: maxSidePx, height: maxSidePx, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return {
      rgb: data,
      width: info.width,
      height: info.height,
      originalWidth,
      originalHeight,
      scale: info.width / originalWidth,
      format: meta.format,
    };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw new CodedError('IMAGE_UNDECODABLE');
  }
}
