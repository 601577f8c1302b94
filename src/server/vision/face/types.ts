/** Types of the face engine. Every number carries its unit in its name or its comment. */
import type { Box } from '../contract.js';

export type { Box };

/** A point in decoded-image pixels. */
export interface Point {
  x: number;
  y: number;
}

/** Head pose, degrees. Positive yaw: the face turns towards the image's right. */
export interface HeadPose {
  /** Yaw used by the rules: the smaller of the landmark-geometry and the calibrated model estimate. */
  yawDeg: number;
  /** Pitch used by the rules (model estimate, calibrated). Positive: chin up. */
  pitchDeg: number;
  /** In-plane tilt from the eye line. */
  rollDeg: number;
  /** Yaw from nose-tip vs outer-eye-corner asymmetry (see docs/vision-faces.md). */
  geometricYawDeg: number;
  /** Angles from human's mesh rotation matrix, uncalibrated (yaw sign flipped to ours; underestimates large yaw). */
  modelYawDeg: number;
  modelPitchDeg: number;
  modelRollDeg: number;
}

/** Named landmarks taken from the 478-point mesh, decoded-image pixels. */
export interface FaceLandmarks {
  leftEye: Point; // the subject's right eye: image left
  rightEye: Point;
  leftPupil: Point;
  rightPupil: Point;
  noseTip: Point;
  mouthCentre: Point;
  chin: Point;
  foreheadTop: Point;
  leftFaceEdge: Point;
  rightFaceEdge: Point;
}

export interface DetectedFace {
  /** Tight box around the mesh points, decoded-image pixels (may extend past the image). */
  box: Box;
  /** The detector's own (enlarged, square) box, decoded-image pixels. */
  detectorBox: Box;
  /** Face detector confidence, 0–1. */
  score: number;
  /** Mesh confidence, 0–1 (stays 1 on covered faces: not occlusion evidence). */
  meshScore: number;
  landmarks: FaceLandmarks;
  /** Mesh points (x, y), decoded-image pixels; 478 with the iris refinement. */
  mesh: Array<[number, number]>;
  /** Distance between the pupil centres, decoded-image pixels. */
  interPupilPx: number;
  pose: HeadPose;
}

/** A hand found by the hand detector, decoded-image pixels. */
export interface DetectedHand {
  box: Box;
  score: number;
  /** The 21 hand skeleton points (wrist, finger joints and tips), decoded-image pixels. */
  keypoints: Point[];
}
