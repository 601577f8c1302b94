/**
 * Loads `@vladmandic/face-api`'s face recognition net (a ResNet-34-style network trained on dlib's
 * face chips; 128-d descriptor; MIT) from the files inside its npm package, once. Its node-wasm
 * build requires `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` from node_modules, the same
 * modules human uses, so it runs on the WASM backend human has already set up: load human first.
 * Only the recognition net is loaded; faces are found and aligned by the face engine.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

type Tensor = { dispose: () => void };
interface RecognitionNet {
  loadFromDisk: (dir: string) => Promise<void>;
  computeFaceDescriptor: (input: Tensor | Tensor[]) => Promise<Float32Array | Float32Array[]>;
  isLoaded: boolean;
}
interface FaceApiModule {
  version: string;
  nets: { faceRecognitionNet: RecognitionNet };
  tf: { tensor3d: (values: Uint8Array, shape: [number, number, number], dtype: 'int32') => Tensor; getBackend: () => string };
}

export interface FaceRecognizer {
  /** Which model produced a descriptor: embeddings of different models are never compared. */
  model: string;
  /** Side of the square face chip the net takes, px (dlib's convention: 150). */
  chipSidePx: number;
  /**
   * 128-d descriptors of chipSidePx × chipSidePx RGB chips (packed, 3 bytes per pixel), in one
   * batch (two chips in one run cost ≈ 80 % of two runs).
   */
  describe(chipsRgb: Uint8Array[]): Promise<number[][]>;
}

/** The net's input side; dlib's face chips are 150 × 150. */
export const RECOGNITION_CHIP_SIDE_PX = 150;

function faceApiPaths(): { js: string; modelDir: string } {
  const dist = dirname(require.resolve('@vladmandic/face-api')); // …/face-api/dist/face-api.node.js
  return { js: join(dist, 'face-api.node-wasm.js'), modelDir: join(dist, '..', 'model') };
}

let loading: Promise<FaceRecognizer> | null = null;

/** Load the recognition net once; later calls share it. Throws an Error naming what failed. */
export function loadFaceRecognizer(): Promise<FaceRecognizer> {
  if (!loading) {
    loading = createFaceRecognizer().catch((err: unknown) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

async function createFaceRecognizer(): Promise<FaceRecognizer> {
  const { js, modelDir } = faceApiPaths();
  const faceapi = require(js) as FaceApiModule;
  const net = faceapi.nets.faceRecognitionNet;
  try {
    if (!net.isLoaded) await net.loadFromDisk(modelDir);
  } catch (err) {
    throw new Error(`face recognition model did not load from ${modelDir}: ${(err as Error).message}`);
  }
  const backend = faceapi.tf.getBackend();
  if (backend !== 'wasm') throw new Error(`face recognition model: tfjs backend is "${backend}", expected "wasm" (load human first)`);
  const side = RECOGNITION_CHIP_SIDE_PX;
  const recognizer: FaceRecognizer = {
    model: `face-api-${faceapi.version}-recognition-dlibchip`,
    chipSidePx: side,
    async describe(chipsRgb) {
      if (chipsRgb.length === 0) return [];
      for (const c of chipsRgb) if (c.length !== side * side * 3) throw new Error(`face chip must be ${side}×${side} RGB`);
      const ts = chipsRgb.map((c) => faceapi.tf.tensor3d(c, [side, side, 3], 'int32'));
      try {
        const d = await net.computeFaceDescriptor(ts.length === 1 ? ts[0]! : ts);
        return (Array.isArray(d) ? d : [d]).map((x) => Array.from(x));
      } finally {
        for (const t of ts) t.dispose();
      }
    },
  };
  // Warm-up: the WASM kernels are set up on first use (one chip and a batch of two).
  await recognizer.describe([new Uint8Array(side * side * 3)]);
  await recognizer.describe([new Uint8Array(side * side * 3), new Uint8Array(side * side * 3)]);
  return recognizer;
}

/** One face found by the look-again detector: score 0–1 and box in the input image's px. */
export interface SecondDetection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

/**
 * A second face detector, independent of human's: face-api's SSD MobileNet V1 (WIDER FACE, MIT),
 * from the same npm package and tfjs backend. The face engine runs it only when human counts no
 * face (docs/vision-faces.md rule 1, "look again"): ≈ 0.25–0.45 s per 1280-px image, which a
 * selfie with a face never pays.
 */
export interface SecondFaceDetector {
  model: string;
  detect(rgb: Uint8Array, width: number, height: number): Promise<SecondDetection[]>;
}

interface SsdNet {
  loadFromDisk: (dir: string) => Promise<void>;
  isLoaded: boolean;
}
interface FaceApiDetectorModule {
  version: string;
  nets: { ssdMobilenetv1: SsdNet };
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults?: number }) => unknown;
  detectAllFaces: (input: Tensor, options: unknown) => Promise<Array<{ score: number; box: { x: number; y: number; width: number; height: number } }>>;
  tf: FaceApiModule['tf'];
}

/** Detections below this score are not returned at all (the engine's rule has its own, higher, threshold). */
export const SECOND_DETECTOR_MIN_SCORE = 0.3;

let loadingDetector: Promise<SecondFaceDetector> | null = null;

/** Load the look-again detector once (after human: it shares the WASM backend). Throws an Error naming what failed. */
export function loadSecondFaceDetector(): Promise<SecondFaceDetector> {
  if (!loadingDetector) {
    loadingDetector = createSecondFaceDetector().catch((err: unknown) => {
      loadingDetector = null;
      throw err;
    });
  }
  return loadingDetector;
}

async function createSecondFaceDetector(): Promise<SecondFaceDetector> {
  const { js, modelDir } = faceApiPaths();
  const faceapi = require(js) as FaceApiDetectorModule;
  const net = faceapi.nets.ssdMobilenetv1;
  try {
    if (!net.isLoaded) await net.loadFromDisk(modelDir);
  } catch (err) {
    throw new Error(`face detector (SSD MobileNet V1) did not load from ${modelDir}: ${(err as Error).message}`);
  }
  const backend = faceapi.tf.getBackend();
  if (backend !== 'wasm') throw new Error(`face detector: tfjs backend is "${backend}", expected "wasm" (load human first)`);
  const detector: SecondFaceDetector = {
    model: `face-api-${faceapi.version}-ssd-mobilenetv1`,
    async detect(rgb, width, height) {
      if (rgb.length !== width * height * 3) throw new Error('face detector: RGB buffer does not match its size');
      const t = faceapi.tf.tensor3d(rgb, [height, width, 3], 'int32');
      try {
        const found = await faceapi.detectAllFaces(t, new faceapi.SsdMobilenetv1Options({ minConfidence: SECOND_DETECTOR_MIN_SCORE, maxResults: 10 }));
        return found.map((d) => ({ score: d.score, box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height } }));
      } finally {
        t.dispose();
      }
    },
  };
  // No warm-up run: the weights are loaded and checked here (start-up fails loudly without
  // them), but a first run grows the WASM heap by ≈ 135 MB (measured: 458 → 592 MB RSS), which
  // a process pays only once an image without a face arrives.
  return detector;
}
