/**
 * Every threshold of the face rules, with what it measures, its unit and which way is stricter.
 * Starting points are the face rules of PRODUCT.md; docs/vision-faces.md explains each rule.
 * Operators may override any of them (createFaceEngine(models, { ... })) and measure the effect
 * with `npm run --silent evaluate -- faces <labels.tsv>`.
 */
export interface FaceConfig {
  /** Long side the image is resized to before detection, px. Larger finds smaller faces, costs time. */
  workingMaxSidePx: number;
  /**
   * Most faces analysed per image (the detector's top scores). Each costs mesh, iris, descriptor
   * and spoof models (tens of ms); two similar-sized faces already decide TOO_MANY_FACES.
   */
  maxFaces: number;

  /** Detector confidence (0–1) below which a candidate is not a face. Stricter: higher. */
  minFaceScore: number;
  /**
   * Detector confidence floor for a face so large it overflows the frame (wider or taller than
   * the FACE_TOO_CLOSE limits): the detector was trained on whole faces and scores extreme
   * close-ups low. Such a face must still pass the skin plausibility check. Stricter: higher.
   */
  minOverflowingFaceScore: number;
  /**
   * Skin plausibility: fraction (0–1) of the forehead+cheek samples whose colour is skin-like.
   * Paintings, animals and statues fail it. Stricter: higher. Applied only to low-score faces.
   */
  minSkinFraction: number;
  /** Faces with a detector score at or above this skip the skin plausibility check (0–1). */
  trustedFaceScore: number;

  /**
   * A second face counts (TOO_MANY_FACES) when its box height is at least this fraction of the
   * main face's (0–1). Smaller faces are bystanders and ignored. Stricter: lower.
   */
  otherFaceMinRelativeSize: number;

  /** FACE_TOO_SMALL when the face box's short side, in ORIGINAL-image px, is below. Stricter: higher. */
  minFaceSidePx: number;
  /** FACE_TOO_SMALL when the inter-pupil distance, in ORIGINAL-image px, is below. Stricter: higher. */
  minInterPupilPx: number;
  /**
   * FACE_TOO_SMALL when the face box width is below this fraction of the image's short side
   * (0–1): a full-body shot in a high-resolution photo passes the px rules but is not a selfie.
   * Stricter: higher.
   */
  minFaceWidthFraction: number;

  /**
   * FACE_TOO_CLOSE when the face box's part inside the image fills more than this share (0–1) of
   * BOTH the image width and height ("a face filling most of the frame", PRODUCT.md). Measured on
   * both sides so that an odd-shaped frame (a landscape strip cutting through a face) reads as a
   * framing problem (cropped, border), not distance. Stricter: lower.
   */
  maxFaceFillFraction: number;
  /**
   * … or, for a face nearer a border than the margin rule allows, more than this share (0–1) of
   * both sides: centring such a face cannot give it its margins, moving back does. Checked before
   * the border rule (FACE_TOO_CLOSE comes first). Stricter: lower.
   */
  maxFaceFillNearBorder: number;
  /**
   * FACE_TOO_CLOSE also when the whole head, estimated from the inter-pupil distance with adult
   * averages (chin-to-crown ≈ 3.6 × IPD, head breadth ≈ 2.4 × IPD), is larger than this fraction
   * of the image in BOTH directions (ratio): the mesh box alone can miss extreme close-ups, where
   * the mesh squeezes into the visible part. Stricter: lower.
   */
  maxHeadToImage: number;

  /**
   * FACE_CROPPED when the mesh box extends past an image edge by more than this fraction of the
   * face's size in that direction (0–1). Stricter: lower.
   */
  maxOutsideFraction: number;
  /**
   * FACE_CLOSE_TO_BORDER when the gap between the face box and an image edge is below this
   * fraction of the face box size in that direction (0–1) … Stricter: higher.
   */
  minMarginFaceFraction: number;
  /** … or below this many ORIGINAL-image px (PRODUCT.md: 15 px). Stricter: higher. */
  minMarginPx: number;

  /** FACE_ANGLE_TOO_LARGE when |yaw| exceeds, degrees. Stricter: lower. */
  maxYawDeg: number;
  /** FACE_ANGLE_TOO_LARGE when |pitch| exceeds, degrees. Stricter: lower. */
  maxPitchDeg: number;
  /** FACE_ANGLE_TOO_LARGE when |roll| (head tilt) exceeds, degrees. Stricter: lower. */
  maxRollDeg: number;

  /**
   * Sunglasses: median L* of the eye region over the skin's, for the brighter eye (ratio).
   * Below this AND `maxUnderEyeToSkinLuminance` → eyes covered. Stricter: higher.
   */
  maxEyeToSkinLuminance: number;
  /**
   * … and median L* just below the eyes over the skin's (ratio): lenses reach below the eye,
   * dark eye make-up and shadowed eye sockets do not. Stricter: higher.
   */
  maxUnderEyeToSkinLuminance: number;
  /**
   * … and the eye region at least this bright relative to the patch below the eye (ratio of L*):
   * a lens is one tone over both, while an eye in a shadowed socket is darker than the skin under
   * it. Measured: 211 uncovered real faces with eyes below `maxEyeToSkinLuminance` (webcam top
   * light) ≤ 0.72; drawn lenses ≈ 1. Stricter: lower.
   */
  minLensUniformity: number;
  /**
   * Lips hidden: redness of the redder lip patch over the skin's, as 100 × (ln(R/G)_lips −
   * ln(R/G)_skin) on linear RGB (≈ % more red per green than the skin; a colour cast of the light
   * cancels). Visible lips are redder than skin; a mask, scarf or hand over them is not. Below →
   * lips hidden. Stricter: higher.
   */
  minLipRedness: number;
  /**
   * The colour rules (lips hidden → mask or hand) apply only when the skin reference has at least
   * this chroma (Lab units): a grey-scale or nearly colourless photo has no lip colour to see.
   * Stricter: lower.
   */
  minSkinChromaForColourRules: number;
  /**
   * The colour and eye rules need the lips and eyes resolved: inter-pupil distance in the WORKING
   * image of at least this many px (lips ≈ a fifth of it tall). Smaller faces get no verdict.
   * Stricter: lower.
   */
  minWorkingInterPupilPxForColourRules: number;
  /**
   * Skin-coloured cover (a hand or fingers the hand detector missed): with the lips hidden, the
   * lip patches are at least this bright relative to the skin (ratio; lips and moustaches are
   * darker than skin, a hand over them is not) … Stricter: lower.
   */
  minCoverToSkinLuminance: number;
  /** … and at least this fraction (0–1) of them is skin-coloured. Stricter: lower. */
  minCoverSkinFraction: number;
  /**
   * Mask: with the lips hidden, the lower face (chin, lower cheeks) differs from the skin by more
   * than this CIE76 ΔE (Lab units) … Stricter: lower.
   */
  minMaskColourDelta: number;
  /**
   * … or fewer than this fraction (0–1) of its samples are skin-coloured (white, blue, black
   * masks fail the skin rule even when their lightness is close to the skin's) … Stricter: higher.
   */
  maxMaskSkinFraction: number;
  /**
   * … (instead of hidden lips, a mask of a red or brown colour can be recognised by the lips
   * having the same colour as the chin and cheeks: ΔE lips ↔ lower face below this, Lab units;
   * stricter: higher) …
   */
  maxCoverUniformityDelta: number;
  /**
   * Nose and mouth covered: the nose tip AND the lower face (chin, lower cheeks) both differ from
   * the face's own skin by more than this chroma distance, √(Δa*² + Δb*²) in Lab units (shading
   * moves L*, not a* and b*). Measured: uncovered real faces ≤ 6.8 (204 photos: pairs, PAD live,
   * dev), masks 14–27 (5 dev photos). Stricter: lower.
   */
  minCoverChromaDelta: number;
  /**
   * … and is not rougher than this many times the skin's texture (ratio): fabric is smooth,
   * beards are rough (a dark beard over the lips differs from the skin too). Stricter: higher.
   */
  maxMaskTextureRatio: number;
  /**
   * Mouth surround covered (a mask worn below the nose): with the lips hidden, the skin right
   * around the mouth (philtrum, below the lower lip) is skin-coloured on less than this share
   * (0–1) of its samples AND differs from the face's skin in chroma by more than
   * `minCoverChromaDelta`. Measured on uncovered real faces with hidden lips (pairs, PAD live):
   * skin share 0 only on small faces whose chroma distance stays ≤ 5.5. Stricter: higher.
   */
  maxPerioralSkinFraction: number;
  /**
   * Tinted lenses: the skin around the eyes (below each eye, between lid and brow) differs from
   * the face's skin in chroma by more than this (Lab units) AND is skin-coloured on less than
   * `maxLensSkinFraction` (0–1) of its samples. Uncovered real faces ≤ 23.8 (198 with the eyes
   * resolved); coloured wrap-around lenses 30–45. Stricter: lower / higher.
   */
  minLensChromaDelta: number;
  maxLensSkinFraction: number;
  /**
   * Hand over the mouth: with the lips hidden, a hand box covers at least this fraction (0–1) of
   * the mouth region. Stricter: lower.
   */
  minHandOverMouth: number;
  /**
   * A hand counts only with a detector score ≥ `minHandScore` (0–1) and a box at least this
   * fraction of the face box width (ratio): an adult hand is ≈ 0.6–0.8 face widths, and the hand
   * detector also fires, small, on facial features. Stricter: lower / lower.
   */
  minHandToFaceWidth: number;
  /**
   * Hand over the eyes: a hand box covers at least this fraction (0–1) of the eye band AND the
   * eyes are as bright as the skin (`minEyeToSkinLuminanceUnderHand`, ratio): no dark iris or
   * lashes visible. Stricter: lower / lower.
   */
  minHandOverEyes: number;
  minEyeToSkinLuminanceUnderHand: number;
  minHandScore: number;
  /**
   * Hand under the chin (`HAND_UNDER_CHIN`): a hand with a detector score ≥ `minHandScore` (no
   * width floor) whose box reaches into the face box with at least this many of its 21 skeleton
   * points below the chin (count). Measured (docs/vision-faces.md): on uncovered faces such hands
   * have at most 2 points below the chin; hands under the chin 10–16. Stricter: lower.
   */
  minHandPointsBelowChin: number;
  /**
   * Run the hand detector on every image, not only when a face shows hidden lips or skin-bright
   * eyes. A hand under the chin changes neither, so `HAND_UNDER_CHIN` mostly needs this; it costs
   * the hand detector's time on every selfie (1280-px selfie: 538 ms of CPU per request against
   * 315 ms without, same machine and hour, docs/vision-faces.md "Speed and memory"). Default off:
   * the face endpoint's latency target (≤ 250 ms). Stricter: true.
   */
  searchHandsAlways: boolean;
  /**
   * Look again: when human counts no face, a face found by the second detector (face-api's SSD
   * MobileNet V1) with at least this score (0–1), and at least `minFaceWidthFraction` of the
   * image's short side wide, answers FACE_IS_OCCLUDED instead of FACE_NOT_FOUND. Measured: the
   * dev and unseen photos with no face (a painting, landscapes, people from behind) ≤ 0.55;
   * masked faces human missed 0.99; a live face human missed 0.73 (stays FACE_NOT_FOUND).
   * Stricter: higher.
   */
  minLookAgainScore: number;
  /**
   * Fabric over the face (`FABRIC_OVER_FACE`): the median over forehead, cheeks and chin of the
   * repeat of high-passed luma at periods IPD / 25 … IPD / 6, measured on the original pixels with
   * the face resized to 160 px between the pupils (fabric.ts; (r(v) − r(v/2)) / 2, ≈ 0 on skin,
   * ≈ 1 for a pure grating). The engine measures it only on the main face of a selfie the other
   * rules accept. Measured (docs/vision-faces.md "Fabric over the face"): uncovered faces ≤ 0.19
   * (229 faces, 99th percentile 0.15), the knitted balaclava 0.41, a ribbed black mask 0.26.
   * Stricter: lower.
   */
  minFabricPeriodicity: number;
}

export const DEFAULT_FACE_CONFIG: FaceConfig = {
  workingMaxSidePx: 1280,
  maxFaces: 10,
  minFaceScore: 0.5,
  minOverflowingFaceScore: 0.3,
  minSkinFraction: 0.35,
  trustedFaceScore: 0.8,
  otherFaceMinRelativeSize: 0.5,
  minFaceSidePx: 150,
  minInterPupilPx: 40,
  minFaceWidthFraction: 0.18,
  maxFaceFillFraction: 0.6,
  maxFaceFillNearBorder: 0.5,
  maxHeadToImage: 1.0,
  maxOutsideFraction: 0.03,
  minMarginFaceFraction: 0.15,
  minMarginPx: 15,
  maxYawDeg: 30,
  maxPitchDeg: 30,
  maxRollDeg: 30,
  maxEyeToSkinLuminance: 0.35,
  maxUnderEyeToSkinLuminance: 0.55,
  minLensUniformity: 0.8,
  minLipRedness: 10,
  minSkinChromaForColourRules: 5,
  minWorkingInterPupilPxForColourRules: 30,
  minCoverToSkinLuminance: 0.9,
  minCoverSkinFraction: 0.5,
  minMaskColourDelta: 15,
  maxMaskSkinFraction: 0.5,
  maxCoverUniformityDelta: 5,
  maxMaskTextureRatio: 1.5,
  minCoverChromaDelta: 10,
  maxPerioralSkinFraction: 0.25,
  minLensChromaDelta: 25,
  maxLensSkinFraction: 0.6,
  minHandOverMouth: 0.3,
  minHandToFaceWidth: 0.5,
  minHandOverEyes: 0.5,
  minEyeToSkinLuminanceUnderHand: 0.8,
  minHandScore: 0.5,
  minHandPointsBelowChin: 5,
  searchHandsAlways: false,
  minLookAgainScore: 0.8,
  minFabricPeriodicity: 0.28,
};
