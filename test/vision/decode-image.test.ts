import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { decodeImage } from '../../src/server/vision/decode-image.js';
import { CodedError } from '../../src/shared/errors.js';

async function rejectsWith(promise: Promise<unknown>, code: string) {
  await assert.rejects(promise, (err: unknown) => err instanceof CodedError && err.code === code);
}

function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const gradient = (w: number, h: number) =>
  sharp(Buffer.alloc(w * h * 3, 128), { raw: { width: w, height: h, channels: 3 } });

test('decodes a JPEG and shrinks it to the working size, keeping the original size', async () => {
  const jpeg = await gradient(3000, 2000).jpeg().toBuffer();
  const img = await decodeImage(jpeg, 1280);
  assert.deepEqual([img.width, img.height, img.originalWidth, img.originalHeight], [1280, 853, 3000, 2000]);
  assert.equal(img.rgb.length, img.width * img.height * 3);
  assert.equal(img.format, 'jpeg');
});

test('honours EXIF orientation (6 = rotate 90° clockwise)', async () => {
  const jpeg = await gradient(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const img = await decodeImage(jpeg, 1280);
  assert.deepEqual([img.width, img.height], [200, 400]);
});

test('refuses empty, text, truncated and bomb inputs with codes', async () => {
  const jpeg = await gradient(800, 600).jpeg().toBuffer();
  await rejectsWith(decodeImage(Buffer.alloc(0), 1280), 'IMAGE_UNDECODABLE');
  await rejectsWith(decodeImage(Buffer.from('this is not an image'), 1280), 'IMAGE_UNDECODABLE');
  await rejectsWith(decodeImage(jpeg.subarray(0, jpeg.length >> 1), 1280), 'IMAGE_UNDECODABLE');
  await rejectsWith(decodeImage(pngHeaderOnly(50_000, 50_000), 1280), 'IMAGE_DIMENSIONS_TOO_LARGE');
  await rejectsWith(decodeImage(await gradient(40, 40).png().toBuffer(), 1280), 'IMAGE_TOO_SMALL');
});
