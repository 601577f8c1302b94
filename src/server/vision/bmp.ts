/**
 * Windows bitmaps (BMP), which document readers and desktop scanners write and sharp does not
 * read: uncompressed (BI_RGB, or BI_BITFIELDS with the usual masks) 8-bit paletted, 24-bit and
 * 32-bit, bottom-up or top-down. The header is checked against the limits before any pixel is
 * allocated; anything else is refused (null), never half decoded.
 */
export interface BmpImage {
  width: number;
  height: number;
  /** Packed RGB, row-major, top row first. */
  rgb: Buffer;
}

export const isBmp = (b: Uint8Array) => b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d; // 'BM'

/** Width and height from the header, or null when it is not a bitmap we read. */
export function bmpSize(b: Uint8Array): { width: number; height: number } | null {
  const h = header(b);
  return h ? { width: h.width, height: h.height } : null;
}

function header(b: Uint8Array) {
  if (!isBmp(b) || b.length < 54) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const offset = v.getUint32(10, true);
  const size = v.getUint32(14, true);
  if (size < 40) return null; // OS/2 headers: not read
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bits = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  const colours = v.getUint32(46, true);
  if (width <= 0 || rawHeight === 0 || ![8, 24, 32].includes(bits)) return null;
  if (!(compression === 0 || (compression === 3 && bits === 32))) return null;
  const height = Math.abs(rawHeight);
  const stride = Math.ceil((width * bits) / 32) * 4;
  if (offset + stride * height > b.length) return null;
  return { v, offset, size, width, height, topDown: rawHeight < 0, bits, stride, colours: colours || 256 };
}

export function decodeBmp(b: Uint8Array): BmpImage | null {
  const h = header(b);
  if (!h) return null;
  const { v, width, height, bits, stride } = h;
  const palette = bits === 8 ? 14 + h.size : 0;
  if (bits === 8 && palette + 4 * Math.min(256, h.colours) > h.offset) return null;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = h.offset + (h.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      let p = row + x * (bits / 8);
      if (bits === 8) p = palette + 4 * v.getUint8(p);
      rgb[o] = v.getUint8(p + 2);
      rgb[o + 1] = v.getUint8(p + 1);
      rgb[o + 2] = v.getUint8(p);
    }
  }
  return { width, height, rgb };
}
