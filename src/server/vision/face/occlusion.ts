/**
 * Occlusion evidence. No occlusion model exists on npm, and the mesh fills covered parts in
 * (its confidence stays 1.0 on masked faces), so we measure what is actually in the pixels where
 * the mesh says the eyes and lips are, against the face's own visible skin:
 *  - lips: visible lips are redder (Lab a*) than the skin around them; a mask, scarf or hand
 *    over the mouth is not;
 *  - lower face: a mask's colour is far from the skin's (ΔE) and smooth;
 *  - eyes: dark sunglasses make the eye regions much darker than the skin; clear glasses do not;
 *  - hands: human's hand detector, a hand box over the eye or mouth region.
 * docs/vision-faces.md explains each measurement and why beards and clear glasses pass.
 */
import type { DecodedImage } from '../decode-image.js';
import { deltaE, regionStats, type Lab, type RegionStats } from './image-stats.js';
import type { Box, DetectedFace, DetectedHand, Point } from './types.js';

const P = {
  foreheadMid: 151,
  noseBridge: 6,
  cheekUpperImageLeft: 117,
  cheekUpperImageRight: 346,
  cheekLowerImageLeft: 205,
  cheekLowerImageRight: 425,
  upperLipTop: 0,
  upperLipInner: 13,
  lowerLipInner: 14,
  lowerLipBottom: 17,
  mouthCornerImageLeft: 61,
  mouthCornerImageRight: 291,
  chinMid: 175,
  eyeOuterImageLeft: 33,
  eyeInnerImageLeft: 133,
  eyeInnerImageRight: 362,
  eyeOuterImageRight: 263,
} as const;

export interface OcclusionEvidence {
  /** Median Lab colour of the skin reference (forehead, upper cheeks, nose bridge: the skin-like ones). */
  skin: Lab | null;
  /** Which reference patches were skin-like (YCbCr rule), by name. */
  skinPatches: string[];
  /** Mean skin-like fraction of the reference patches, 0–1 (plausibility of a human face). */
  skinFraction: number;
  /** Lab a* of the redder lip patch minus the skin's, a* units. */
  lipRedness: number | null;
  /** ΔE (Lab) between the lower face (chin, lower cheeks) and the skin reference. */
  lowerFaceColourDelta: number | null;
  /** Texture of the lower face (mean |ΔL*| per px). */
  lowerFaceTexture: number | null;
  /** Eye-region median L* / skin L*, the darker eye. */
  eyeToSkinLuminance: number | null;
  /** Largest fraction (0–1) of the mouth region covered by a detected hand box. */
  handOverMouth: number;
  /** Largest fraction (0–1) of the eye region covered by a detected hand box. */
  handOverEyes: number;
}

const boxAround = (c: Point, w: number, h: number): Box => ({ x: c.x - w / 2, y: c.y - h / 2, width: w, height: h });
const median = (v: number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
const medianLab = (labs: Lab[]): Lab => ({ L: median(labs.map((l) => l.L)), a: median(labs.map((l) => l.a)), b: median(labs.map((l) => l.b)) });

function overlapFraction(region: Box, other: Box): number {
  const w = Math.min(region.x + region.width, other.x + other.width) - Math.max(region.x, other.x);
  const h = Math.min(region.y + region.height, other.y + other.height) - Math.max(region.y, other.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.max(1, region.width * region.height);
}

function boundsOf(points: Point[]): Box {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export function measureOcclusion(image: DecodedImage, face: DetectedFace, hands: DetectedHand[]): OcclusionEvidence {
  const m = (i: number): Point => {
    const p = face.mesh[i];
    if (!p) throw new Error(`mesh point ${i} missing`);
    return { x: p[0], y: p[1] };
  };
  const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const iod = Math.max(4, Math.hypot(face.landmarks.rightEye.x - face.landmarks.leftEye.x, face.landmarks.rightEye.y - face.landmarks.leftEye.y));

  const refs: Array<[string, RegionStats]> = [
    ['forehead', regionStats(image, boxAround(m(P.foreheadMid), 0.6 * iod, 0.25 * iod))],
    ['noseBridge', regionStats(image, boxAround(m(P.noseBridge), 0.18 * iod, 0.18 * iod))],
    ['cheekImageLeft', regionStats(image, boxAround(m(P.cheekUpperImageLeft), 0.25 * iod, 0.2 * iod))],
    ['cheekImageRight', regionStats(image, boxAround(m(P.cheekUpperImageRight), 0.25 * iod, 0.2 * iod))],
  ];
  const usable = refs.filter(([, s]) => s.samples > 0);
  const skinLike = usable.filter(([, s]) => s.skinFraction >= 0.5);
  const skinFraction = usable.length ? usable.reduce((a, [, s]) => a + s.skinFraction, 0) / usable.length : 0;
  const skin = skinLike.length ? medianLab(skinLike.map(([, s]) => s.median)) : null;

  const lipW = 0.3 * iod, lipH = 0.08 * iod;
  const upperLip = regionStats(image, boxAround(mid(m(P.upperLipTop), m(P.upperLipInner)), lipW, lipH));
  const lowerLip = regionStats(image, boxAround(mid(m(P.lowerLipInner), m(P.lowerLipBottom)), lipW, lipH));
  const lipA = Math.max(upperLip.samples ? upperLip.median.a : -Infinity, lowerLip.samples ? lowerLip.median.a : -Infinity);

  const lower = [
    regionStats(image, boxAround(m(P.chinMid), 0.35 * iod, 0.2 * iod)),
    regionStats(image, boxAround(m(P.cheekLowerImageLeft), 0.25 * iod, 0.25 * iod)),
    regionStats(image, boxAround(m(P.cheekLowerImageRight), 0.25 * iod, 0.25 * iod)),
  ].filter((s) => s.samples > 0);
  const lowerLab = lower.length ? medianLab(lower.map((s) => s.median)) : null;

  const eyeBox = (outer: Point, inner: Point) => {
    const w = Math.hypot(outer.x - inner.x, outer.y - inner.y);
    return boxAround(mid(outer, inner), 1.0 * w, 0.5 * w);
  };
  const eyes = [
    regionStats(image, eyeBox(m(P.eyeOuterImageLeft), m(P.eyeInnerImageLeft))),
    regionStats(image, eyeBox(m(P.eyeOuterImageRight), m(P.eyeInnerImageRight))),
  ].filter((s) => s.samples > 0);

  const mouthRegion = boundsOf([m(P.mouthCornerImageLeft), m(P.mouthCornerImageRight), m(P.upperLipTop), m(P.lowerLipBottom)]);
  const eyeRegion = boundsOf([m(P.eyeOuterImageLeft), m(P.eyeOuterImageRight), m(P.eyeInnerImageLeft), m(P.eyeInnerImageRight)]);
  const eyeRegionPadded = { ...eyeRegion, y: eyeRegion.y - 0.15 * iod, height: eyeRegion.height + 0.3 * iod };

  return {
    skin,
    skinPatches: skinLike.map(([name]) => name),
    skinFraction,
    lipRedness: skin && Number.isFinite(lipA) ? lipA - skin.a : null,
    lowerFaceColourDelta: skin && lowerLab ? deltaE(lowerLab, skin) : null,
    lowerFaceTexture: lower.length ? median(lower.map((s) => s.texture)) : null,
    eyeToSkinLuminance: skin && eyes.length && skin.L > 0 ? Math.min(...eyes.map((s) => s.median.L)) / skin.L : null,
    handOverMouth: Math.max(0, ...hands.map((h) => overlapFraction(mouthRegion, h.box))),
    handOverEyes: Math.max(0, ...hands.map((h) => overlapFraction(eyeRegionPadded, h.box))),
  };
}
