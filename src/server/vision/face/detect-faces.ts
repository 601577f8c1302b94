/**
 * Runs human (face detector + 478-point mesh + iris) on a decoded image and turns each face into
 * a DetectedFace with landmarks, a tight box around the mesh, the inter-pupil distance and a
 * calibrated head pose. Embeddings and liveness come from their own models (embedding.ts,
 * liveness.ts), run only on the faces that need them.
 */
import type { FaceResult, Human } from '@vladmandic/human';
import type { DecodedImage } from '../decode-image.js';
import type { FaceRecognizer, SecondFaceDetector } from '../models/face-api.js';
import type { HumanRuntime } from '../models/human.js';
import type { LivenessModel } from './liveness.js';
import type { Box, DetectedFace, DetectedHand, FaceLandmarks, HeadPose, Point } from './types.js';

/** Indices into MediaPipe's 468-point face mesh (+10 iris points from 468). */
export const MESH = {
  rightEyeOuter: 33, // subject's right eye, image left
  rightEyeInner: 133,
  leftEyeInner: 362,
  leftEyeOuter: 263,
  noseTip: 1,
  upperLip: 13,
  lowerLip: 14,
  chin: 152,
  foreheadTop: 10,
  faceEdgeImageLeft: 234,
  faceEdgeImageRight: 454,
  irisImageLeft: 473, // centre of the iris of the image-left eye (the subject's right)
  irisImageRight: 468,
} as const;

const RAD_TO_DEG = 180 / Math.PI;

/**
 * Depth of the nose tip in front of the outer eye corners, as a fraction of half the distance
 * between the outer eye corners. Anthropometric averages (outer canthi ≈ 9 cm apart, nose tip
 * ≈ 3.5 cm in front of them) give ≈ 0.8. Used to turn the nose's left/right asymmetry into an angle.
 */
export const NOSE_DEPTH_RATIO = 0.8;

/**
 * human's mesh-derived yaw reads 24–28° on faces turned 40–45° (the project's earlier trial on
 * real photos; the dev set's child turned ≈ 40° reads 25°): its depth estimates are compressed.
 * Multiplying by 1.6 (≈ 42.5 / 26) restores the scale.
 */
export const MODEL_YAW_CALIBRATION = 1.6;

export interface FaceModels {
  runtime: HumanRuntime;
  /** The embedding net (embedding.ts); `recognizer.model` names the embeddings it makes. */
  recognizer: FaceRecognizer;
  /** The passive-liveness model (liveness.ts). */
  liveness: LivenessModel;
  /** The look-again detector (face-api's SSD MobileNet V1), run only when human counts no face. */
  secondDetector: SecondFaceDetector;
}

type Tf = {
  tensor3d: (values: Int32Array | Uint8Array, shape: [number, number, number], dtype: 'int32') => { dispose: () => void };
};

/** Faces reported per image unless the caller says otherwise. */
export const DEFAULT_MAX_FACES = 10;

// human keeps per-instance state while it runs; one detection at a time per process.
let queue: Promise<unknown> = Promise.resolve();
function serialise<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

/** Run human once on the image (faces and/or hands); returns its raw face and hand results. */
export async function runHuman(
  human: Human,
  image: DecodedImage,
  what: {
    faces: boolean;
    hands: boolean;
    maxFaces?: number;
  },
): Promise<{ faces: FaceResult[]; hands: DetectedHand[] }> {
  return serialise(async () => {
    const tf = human.tf as unknown as Tf;
    const pixels = new Uint8Array(image.rgb.buffer, image.rgb.byteOffset, image.width * image.height * 3);
    const tensor = tf.tensor3d(pixels, [image.height, image.width, 3], 'int32');
    try {
      // human merges a per-call config into its own, so state everything explicitly on every call.
      // The iris model runs on document portraits too: it refines the eye contours the face chip
      // is aligned on, and a portrait aligned without it sits up to 9 % of an eye distance off the
      // same face aligned with it (the same photo then scored 0.83 against itself instead of ≈ 1;
      // docs/face-verification.md).
      const perCall = {
        face: {
          enabled: what.faces,
          detector: { maxDetected: what.maxFaces ?? DEFAULT_MAX_FACES },
        },
        hand: { enabled: what.hands },
      };
      const result = await human.detect(tensor as never, perCall as never);
      if ((result as { error?: string | null }).error) throw new Error(`face detection failed: ${(result as { error?: string }).error}`);
      const hands: DetectedHand[] = (result.hand ?? []).map((h) => ({
        box: { x: h.box[0], y: h.box[1], width: h.box[2], height: h.box[3] },
        score: h.score,
        keypoints: (h.keypoints ?? []).map((k) => ({ x: k[0], y: k[1] })),
      }));
      return { faces: result.face ?? [], hands };
    } finally {
      tensor.dispose();
    }
  });
}

const pt = (mesh: FaceResult['mesh'], i: number): Point => {
  const p = mesh[i];
  if (!p) throw new Error(`mesh point ${i} missing`);
  return { x: p[0], y: p[1] };
};
const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

function tightBox(mesh: FaceResult['mesh']): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  // Only the 468 surface points: the iris points lie inside the eyes anyway.
  for (let i = 0; i < Math.min(mesh.length, 468); i++) {
    const p = mesh[i]!;
    if (p[0] < x0) x0 = p[0];
    if (p[0] > x1) x1 = p[0];
    if (p[1] < y0) y0 = p[1];
    if (p[1] > y1) y1 = p[1];
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function landmarksOf(mesh: FaceResult['mesh']): FaceLandmarks {
  const leftEye = mid(pt(mesh, MESH.rightEyeOuter), pt(mesh, MESH.rightEyeInner));
  const rightEye = mid(pt(mesh, MESH.leftEyeInner), pt(mesh, MESH.leftEyeOuter));
  const hasIris = mesh.length >= 478;
  return {
    leftEye,
    rightEye,
    leftPupil: hasIris ? pt(mesh, MESH.irisImageLeft) : leftEye,
    rightPupil: hasIris ? pt(mesh, MESH.irisImageRight) : rightEye,
    noseTip: pt(mesh, MESH.noseTip),
    mouthCentre: mid(pt(mesh, MESH.upperLip), pt(mesh, MESH.lowerLip)),
    chin: pt(mesh, MESH.chin),
    foreheadTop: pt(mesh, MESH.foreheadTop),
    leftFaceEdge: pt(mesh, MESH.faceEdgeImageLeft),
    rightFaceEdge: pt(mesh, MESH.faceEdgeImageRight),
  };
}

/**
 * Yaw from the nose tip's position between the outer eye corners, in the roll-corrected frame.
 * With the eye corners at ±e and the nose tip at depth n in front of them, turning by θ puts the
 * nose at n·sinθ and the corners at ±e·cosθ, so (dR − dL)/(dR + dL) = −(n/e)·tanθ.
 */
export function geometricYawDeg(mesh: FaceResult['mesh']): number {
  const a = pt(mesh, MESH.rightEyeOuter);
  const b = pt(mesh, MESH.leftEyeOuter);
  const n = pt(mesh, MESH.noseTip);
  const roll = Math.atan2(b.y - a.y, b.x - a.x);
  const c = Math.cos(-roll), s = Math.sin(-roll);
  const rx = (p: Point) => p.x * c - p.y * s;
  const dL = rx(n) - rx(a);
  const dR = rx(b) - rx(n);
  const sum = dL + dR;
  if (sum <= 0) return 90;
  const asym = (dL - dR) / sum; // > 0: nose towards the image right
  return Math.atan(asym / NOSE_DEPTH_RATIO) * RAD_TO_DEG;
}

function poseOf(face: FaceResult, lm: FaceLandmarks): HeadPose {
  const angle = face.rotation?.angle ?? { yaw: 0, pitch: 0, roll: 0 };
  const geo = geometricYawDeg(face.mesh);
  // human's yaw sign is the opposite of ours (positive: nose towards the image right).
  const modelYaw = -angle.yaw * RAD_TO_DEG;
  const calibrated = modelYaw * MODEL_YAW_CALIBRATION;
  const rollDeg = Math.atan2(lm.rightEye.y - lm.leftEye.y, lm.rightEye.x - lm.leftEye.x) * RAD_TO_DEG;
  return {
    // Two independent estimates, each with a known failure: the geometry trusts the nose tip,
    // which the mesh invents when the lower face is covered; the model's estimate is compressed
    // (calibrated above). The smaller of the two is used, so a face is refused for its angle
    // only when both agree it is turned.
    yawDeg: Math.abs(geo) <= Math.abs(calibrated) ? geo : calibrated,
    pitchDeg: angle.pitch * RAD_TO_DEG,
    rollDeg,
    geometricYawDeg: geo,
    modelYawDeg: modelYaw,
    modelPitchDeg: angle.pitch * RAD_TO_DEG,
    modelRollDeg: angle.roll * RAD_TO_DEG,
  };
}

export function toDetectedFace(face: FaceResult): DetectedFace | null {
  if (!face.mesh || face.mesh.length < 468) return null; // detector box without a mesh: no landmarks
  const lm = landmarksOf(face.mesh);
  return {
    box: tightBox(face.mesh),
    detectorBox: { x: face.box[0], y: face.box[1], width: face.box[2], height: face.box[3] },
    score: face.boxScore,
    meshScore: face.faceScore,
    landmarks: lm,
    mesh: face.mesh.map((p) => [p[0], p[1]] as [number, number]),
    interPupilPx: dist(lm.leftPupil, lm.rightPupil),
    pose: poseOf(face, lm),
  };
}
