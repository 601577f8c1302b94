/**
 * Passive liveness (presentation-attack detection) on one face: the MiniFAS anti-spoof network
 * (models/face-antispoof-minifas/, Apache-2.0, see its README) on onnxruntime's CPU provider.
 * The model was trained on CelebA-Spoof face crops made the way `livenessCrop` makes them: a
 * square 1.5 × the face box's longer side around its centre, mirrored where it leaves the image,
 * resized to 128 × 128 RGB in [0, 1]. It answers two logits (real, spoof); the score used here is
 * P(real) = sigmoid(real − spoof), 0–1, higher = more likely a live face.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import type { Box } from './types.js';

/** Folder of the shipped model (repository root / models / …). */
export const LIVENESS_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'models', 'face-antispoof-minifas');
export const LIVENESS_MODEL_FILE = 'best_model.onnx';

/** The model's input side, px. */
const INPUT_SIDE_PX = 128;
/** Crop side as a multiple of the face box's longer side (the training crops' expansion factor). */
const CROP_EXPANSION = 1.5;

export interface LivenessModel {
  session: ort.InferenceSession;
  inputName: string;
  /** Which model scored, for the record. */
  model: string;
}

export interface LivenessScore {
  /** P(live face) from the model, 0–1. Higher: more likely live. */
  score: number;
  /** real − spoof logit difference (score = sigmoid of it). */
  logitDiff: number;
}

let loading: Promise<LivenessModel> | null = null;

/** Load the anti-spoof model once; later calls share it. Throws an Error naming the file. */
export function loadLivenessModel(file: string = join(LIVENESS_MODEL_DIR, LIVENESS_MODEL_FILE)): Promise<LivenessModel> {
  if (!loading) {
    loading = createLivenessModel(file).catch((err: unknown) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

export async function createLivenessModel(file: string): Promise<LivenessModel> {
  if (!existsSync(file)) throw new Error(`liveness model file missing: ${file}`);
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    // A small model run once per selfie: one thread, and idle threads must not spin (they would
    // compete with the other models on the cores; docs/vision-documents.md "Third day").
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  });
  const inputName = session.inputNames[0];
  if (!inputName) throw new Error(`liveness model ${file} has no input`);
  const model: LivenessModel = { session, inputName, model: `minifas-v2se-${file.endsWith('quantized.onnx') ? 'int8' : 'fp32'}` };
  await scoreInput(model, new Float32Array(3 * INPUT_SIDE_PX * INPUT_SIDE_PX)); // warm-up
  return model;
}

interface RgbImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The model's input for a face: the training crop, 128 × 128, CHW floats in [0, 1]. */
export async function livenessCrop(image: RgbImage, box: Box): Promise<Float32Array> {
  const side = Math.max(1, Math.round(Math.max(box.width, box.height) * CROP_EXPANSION));
  const left = Math.round(box.x + box.width / 2 - side / 2);
  const top = Math.round(box.y + box.height / 2 - side / 2);
  const x0 = Math.max(0, left), y0 = Math.max(0, top);
  const x1 = Math.min(image.width, left + side), y1 = Math.min(image.height, top + side);
  if (x1 - x0 < 2 || y1 - y0 < 2) throw new Error('face box outside the image');
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const cut = await sharp(image.rgb, raw)
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Mirror padding where the square leaves the image (the training crops' BORDER_REFLECT_101).
  const padded = await sharp(cut.data, { raw: { width: cut.info.width, height: cut.info.height, channels: 3 } })
    .extend({ left: x0 - left, top: y0 - top, right: left + side - x1, bottom: top + side - y1, extendWith: 'mirror' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const small = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: 3 } })
    .resize(INPUT_SIDE_PX, INPUT_SIDE_PX, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const n = INPUT_SIDE_PX * INPUT_SIDE_PX;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[i] = small[i * 3]! / 255;
    out[n + i] = small[i * 3 + 1]! / 255;
    out[2 * n + i] = small[i * 3 + 2]! / 255;
  }
  return out;
}

async function scoreInput(model: LivenessModel, input: Float32Array): Promise<LivenessScore> {
  const tensor = new ort.Tensor('float32', input, [1, 3, INPUT_SIDE_PX, INPUT_SIDE_PX]);
  const out = await model.session.run({ [model.inputName]: tensor });
  const logits = out[model.session.outputNames[0]!]!.data as Float32Array;
  const logitDiff = logits[0]! - logits[1]!;
  return { score: 1 / (1 + Math.exp(-logitDiff)), logitDiff };
}

/** Score one face of a decoded image (box in that image's pixels). */
export async function scoreLiveness(model: LivenessModel, image: RgbImage, box: Box): Promise<LivenessScore> {
  return scoreInput(model, await livenessCrop(image, box));
}
