/**
 * The face engine's public surface. The service uses createFaceEngine (contract.ts FaceEngine);
 * the document engine uses detectFaces on portrait crops.
 */
import type { DecodedImage } from '../decode-image.js';
import { loadHuman } from '../models/human.js';
import { runHuman, toDetectedFace, type FaceModels } from './detect-faces.js';
import type { DetectedFace } from './types.js';

export { createFaceEngine, analyseFaces } from './engine.js';
export { DEFAULT_FACE_CONFIG, type FaceConfig } from './config.js';
export { judgeFaces, FACE_PROBLEM_PRIORITY } from './judge-face.js';
export type { FaceModels } from './detect-faces.js';
export type { DetectedFace, HeadPose, FaceLandmarks, Point } from './types.js';

let loaded: Promise<FaceModels> | null = null;

/**
 * Load every face model once (later calls share it). Throws an Error naming the model that did
 * not load: start-up must fail loudly rather than answer FACE_NOT_FOUND to everyone.
 */
export function loadFaceModels(): Promise<FaceModels> {
  if (!loaded) {
    loaded = loadHuman()
      .then((runtime) => ({ runtime, embeddingModel: `human-${runtime.version}-faceres` }))
      .catch((err: unknown) => {
        loaded = null;
        throw err;
      });
  }
  return loaded;
}

/**
 * Every face in a decoded image (a selfie or a crop of a document), largest first; boxes in
 * decoded-image pixels, tight around the mesh. Hands are not detected here. `detail` 'portrait'
 * skips iris, anti-spoof and liveness (runHuman).
 */
export async function detectFaces(models: FaceModels, image: DecodedImage, detail: 'full' | 'portrait' = 'full'): Promise<DetectedFace[]> {
  const { faces } = await runHuman(models.runtime.human, image, { faces: true, hands: false, detail });
  return faces
    .map((f) => toDetectedFace(f, models.embeddingModel))
    .filter((f): f is DetectedFace => f !== null)
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}
