/**
 * The face embedding used for selfie ↔ document-portrait matching: face-api's recognition net
 * (models/face-api.ts) on the dlib face chip cut from the mesh's eye centres (face-chip.ts), averaged
 * with the embedding of the mirrored chip. Compared by Euclidean distance (dlib's own metric;
 * verification/face-similarity.ts). Why this model and not human's faceres: docs/adr/0005.
 */
import type { FaceRecognizer } from '../models/face-api.js';
import { DLIB_CHIP, faceChip } from './face-chip.js';
import { faceSignature } from './signature.js';
import type { Point } from './types.js';

interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The chip mirrored left ↔ right (packed RGB, side × side). */
export function mirrorChip(chip: Uint8Array, side: number): Uint8Array {
  const out = new Uint8Array(chip.length);
  for (let y = 0; y < side; y++) {
    const row = y * side * 3;
    for (let x = 0; x < side; x++) {
      const from = row + (side - 1 - x) * 3;
      const to = row + x * 3;
      out[to] = chip[from]!;
      out[to + 1] = chip[from + 1]!;
      out[to + 2] = chip[from + 2]!;
    }
  }
  return out;
}

export interface FaceDescription {
  embedding: number[];
  /** signature.ts faceSignature of the face. */
  signature: number[];
}

/**
 * Embedding (and chip signature) of the face whose eye centres (image-left eye first) are given,
 * or null when the eyes give no geometry. Mirror-averaging removes the net's left/right asymmetry: on the development
 * pairs it cut the FNMR at an FMR of 0.1 % from 2.6 % to 1.7 % for one more net run (docs/face-verification.md).
 */
export async function describeFace(recognizer: FaceRecognizer, image: RgbImage, imageLeftEye: Point, imageRightEye: Point): Promise<FaceDescription | null> {
  const side = recognizer.chipSidePx;
  const chip = faceChip(image, imageLeftEye, imageRightEye, { ...DLIB_CHIP, sidePx: side });
  if (!chip) return null;
  const [a, b] = (await recognizer.describe([chip, mirrorChip(chip, side)])) as [number[], number[]];
  return { embedding: a.map((v, i) => (v + b[i]!) / 2), signature: faceSignature(image, imageLeftEye, imageRightEye)! };
}
