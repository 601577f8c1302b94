/**
 * The face rules: measurements in, one code out. Pure (no model, no pixels), so every rule and
 * the priority order are unit-tested directly. docs/vision-faces.md explains each rule.
 */
import type { FaceErrorCode } from '../contract.js';
import type { FaceConfig } from './config.js';
import type { Box } from './types.js';

/**
 * When several problems coexist, the applicant sees the first in this order: the one they can
 * fix first. Framing comes before pose and pose before occlusion, because moving changes the
 * later measurements (a face cut by the edge or turned away cannot be judged for occlusion).
 */
export const FACE_PROBLEM_PRIORITY: readonly FaceErrorCode[] = [
  'FACE_NOT_FOUND',
  'TOO_MANY_FACES',
  'FACE_TOO_CLOSE',
  'FACE_CROPPED',
  'FACE_TOO_SMALL',
  'FACE_CLOSE_TO_BORDER',
  'FACE_ANGLE_TOO_LARGE',
  'FACE_IS_OCCLUDED',
];

export interface ImageFacts {
  /** Decoded (working) size, px. */
  width: number;
  height: number;
  /** Decoded px per original px (≤ 1). */
  scale: number;
}

export interface FaceFacts {
  /** Tight mesh box, decoded px; may extend past the image where the mesh extrapolates. */
  box: Box;
  score: number;
  interPupilPx: number;
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Fraction (0–1) of forehead/cheek samples with a skin-like colour. */
  skinFraction: number;
  lipRedness: number | null;
  /** Lip patches' L* / skin L*, and their skin-coloured fraction (0–1). */
  lipToSkinLuminance: number | null;
  lipSkinFraction: number | null;
  /** ΔE (Lab) lips ↔ lower face: small when one cover spans both. */
  lipToLowerFaceDelta: number | null;
  lowerFaceColourDelta: number | null;
  lowerFaceSkinFraction: number | null;
  /** The nose tip vs the skin: ΔE (Lab) and skin-coloured fraction (0–1). */
  noseColourDelta: number | null;
  noseSkinFraction: number | null;
  /** Chroma distance (Lab √(Δa*² + Δb*²)) of the nose tip and of the lower face from the skin. */
  noseChromaDelta: number | null;
  lowerFaceChromaDelta: number | null;
  lowerFaceTextureRatio: number | null;
  /**
   * The skin right around the mouth (philtrum, below the lower lip) and around the eyes (below
   * each eye, between lid and brow): chroma distance from the skin (Lab) and skin-coloured share
   * (0–1). Null where colour is not usable (grey-scale, small face, no skin-coloured reference).
   */
  perioralChromaDelta?: number | null;
  perioralSkinFraction?: number | null;
  periocularChromaDelta?: number | null;
  periocularSkinFraction?: number | null;
  eyeToSkinLuminance: number | null;
  underEyeToSkinLuminance: number | null;
  /** Fractions (0–1) of the mouth / eye regions covered by a counted hand's box (score, size). */
  handOverMouth: number;
  handOverEyes: number;
  /**
   * Most skeleton points (of 21) below the chin of a hand scored ≥ `minHandScore` (no width floor)
   * whose box reaches into the face box: a hand under the chin (0 when none, or hands were not
   * searched).
   */
  handPointsBelowChin?: number;
  /**
   * Fabric periodicity of the skin patches on the original pixels (fabric.ts, dimensionless, ≈ 0
   * on skin); measured by the engine only on the main face of a selfie the other rules accept.
   */
  fabricPeriodicity?: number | null;
}

export interface Judgement {
  code: FaceErrorCode | null;
  problems: FaceErrorCode[];
  /** Index (into the input faces) of the main face, or null. */
  mainFace: number | null;
  /** Indices of faces that count as faces (score floor + plausibility). */
  countedFaces: number[];
  /** Indices of counted faces similar in size to the main one (TOO_MANY_FACES evidence). */
  similarFaces: number[];
  /** Why each face was not counted. */
  rejectedFaces: Array<{ index: number; reason: 'LOW_SCORE' | 'NOT_SKIN' }>;
  /** Every derived figure the rules compared, for the stored result. */
  figures: Record<string, number | boolean | string[] | null>;
}

/** Adult averages: chin-to-crown ≈ 23 cm, head breadth ≈ 15 cm, inter-pupil distance ≈ 6.3 cm. */
export const HEAD_HEIGHT_PER_IPD = 3.6;
export const HEAD_WIDTH_PER_IPD = 2.4;

/** Framing figures of one face (docs/vision-faces.md rules 3–6). */
export interface Framing {
  outsideFraction: number;
  /** Gaps to each edge, decoded px (negative: past the edge). */
  margins: { left: number; right: number; top: number; bottom: number };
  /** The face box's part inside the image, as a share (0–1) of the image width / height. */
  visibleWidthFraction: number;
  visibleHeightFraction: number;
  /** The smaller of the two: how much of the frame the face fills in both directions. */
  fill: number;
  /** The IPD-estimated whole head over the image, the smaller of width and height (ratio). */
  headFill: number;
  nearBorder: boolean;
  cropped: boolean;
  tooClose: boolean;
}

/**
 * Where the face sits in the frame: margins, the share of it outside, how much of the frame it
 * fills, and the framing problems that follow.
 */
export function framingOf(f: Pick<FaceFacts, 'box' | 'interPupilPx'>, image: ImageFacts, cfg: FaceConfig): Framing {
  const { width: W, height: H, scale } = image;
  const b = f.box;
  const outside = {
    left: Math.max(0, -b.x),
    right: Math.max(0, b.x + b.width - W),
    top: Math.max(0, -b.y),
    bottom: Math.max(0, b.y + b.height - H),
  };
  const outsideFraction = Math.max(outside.left / b.width, outside.right / b.width, outside.top / b.height, outside.bottom / b.height);
  const margins = { left: b.x, right: W - (b.x + b.width), top: b.y, bottom: H - (b.y + b.height) };
  const visibleWidthFraction = Math.max(0, Math.min(W, b.x + b.width) - Math.max(0, b.x)) / W;
  const visibleHeightFraction = Math.max(0, Math.min(H, b.y + b.height) - Math.max(0, b.y)) / H;
  const fill = Math.min(visibleWidthFraction, visibleHeightFraction);
  const headFill = Math.min((HEAD_WIDTH_PER_IPD * f.interPupilPx) / W, (HEAD_HEIGHT_PER_IPD * f.interPupilPx) / H);
  const minMarginH = Math.max(cfg.minMarginPx * scale, cfg.minMarginFaceFraction * b.width);
  const minMarginV = Math.max(cfg.minMarginPx * scale, cfg.minMarginFaceFraction * b.height);
  const nearBorder = Math.min(margins.left, margins.right) < minMarginH || Math.min(margins.top, margins.bottom) < minMarginV;
  const cropped = outsideFraction > cfg.maxOutsideFraction;
  // Too close: the face fills most of the frame; or it is near a border while already filling a
  // large part of it (centring it would not give it its margins; moving back does); or the
  // IPD-estimated head is larger than the frame both ways (a mesh squeezed into a close-up).
  const tooClose = fill > cfg.maxFaceFillFraction || (nearBorder && fill > cfg.maxFaceFillNearBorder) || headFill > cfg.maxHeadToImage;
  return { outsideFraction, margins, visibleWidthFraction, visibleHeightFraction, fill, headFill, nearBorder, cropped, tooClose };
}

export function judgeFaces(image: ImageFacts, faces: FaceFacts[], cfg: FaceConfig): Judgement {
  const rejectedFaces: Judgement['rejectedFaces'] = [];
  const counted: number[] = [];
  faces.forEach((f, index) => {
    const overflowing = framingOf(f, image, cfg).tooClose;
    const floor = overflowing ? Math.min(cfg.minFaceScore, cfg.minOverflowingFaceScore) : cfg.minFaceScore;
    if (f.score < floor) rejectedFaces.push({ index, reason: 'LOW_SCORE' });
    else if (f.score < cfg.trustedFaceScore && f.skinFraction < cfg.minSkinFraction) rejectedFaces.push({ index, reason: 'NOT_SKIN' });
    else counted.push(index);
  });
  if (counted.length === 0) {
    return { code: 'FACE_NOT_FOUND', problems: ['FACE_NOT_FOUND'], mainFace: null, countedFaces: [], similarFaces: [], rejectedFaces, figures: {} };
  }

  const size = (i: number) => faces[i]!.box.height;
  const main = counted.reduce((best, i) => (size(i) > size(best) ? i : best), counted[0]!);
  const f = faces[main]!;
  const similar = counted.filter((i) => i !== main && size(i) >= cfg.otherFaceMinRelativeSize * size(main));
  const problems = new Set<FaceErrorCode>();
  if (similar.length > 0) problems.add('TOO_MANY_FACES');

  const { width: W, height: H, scale } = image;
  const b = f.box;
  const framing = framingOf(f, image, cfg);
  const { margins } = framing;
  if (framing.tooClose) problems.add('FACE_TOO_CLOSE');
  if (framing.cropped) problems.add('FACE_CROPPED');

  const shortSideOriginalPx = Math.min(b.width, b.height) / scale;
  const interPupilOriginalPx = f.interPupilPx / scale;
  const widthOfShortSide = b.width / Math.min(W, H);
  if ((shortSideOriginalPx < cfg.minFaceSidePx && interPupilOriginalPx < cfg.minInterPupilPx) || widthOfShortSide < cfg.minFaceWidthFraction) {
    problems.add('FACE_TOO_SMALL');
  }

  if (framing.nearBorder && !framing.cropped) problems.add('FACE_CLOSE_TO_BORDER');

  if (Math.abs(f.yawDeg) > cfg.maxYawDeg || Math.abs(f.pitchDeg) > cfg.maxPitchDeg || Math.abs(f.rollDeg) > cfg.maxRollDeg) {
    problems.add('FACE_ANGLE_TOO_LARGE');
  }

  const occlusionReasons = occlusionReasonsOf(f, cfg);
  if (occlusionReasons.length > 0) problems.add('FACE_IS_OCCLUDED');

  const ordered = FACE_PROBLEM_PRIORITY.filter((c) => problems.has(c));
  return {
    code: ordered[0] ?? null,
    problems: ordered,
    mainFace: main,
    countedFaces: counted,
    similarFaces: similar,
    rejectedFaces,
    figures: {
      outsideFraction: framing.outsideFraction,
      // In ORIGINAL-image px, like the boxes of the stored measurements.
      marginLeftPx: margins.left / scale,
      marginRightPx: margins.right / scale,
      marginTopPx: margins.top / scale,
      marginBottomPx: margins.bottom / scale,
      visibleWidthFraction: framing.visibleWidthFraction,
      visibleHeightFraction: framing.visibleHeightFraction,
      fill: framing.fill,
      headFill: framing.headFill,
      widthOfShortSide,
      shortSideOriginalPx,
      interPupilOriginalPx,
      occlusionReasons,
    },
  };
}

/** Which occlusion rules fire for a face (empty: not occluded). */
export function occlusionReasonsOf(f: FaceFacts, cfg: FaceConfig): string[] {
  const reasons: string[] = [];
  const eyes = f.eyeToSkinLuminance, underEyes = f.underEyeToSkinLuminance;
  // Dark lenses: the eyes and the skin below them dark AND of one tone (the lens covers both); a
  // shadowed eye socket is dark too, but the eye in it is darker than the skin below it.
  const eyesResolved = f.interPupilPx >= cfg.minWorkingInterPupilPxForColourRules;
  if (
    eyesResolved &&
    eyes !== null &&
    underEyes !== null &&
    eyes < cfg.maxEyeToSkinLuminance &&
    underEyes < cfg.maxUnderEyeToSkinLuminance &&
    underEyes > 0 &&
    eyes / underEyes >= cfg.minLensUniformity
  ) {
    reasons.push('EYES_COVERED_DARK');
  }
  // Tinted lenses (a coloured or mirrored sports lens with a lighter middle is not dark enough
  // for the rule above): the skin around the eyes is of another colour than the face's and
  // mostly not skin-coloured. Frames of clear glasses cover little of it.
  if (
    eyesResolved &&
    f.periocularChromaDelta != null &&
    f.periocularSkinFraction != null &&
    f.periocularChromaDelta > cfg.minLensChromaDelta &&
    f.periocularSkinFraction < cfg.maxLensSkinFraction
  ) {
    reasons.push('EYES_COVERED_TINTED');
  }
  if (f.handOverEyes >= cfg.minHandOverEyes && eyes !== null && eyes >= cfg.minEyeToSkinLuminanceUnderHand) {
    reasons.push('HAND_OVER_EYES');
  }
  const lipsHidden = f.lipRedness !== null && f.lipRedness < cfg.minLipRedness;
  const notSkin = (delta: number | null, skinFraction: number | null) =>
    (delta !== null && delta > cfg.minMaskColourDelta) || (skinFraction !== null && skinFraction < cfg.maxMaskSkinFraction);
  const smooth = f.lowerFaceTextureRatio === null || f.lowerFaceTextureRatio <= cfg.maxMaskTextureRatio;
  // A mask covers the nose as well; a beard or moustache never does.
  const noseCovered = notSkin(f.noseColourDelta, f.noseSkinFraction);
  // One material over lips, chin and cheeks reads as hidden lips whatever its colour (a red mask is "red").
  const oneCover = f.lipToLowerFaceDelta !== null && f.lipToLowerFaceDelta < cfg.maxCoverUniformityDelta;
  if ((lipsHidden || oneCover) && notSkin(f.lowerFaceColourDelta, f.lowerFaceSkinFraction) && smooth && noseCovered) {
    reasons.push('MOUTH_COVERED_NOT_SKIN');
  }
  // Nose tip AND lower face of another colour than the face's own skin, whatever the lips, the
  // pattern or the texture show (a printed mouth, a ribbed or patterned fabric): a cover over
  // nose, mouth and chin. Beards leave the nose; shading changes lightness, not chroma.
  if (f.noseChromaDelta !== null && f.lowerFaceChromaDelta !== null && Math.min(f.noseChromaDelta, f.lowerFaceChromaDelta) > cfg.minCoverChromaDelta) {
    reasons.push('NOSE_AND_MOUTH_COVERED');
  }
  // A mask worn below the nose: the nose is skin, so the rules above pass it; but the lips are
  // hidden AND the skin right around them is not skin-coloured and of another chroma. A beard
  // or moustache over the lips leaves skin-coloured samples there (dark hair fails the colour
  // rule only where it is dense, and then its chroma is the skin's darkened).
  if (
    lipsHidden &&
    f.perioralChromaDelta != null &&
    f.perioralSkinFraction != null &&
    f.perioralSkinFraction < cfg.maxPerioralSkinFraction &&
    f.perioralChromaDelta > cfg.minCoverChromaDelta
  ) {
    reasons.push('MOUTH_SURROUND_COVERED');
  }
  if (lipsHidden && f.handOverMouth >= cfg.minHandOverMouth) reasons.push('HAND_OVER_MOUTH');
  // A hand (a fist, a palm) under the chin: the detector is sure of it (≥ minHandScore), its box
  // reaches into the face box and a good part of its skeleton lies below the chin. The false
  // "hands" the detector finds on faces themselves lie on the face, above the chin.
  if ((f.handPointsBelowChin ?? 0) >= cfg.minHandPointsBelowChin) reasons.push('HAND_UNDER_CHIN');
  // Knitted or woven fabric over forehead, cheeks and chin (a balaclava whose holes show skin and
  // lips): its stitches repeat, skin does not. Needs the eyes resolved, as the colour rules do.
  if (eyesResolved && f.fabricPeriodicity != null && f.fabricPeriodicity >= cfg.minFabricPeriodicity) reasons.push('FABRIC_OVER_FACE');
  if (
    lipsHidden &&
    f.lipToSkinLuminance !== null &&
    f.lipToSkinLuminance >= cfg.minCoverToSkinLuminance &&
    f.lipSkinFraction !== null &&
    f.lipSkinFraction >= cfg.minCoverSkinFraction
  ) {
    reasons.push('MOUTH_COVERED_SKIN');
  }
  return reasons;
}

/** A face found by the look-again detector, decoded px. */
export interface LookAgainDetection {
  score: number;
  box: Box;
}

/**
 * Look again (docs/vision-faces.md): human counted no face, and a second, independent detector
 * (face-api's SSD MobileNet V1) is sure there is one — score ≥ `minLookAgainScore` and wide
 * enough to be a selfie's face (≥ `minFaceWidthFraction` of the image's short side). A face one
 * detector finds and the mesh pipeline cannot is, on the photos we have, a covered face (masks
 * that stopped human's detector: SSD 0.99), so the applicant is told to uncover it rather than
 * that no face is there. Returns the detection that decides, or null (FACE_NOT_FOUND stands).
 */
export function lookAgainVerdict(detections: LookAgainDetection[], image: ImageFacts, cfg: FaceConfig): LookAgainDetection | null {
  const shortSide = Math.min(image.width, image.height);
  const sure = detections.filter((d) => d.score >= cfg.minLookAgainScore && d.box.width >= cfg.minFaceWidthFraction * shortSide);
  return sure.reduce<LookAgainDetection | null>((best, d) => (best === null || d.score > best.score ? d : best), null);
}
