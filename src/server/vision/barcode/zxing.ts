/**
 * zxing-wasm (ZXing-C++ compiled to WebAssembly, Apache-2.0) loaded from the .wasm file inside the
 * npm package. Without the `wasmBinary` override the library fetches the file from a CDN, which
 * this product must never do (no network, no image or code from outside the operator's servers).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes, type ReadResult, type ReaderOptions } from 'zxing-wasm/reader';

export type { ReadResult, ReaderOptions };

let ready: Promise<void> | null = null;

/** Instantiate the reader once from the local .wasm file. Throws loudly if the file is missing. */
export function loadZxing(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    const wasm = await readFile(wasmPath);
    const wasmBinary = wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength);
    await prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  })().catch((err: unknown) => {
    ready = null;
    throw new Error(`zxing-wasm reader failed to load from node_modules: ${String(err)}`);
  });
  return ready;
}

/** Grey or RGB pixels as ZXing's ImageData-like input (RGBA). */
export function toImageData(rgb: Uint8Array, width: number, height: number, channels: 1 | 3): ImageData {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    const k = i * channels;
    const r = rgb[k]!;
    rgba[j] = r;
    rgba[j + 1] = channels === 3 ? rgb[k + 1]! : r;
    rgba[j + 2] = channels === 3 ? rgb[k + 2]! : r;
    rgba[j + 3] = 255;
  }
  return { data: rgba, width, height, colorSpace: 'srgb' } as ImageData;
}

export async function readWithZxing(image: ImageData, options: ReaderOptions): Promise<ReadResult[]> {
  await loadZxing();
  return readBarcodes(image, options);
}
