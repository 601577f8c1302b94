/**
 * The face engine's public surface. The service uses createFaceEngine (contract.ts FaceEngine);
 * the document engine uses detectFaces on portrait crops.
 */
import type { DecodedImage } from '../decode-image.js';
import { loadFaceRecognizer, loadSecondFaceDetector } from '../models/face-api.js';
import { loadHuman } from '../models/human.js';
import { runHuman, toDetectedFace, type FaceModels } from './detect-faces.js';
import { describeFace } from './embedding.js';
import { loadLivenessModel } from './liveness.js';
import type { DetectedFace } from './types.js';

export { createFaceEngine, analyseFaces } from './engine.js';
export { DEFAULT_FACE_CONFIG, type FaceConfig } from './config.js';
export { judgeFaces, lookAgainVerdict, FACE_PROBLEM_PRIORITY } from './judge-face.js';
export type { FaceModels } from './detect-faces.js';
export type { DetectedFace, HeadPose, FaceLandmarks, Point } from './types.js';
export type { LivenessScore } from './liveness.js';

let loaded: Promise<FaceModels> | null = null;

/**
 * Load every face model once (later calls share it). Throws an Error naming the model that did
 * not load: start-up must fail loudly rather than answer FACE_NOT_FOUND to everyone.
 */
export function loadFaceModels(): Promise<FaceModels> {
  if (!loaded) {
    // human first: it sets up the tfjs WASM backend the recognition net runs on.
    loaded = loadHuman()
      .then(async (runtime) => ({
        runtime,
        recognizer: await loadFaceRecognizer(),
        liveness: await loadLivenessModel(),
        secondDetector: await loadSecondFaceDetector(),
      }))
      .catch((err: unknown) => {
        loaded = null;
        throw err;
      });
  }
  return loaded;
}

/** A face found by detectFaces, with its embedding when it is one of the largest. */
export interface EmbeddedFace extends DetectedFace {
  /** Embedding for matching (embedding.ts); null beyond the `embedLargest` largest faces. */
  embedding: number[] | null;
  /** The model of `embedding` (embeddings of different models are never compared). */
  embeddingModel: string;
  /** Coarse picture of the aligned face (embedding.ts chipSignature), with the embedding. */
  signature: number[] | null;
}

/** Faces embedded per detectFaces call (largest first): a document page shows one portrait, sometimes a small ghost copy. */
export const EMBED_LARGEST_FACES = 3;

/**
 * Every face in a decoded image (a selfie or a crop of a document), largest first; boxes in
 * decoded-image pixels, tight around the mesh, the largest ones embedded. Hands are not detected
 * here.
 */
export async function detectFaces(models: FaceModels, image: DecodedImage): Promise<EmbeddedFace[]> {
  const { faces } = await runHuman(models.runtime.human, image, { faces: true, hands: false });
  const found = faces
    .map((f) => toDetectedFace(f))
    .filter((f): f is DetectedFace => f !== null)
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  const out: EmbeddedFace[] = [];
  for (const [i, f] of found.entries()) {
    const d = i < EMBED_LARGEST_FACES ? await describeFace(models.recognizer, image, f.landmarks.leftEye, f.landmarks.rightEye) : null;
    out.push({ ...f, embedding: d?.embedding ?? null, embeddingModel: models.recognizer.model, signature: d?.signature ?? null });
  }
  return out;
}
