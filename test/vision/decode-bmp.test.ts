/**
 * Uncompressed BMP (what document readers and scanners write): decoded to the same RGB as the
 * pixels written, bottom-up and top-down, 24-bit and 8-bit paletted; a truncated file is refused.
 * The bitmaps are built here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { sniffImageType } from '../../src/server/http/image-input.js';
import { CodedError } from '../../src/shared/errors.js';

/** A W × H bitmap; pixel (x, y) = [x * 3, y * 5, (x + y) % 256]. */
function bmp(width: number, height: number, bits: 24 | 8, topDown = false): Buffer {
  const stride = Math.ceil((width * bits) / 32) * 4;
  const palette = bits === 8 ? 256 * 4 : 0;
  const offset = 54 + palette;
  const b = Buffer.alloc(offset + stride * height);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(topDown ? -height : height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(bits, 28);
  for (let i = 0; i < (bits === 8 ? 256 : 0); i++) b.writeUInt32LE(i * 0x010101, 54 + i * 4); // grey ramp (B, G, R, 0)
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      if (bits === 8) b[row + x] = (x + y) % 256;
      else {
        b[row + x * 3] = (x + y) % 256; // B
        b[row + x * 3 + 1] = (y * 5) % 256; // G
        b[row + x * 3 + 2] = (x * 3) % 256; // R
      }
    }
  }
  return b;
}

test('24-bit BMP, bottom-up and top-down: the pixels as written', async () => {
  for (const topDown of [false, true]) {
    const img = await decodeImage(bmp(70, 66, 24, topDown), 2000);
    assert.deepEqual([img.width, img.height, img.format], [70, 66, 'bmp']);
    for (const [x, y] of [[0, 0], [69, 0], [13, 65], [40, 20]] as const) {
      const o = (y * 70 + x) * 3;
      assert.deepEqual([...img.rgb.subarray(o, o + 3)], [(x * 3) % 256, (y * 5) % 256, (x + y) % 256], `${x},${y} topDown=${topDown}`);
    }
  }
});

test('8-bit paletted BMP; the API sniffs BMP; a truncated BMP is IMAGE_UNDECODABLE', async () => {
  const img = await decodeImage(bmp(67, 65, 8), 2000);
  const o = (10 * 67 + 20) * 3;
  assert.deepEqual([...img.rgb.subarray(o, o + 3)], [30, 30, 30]);
  assert.equal(sniffImageType(bmp(67, 65, 8)), 'image/bmp');
  await assert.rejects(decodeImage(bmp(67, 65, 24).subarray(0, 500), 2000), (e: unknown) => e instanceof CodedError && e.code === 'IMAGE_UNDECODABLE');
});
