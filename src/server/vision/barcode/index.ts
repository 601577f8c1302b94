/**
 * Barcodes on identity documents: PDF417 (AAMVA data on North American licences and ID cards),
 * QR and Data Matrix (some newer cards). Reads with zxing-wasm from the package's local .wasm.
 */
import type { DecodedImage } from '../decode-image.js';
import { parseAamva, type AamvaData } from './aamva.js';
import { loadZxing, readWithZxing, toImageData } from './zxing.js';

export { parseAamva, type AamvaData } from './aamva.js';
export { loadZxing } from './zxing.js';

export interface BarcodeReading {
  format: string;
  /** Raw content, decoded as Latin-1 (AAMVA is ASCII). */
  text: string;
  /** Corner points in the given image's pixels. */
  box: { x: number; y: number; width: number; height: number };
  aamva: AamvaData | null;
}

/** Formats searched on documents. Stricter (faster, fewer false reads): fewer formats. */
export const DOCUMENT_BARCODE_FORMATS = ['PDF417', 'QRCode', 'DataMatrix'] as const;

export async function readDocumentBarcodes(
  image: Pick<DecodedImage, 'rgb' | 'width' | 'height'>,
  options: { tryHarder?: boolean } = {},
): Promise<BarcodeReading[]> {
  await loadZxing();
  const results = await readWithZxing(toImageData(image.rgb, image.width, image.height, 3), {
    formats: [...DOCUMENT_BARCODE_FORMATS],
    tryHarder: options.tryHarder ?? true,
    tryRotate: true,
    tryInvert: false,
    tryDownscale: true,
    textMode: 'Plain',
    maxNumberOfSymbols: 4,
  });
  return results
    .filter((r) => r.isValid)
    .map((r) => {
      const text = Buffer.from(r.bytes).toString('latin1');
      const xs = [r.position.topLeft.x, r.position.topRight.x, r.position.bottomLeft.x, r.position.bottomRight.x];
      const ys = [r.position.topLeft.y, r.position.topRight.y, r.position.bottomLeft.y, r.position.bottomRight.y];
      const x = Math.min(...xs);
      const y = Math.min(...ys);
      return {
        format: r.format,
        text,
        box: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y },
        aamva: r.format.includes('PDF417') ? parseAamva(text) : null,
      };
    });
}
