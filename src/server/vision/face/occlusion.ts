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
import { chromaDelta, deltaE, regionStats, type Lab, type RegionStats } from './image-stats.js';
import type { Box, DetectedFace, DetectedHand, Point } from './types.js';

const P = {
  foreheadMid: 151,
  noseBridge: 6,
  noseTipUpper: 4, // just above the tip, on the nose's ridge
  cheekUpperImageLeft: 117,
  cheekUpperImageRight: 346,
  cheekLowerImageLeft: 205,
  cheekLowerImageRight: 425,
  chinMid: 175,
  upperLipTop: 0,
  upperLipInner: 13,
  lowerLipInner: 14,
  lowerLipBottom: 17,
  mouthCornerImageLeft: 61,
  mouthCornerImageRight: 291,
  eyeOuterImageLeft: 33,
  eyeInnerImageLeft: 133,
  eyeLowerLidImageLeft: 145,
  eyeInnerImageRight: 362,
  eyeOuterImageRight: 263,
  eyeLowerLidImageRight: 374,
  eyeUpperLidImageLeft: 159,
  eyeUpperLidImageRight: 386,
  browMidImageLeft: 52,
  browMidImageRight: 282,
  irisCentreImageLeft: 473,
  irisEdgeImageLeft: 474,
  irisCentreImageRight: 468,
  irisEdgeImageRight: 469,
  subnasale: 2,
  belowLowerLip: 18,
  chinBottom: 152,
} as const;

export interface OcclusionEvidence {
  /** Median Lab colour of the skin reference: the skin-like patches among forehead, nose bridge, cheeks, chin. */
  skin: Lab | null;
  /** Names of the patches that formed the reference: the skin-like ones (YCbCr rule), or all upper-face ones when none is. */
  skinPatches: string[];
  /** 'skin-coloured' or 'upper-face' (no patch passed the skin colour rule: colour cast or grey-scale). */
  skinReference: 'skin-coloured' | 'upper-face' | 'none';
  /** Chroma of the skin reference, √(a*² + b*²), Lab units: near 0 on grey-scale images. */
  skinChroma: number | null;
  /** Mean skin-like fraction of the upper-face patches, 0–1 (plausibility of a human face). */
  skinFraction: number;
  /** Median texture of the skin reference patches (mean |ΔL*| per px). */
  skinTexture: number | null;
  /** Lab a* of the redder lip patch minus the skin's, a* units (recorded). */
  lipRednessLab: number | null;
  /**
   * Lip redness used by the rules: ln(R/G) of the redder lip patch minus the skin's, ×100
   * (≈ percent more red per green than the skin). Independent of the light's colour cast.
   */
  lipRedness: number | null;
  /** Median L* of the two lip patches / skin L* (ratio): lips and moustaches are darker than skin. */
  lipToSkinLuminance: number | null;
  /** Mean skin-coloured fraction (0–1) of the two lip patches. */
  lipSkinFraction: number | null;
  /** ΔE (Lab) between the lips and the lower face: small when one cover spans both (any colour of mask). */
  lipToLowerFaceDelta: number | null;
  /** ΔE (CIE76, Lab) between the lower face (chin, lower cheeks) and the skin reference. */
  lowerFaceColourDelta: number | null;
  /** ΔE (Lab) between the nose tip and the skin reference: masks cover it, beards never do. */
  noseColourDelta: number | null;
  /** Skin-coloured fraction (0–1) of the nose tip patch. */
  noseSkinFraction: number | null;
  /** Mean skin-like fraction (0–1) of the lower-face patches. */
  lowerFaceSkinFraction: number | null;
  /** Lower-face texture / skin texture (ratio): masks are smoother than skin, beards rougher. */
  lowerFaceTextureRatio: number | null;
  /** Eye-region median L* / skin L*, of the BRIGHTER eye (sunglasses darken both). */
  eyeToSkinLuminance: number | null;
  /** Below-the-eye patch median L* / skin L*, of the brighter side (lenses reach below the eye). */
  underEyeToSkinLuminance: number | null;
  /**
   * Brightest tenth (90th percentile L*) of the eye region / skin L*, of the brighter eye: an
   * open eye shows its sclera and catch-lights, a dark lens shows neither.
   */
  eyeHighlightToSkinLuminance: number | null;
  /**
   * Chroma distance √(Δa*² + Δb*²) from the skin reference, Lab units, medians over patches:
   * the skin right around the eyes (below each eye, between lid and brow), around the mouth
   * (philtrum, below the lower lip), the nose tip and the lower face (chin, lower cheeks). Shading
   * moves L* and barely a*, b*, so these stay small where one skin runs around the features, and
   * are large where a cover surrounds them (a mask, a balaclava's eye and mouth holes).
   */
  /**
   * Iris visibility: L* of the sclera beside the iris (the brighter of the two sides, between the
   * iris edge and the eye corner) minus L* at the iris, L* units, of the eye where it is larger.
   * A visible eye, even shadowed, shows a dark iris between brighter sclera; a lens is one flat
   * tone. Null without the iris refinement (478 mesh points).
   */
  irisContrast: number | null;
  periocularChromaDelta: number | null;
  perioralChromaDelta: number | null;
  /**
   * Redness of the redder lip patch over the skin right around the mouth (philtrum, below the
   * lower lip), 100 × Δ ln(R/G): visible lips are redder than their own surround; one cover
   * (a hand, a mask, a beard) spans both.
   */
  lipToPerioralRedness: number | null;
  /** Darkest tenth (10th percentile L*) of each eye region / skin L*, image-left then image-right. */
  eyeDarkestToSkinLuminance: Array<number | null>;
  noseChromaDelta: number | null;
  lowerFaceChromaDelta: number | null;
  /** Median L* of the lower face / skin L* (ratio): beards and shadows are darker than skin. */
  lowerFaceToSkinLuminance: number | null;
  /** Skin-coloured fraction (0–1) of the periocular and perioral patches. */
  periocularSkinFraction: number | null;
  perioralSkinFraction: number | null;
  /**
   * Each detected hand that touches the mouth or eye region, or the face box with skeleton points
   * below the chin: score, box width / face box width, fractions (0–1) of each region covered by
   * the hand box, the fraction (0–1) of the hand box inside the face box, how many of its 21
   * skeleton points lie on each region (recorded; not used by the rules) and how many lie below
   * the chin (a hand under the chin: `HAND_UNDER_CHIN`).
   */
  hands: Array<{
    score: number;
    widthToFace: number;
    overMouth: number;
    overEyes: number;
    inFace: number;
    pointsOnMouth: number;
    pointsOnEyes: number;
    pointsBelowChin: number;
  }>;
}

const boxAround = (c: Point, w: number, h: number): Box => ({ x: c.x - w / 2, y: c.y - h / 2, width: w, height: h });
const median = (v: number[]) => {
  const s = v.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
const medianLab = (labs: Lab[]): Lab => ({ L: median(labs.map((l) => l.L)), a: median(labs.map((l) => l.a)), b: median(labs.map((l) => l.b)) });
const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

function overlapFraction(region: Box, other: Box): number {
  const w = Math.min(region.x + region.width, other.x + other.width) - Math.max(region.x, other.x);
  const h = Math.min(region.y + region.height, other.y + other.height) - Math.max(region.y, other.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.max(1, region.width * region.height);
}

const inside = (b: Box, p: Point) => p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;

function boundsOf(points: Point[]): Box {
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const x = Math.min(...xs), y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

/** A patch counts as skin when at least half its samples have a skin-like colour. */
const SKIN_PATCH_MIN_FRACTION = 0.5;

export function measureOcclusion(image: DecodedImage, face: DetectedFace, hands: DetectedHand[]): OcclusionEvidence {
  const m = (i: number): Point => {
    const p = face.mesh[i];
    if (!p) throw new Error(`mesh point ${i} missing`);
    return { x: p[0], y: p[1] };
  };
  const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
  const iod = Math.max(4, Math.hypot(face.landmarks.rightEye.x - face.landmarks.leftEye.x, face.landmarks.rightEye.y - face.landmarks.leftEye.y));
  const patch = (c: Point, w: number, h: number) => regionStats(image, boxAround(c, w * iod, h * iod));

  const upper: Array<[string, RegionStats]> = [
    ['forehead', patch(m(P.foreheadMid), 0.6, 0.25)],
    ['noseBridge', patch(m(P.noseBridge), 0.18, 0.18)],
    ['cheekUpperImageLeft', patch(m(P.cheekUpperImageLeft), 0.25, 0.2)],
    ['cheekUpperImageRight', patch(m(P.cheekUpperImageRight), 0.25, 0.2)],
  ];
  const lower: Array<[string, RegionStats]> = [
    ['chin', patch(m(P.chinMid), 0.35, 0.2)],
    ['cheekLowerImageLeft', patch(m(P.cheekLowerImageLeft), 0.25, 0.25)],
    ['cheekLowerImageRight', patch(m(P.cheekLowerImageRight), 0.25, 0.25)],
  ];
  const usableUpper = upper.filter(([, s]) => s.samples > 0);
  const usableLower = lower.filter(([, s]) => s.samples > 0);
  const colourSkin = [...usableUpper, ...usableLower].filter(([, s]) => s.skinFraction >= SKIN_PATCH_MIN_FRACTION);
  // Under a strong colour cast no patch passes the (lighting-dependent) skin rule: fall back to
  // the upper face, which masks do not cover.
  const skinLike = colourSkin.length > 0 ? colourSkin : usableUpper;
  const skinFraction = usableUpper.length ? usableUpper.reduce((a, [, s]) => a + s.skinFraction, 0) / usableUpper.length : 0;
  const skin = skinLike.length ? medianLab(skinLike.map(([, s]) => s.median)) : null;
  const skinTexture = skinLike.length ? median(skinLike.map(([, s]) => s.texture)) : Number.NaN;
  const skinLogRG = skinLike.length ? median(skinLike.map(([, s]) => s.logRedGreen)) : Number.NaN;

  const lipW = 0.3, lipH = 0.08;
  const upperLip = patch(mid(m(P.upperLipTop), m(P.upperLipInner)), lipW, lipH);
  const lowerLip = patch(mid(m(P.lowerLipInner), m(P.lowerLipBottom)), lipW, lipH);
  const lipA = Math.max(upperLip.samples ? upperLip.median.a : -Infinity, lowerLip.samples ? lowerLip.median.a : -Infinity);
  const lipRG = Math.max(upperLip.samples ? upperLip.logRedGreen : -Infinity, lowerLip.samples ? lowerLip.logRedGreen : -Infinity);

  const nose = patch(m(P.noseTipUpper), 0.2, 0.15);
  const lowerLab = usableLower.length ? medianLab(usableLower.map(([, s]) => s.median)) : null;
  const lowerTexture = median(usableLower.map(([, s]) => s.texture));

  const eyeBox = (outer: Point, inner: Point) => {
    const w = Math.hypot(outer.x - inner.x, outer.y - inner.y);
    return boxAround(mid(outer, inner), 1.0 * w, 0.5 * w);
  };

  const eachEye = [eyeBox(m(P.eyeOuterImageLeft), m(P.eyeInnerImageLeft)), eyeBox(m(P.eyeOuterImageRight), m(P.eyeInnerImageRight))].map((b) => regionStats(image, b));
  const eyes = eachEye.filter((st) => st.samples > 0);
  const eyeDark = eachEye.map((st) => (skin && st.samples && skin.L > 0 ? finiteOrNull(st.lumP10 / skin.L) : null));
  const below = (lid: Point) => patch({ x: lid.x, y: lid.y + 0.12 * iod }, 0.25, 0.1);
  const underEyes = [below(m(P.eyeLowerLidImageLeft)), below(m(P.eyeLowerLidImageRight))].filter((s) => s.samples > 0);
  const aboveEyes = [
    patch(mid(m(P.eyeUpperLidImageLeft), m(P.browMidImageLeft)), 0.2, 0.08),
    patch(mid(m(P.eyeUpperLidImageRight), m(P.browMidImageRight)), 0.2, 0.08),
  ].filter((s) => s.samples > 0);
  const perioral = [patch(mid(m(P.subnasale), m(P.upperLipTop)), 0.2, 0.08), patch(m(P.belowLowerLip), 0.25, 0.08)].filter((s) => s.samples > 0);
  const irisContrastOf = (centreI: number, edgeI: number, cornerA: number, cornerB: number): number | null => {
    if (face.mesh.length < 478) return null;
    const c = m(centreI);
    const r = Math.max(1, Math.hypot(m(edgeI).x - c.x, m(edgeI).y - c.y));
    const iris = regionStats(image, boxAround(c, r, r));
    const sclera = [m(cornerA), m(cornerB)].map((corner) => {
      const d = Math.hypot(corner.x - c.x, corner.y - c.y);
      if (d <= r * 1.2) return Number.NaN; // the iris reaches the corner: no sclera to see
      const t = (r + (d - r) / 2) / d; // halfway between the iris edge and the corner
      const at = { x: c.x + (corner.x - c.x) * t, y: c.y + (corner.y - c.y) * t };
      const side = Math.max(1, Math.min(r * 0.8, (d - r) * 0.6));
      const st = regionStats(image, boxAround(at, side, side));
      return st.samples ? st.median.L : Number.NaN;
    });
    const brighter = Math.max(...sclera.filter(Number.isFinite));
    return iris.samples && Number.isFinite(brighter) ? brighter - iris.median.L : null;
  };
  const irisContrasts = [
    irisContrastOf(P.irisCentreImageLeft, P.irisEdgeImageLeft, P.eyeOuterImageLeft, P.eyeInnerImageLeft),
    irisContrastOf(P.irisCentreImageRight, P.irisEdgeImageRight, P.eyeOuterImageRight, P.eyeInnerImageRight),
  ].filter((v): v is number => v !== null);
  const chroma = (stats: RegionStats[]) => (skin && stats.length ? finiteOrNull(median(stats.map((st) => chromaDelta(st.median, skin)))) : null);
  const skinShare = (stats: RegionStats[]) => (stats.length ? stats.reduce((a, st) => a + st.skinFraction, 0) / stats.length : null);

  const mouthRegion = boundsOf([m(P.mouthCornerImageLeft), m(P.mouthCornerImageRight), m(P.upperLipTop), m(P.lowerLipBottom)]);
  const eyeRegion = boundsOf([m(P.eyeOuterImageLeft), m(P.eyeOuterImageRight), m(P.eyeInnerImageLeft), m(P.eyeInnerImageRight)]);
  const eyeRegionPadded = { ...eyeRegion, y: eyeRegion.y - 0.15 * iod, height: eyeRegion.height + 0.3 * iod };
  // The lips plus a margin of a quarter inter-ocular distance: fingers over the mouth rest there.
  const mouthRegionPadded = { x: mouthRegion.x - 0.25 * iod, y: mouthRegion.y - 0.25 * iod, width: mouthRegion.width + 0.5 * iod, height: mouthRegion.height + 0.5 * iod };
  const chinY = m(P.chinBottom).y;
  const ratioL = (stats: RegionStats[]) => (skin && stats.length && skin.L > 0 ? Math.max(...stats.map((s) => s.median.L)) / skin.L : null);

  return {
    skin,
    skinPatches: skinLike.map(([name]) => name),
    skinReference: colourSkin.length > 0 ? 'skin-coloured' : skinLike.length > 0 ? 'upper-face' : 'none',
    skinChroma: skin ? Math.hypot(skin.a, skin.b) : null,
    skinFraction,
    skinTexture: finiteOrNull(skinTexture),
    lipRednessLab: skin && Number.isFinite(lipA) ? lipA - skin.a : null,
    lipRedness: skin && Number.isFinite(lipRG) && Number.isFinite(skinLogRG) ? 100 * (lipRG - skinLogRG) : null,
    lipToSkinLuminance: skin && upperLip.samples && lowerLip.samples && skin.L > 0 ? ((upperLip.median.L + lowerLip.median.L) / 2) / skin.L : null,
    lipSkinFraction: upperLip.samples && lowerLip.samples ? (upperLip.skinFraction + lowerLip.skinFraction) / 2 : null,
    lipToLowerFaceDelta: lowerLab && upperLip.samples && lowerLip.samples ? finiteOrNull(deltaE(medianLab([upperLip.median, lowerLip.median]), lowerLab)) : null,
    lowerFaceColourDelta: skin && lowerLab ? finiteOrNull(deltaE(lowerLab, skin)) : null,
    noseColourDelta: skin && nose.samples ? finiteOrNull(deltaE(nose.median, skin)) : null,
    noseSkinFraction: nose.samples ? nose.skinFraction : null,
    lowerFaceSkinFraction: usableLower.length ? usableLower.reduce((a, [, s]) => a + s.skinFraction, 0) / usableLower.length : null,
    lowerFaceTextureRatio: Number.isFinite(skinTexture) && skinTexture > 0 ? finiteOrNull(lowerTexture / skinTexture) : null,
    eyeToSkinLuminance: ratioL(eyes),
    underEyeToSkinLuminance: ratioL(underEyes),
    eyeHighlightToSkinLuminance: skin && eyes.length && skin.L > 0 ? finiteOrNull(Math.max(...eyes.map((e) => e.lumP90)) / skin.L) : null,
    irisContrast: irisContrasts.length ? Math.max(...irisContrasts) : null,
    periocularChromaDelta: chroma([...underEyes, ...aboveEyes]),
    perioralChromaDelta: chroma(perioral),
    lipToPerioralRedness: perioral.length && Number.isFinite(lipRG) ? finiteOrNull(100 * (lipRG - median(perioral.map((st) => st.logRedGreen)))) : null,
    eyeDarkestToSkinLuminance: eyeDark,
    noseChromaDelta: chroma(nose.samples ? [nose] : []),
    lowerFaceChromaDelta: chroma(usableLower.map(([, st]) => st)),
    lowerFaceToSkinLuminance: skin && lowerLab && skin.L > 0 ? finiteOrNull(lowerLab.L / skin.L) : null,
    periocularSkinFraction: skinShare([...underEyes, ...aboveEyes]),
    perioralSkinFraction: skinShare(perioral),
    hands: hands
      .map((h) => ({
        score: h.score,
        widthToFace: h.box.width / Math.max(1, face.box.width),
        overMouth: overlapFraction(mouthRegion, h.box),
        overEyes: overlapFraction(eyeRegionPadded, h.box),
        inFace: overlapFraction(h.box, face.box),
        pointsOnMouth: h.keypoints.filter((p) => inside(mouthRegionPadded, p)).length,
        pointsOnEyes: h.keypoints.filter((p) => inside(eyeRegionPadded, p)).length,
        pointsBelowChin: h.keypoints.filter((p) => p.y > chinY).length,
      }))
      .filter((h) => h.overMouth > 0 || h.overEyes > 0 || (h.inFace > 0 && h.pointsBelowChin > 0)),
  };
}
