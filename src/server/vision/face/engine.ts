/**
 * The face engine: bytes → decode (EXIF-upright, resized to the working size) → faces, hands and
 * measurements → the rules → one code plus every measurement. What the API and the evaluation
 * CLI both call.
 */
import type { FaceCheckResult, FaceEngine, FaceLiveness } from '../contract.js';
import { decodeImage, type DecodedImage } from '../decode-image.js';
import { DEFAULT_FACE_CONFIG, type FaceConfig } from './config.js';
import { runHuman, toDetectedFace, type FaceModels } from './detect-faces.js';
import { describeFace } from './embedding.js';
import { scoreLiveness } from './liveness.js';
import { sharpnessAndBrightness } from './image-stats.js';
import { judgeFaces, lookAgainVerdict, type FaceFacts, type LookAgainDetection } from './judge-face.js';
import { measureOcclusion, type OcclusionEvidence } from './occlusion.js';
import { measureFabric, type FabricEvidence } from './fabric.js';
import type { Box, DetectedFace, DetectedHand } from './types.js';

export interface AnalysedFace extends DetectedFace {
  occlusion: OcclusionEvidence;
  /** Mean |Laplacian| of luma over the face, sampled ~128 px across. Higher: sharper. */
  sharpness: number;
  /** Mean luma over the face box, 0–255. */
  brightness: number;
}

export interface FaceAnalysis {
  faces: AnalysedFace[];
  hands: DetectedHand[];
  /** Whether the hand detector ran (see analyseFaces). */
  handsSearched: boolean;
}

/**
 * Whether the hand detector should run: some candidate face shows what a hand would explain
 * (lips hidden, or eyes as bright as the skin). Exported so that offline replays of cached
 * detections gate hands exactly as the engine does.
 */
export function handsWouldMatter(detected: DetectedFace[], occlusion: OcclusionEvidence[], cfg: FaceConfig): boolean {
  return detected.some(
    (f, i) =>
      f.score >= Math.min(cfg.minFaceScore, cfg.minOverflowingFaceScore) &&
      ((occlusion[i]!.lipRedness ?? Infinity) < cfg.minLipRedness ||
        (occlusion[i]!.eyeToSkinLuminance ?? 0) >= cfg.minEyeToSkinLuminanceUnderHand),
  );
}

/**
 * Detect faces and measure each; no rules applied. The hand detector (≈ a third of the
 * inference time) runs only when a face shows what a hand would explain — lips hidden, or eyes
 * as bright as the skin — since hands matter only as occlusion evidence; or on every image with
 * `searchHandsAlways` (a hand under the chin leaves the lips and eyes as they are).
 */
export async function analyseFaces(models: FaceModels, image: DecodedImage, cfg: FaceConfig = DEFAULT_FACE_CONFIG): Promise<FaceAnalysis> {
  const human = models.runtime.human;
  const { faces: raw } = await runHuman(human, image, { faces: true, hands: false, maxFaces: cfg.maxFaces });
  const detected = raw.map((r) => toDetectedFace(r)).filter((f): f is DetectedFace => f !== null);
  let hands: DetectedHand[] = [];
  let occlusion = detected.map((face) => measureOcclusion(image, face, hands));
  const handWouldMatter = cfg.searchHandsAlways || handsWouldMatter(detected, occlusion, cfg);
  if (handWouldMatter) {
    hands = (await runHuman(human, image, { faces: false, hands: true })).hands;
    occlusion = detected.map((face) => measureOcclusion(image, face, hands));
  }
  const faces = detected.map((face, i) => ({ ...face, occlusion: occlusion[i]!, ...sharpnessAndBrightness(image, face.box) }));
  return { faces, hands, handsSearched: handWouldMatter };
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const toOriginal = (b: Box, scale: number): Box => ({
  x: round(b.x / scale, 1),
  y: round(b.y / scale, 1),
  width: round(b.width / scale, 1),
  height: round(b.height / scale, 1),
});

function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? round(value, 3) : null;
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundDeep(v)]));
  return value;
}

export function factsOf(face: AnalysedFace, cfg: FaceConfig): FaceFacts {
  const hands = face.occlusion.hands.filter((h) => h.score >= cfg.minHandScore && h.widthToFace >= cfg.minHandToFaceWidth);
  // No lip colour to judge in a colourless image or on lips a few pixels tall.
  const colourUsable = (face.occlusion.skinChroma ?? 0) >= cfg.minSkinChromaForColourRules && face.interPupilPx >= cfg.minWorkingInterPupilPxForColourRules;
  const skinColoured = face.occlusion.skinReference === 'skin-coloured';
  return {
    box: face.box,
    score: face.score,
    interPupilPx: face.interPupilPx,
    yawDeg: face.pose.yawDeg,
    pitchDeg: face.pose.pitchDeg,
    rollDeg: face.pose.rollDeg,
    skinFraction: face.occlusion.skinFraction,
    lipRedness: colourUsable ? face.occlusion.lipRedness : null,
    lipToSkinLuminance: face.occlusion.lipToSkinLuminance,
    lipSkinFraction: face.occlusion.skinReference === 'skin-coloured' ? face.occlusion.lipSkinFraction : null,
    lipToLowerFaceDelta: colourUsable ? face.occlusion.lipToLowerFaceDelta : null,
    lowerFaceColourDelta: face.occlusion.lowerFaceColourDelta,
    lowerFaceSkinFraction: face.occlusion.skinReference === 'skin-coloured' ? face.occlusion.lowerFaceSkinFraction : null,
    noseColourDelta: face.occlusion.noseColourDelta,
    noseSkinFraction: face.occlusion.skinReference === 'skin-coloured' ? face.occlusion.noseSkinFraction : null,
    noseChromaDelta: colourUsable ? face.occlusion.noseChromaDelta : null,
    lowerFaceChromaDelta: colourUsable ? face.occlusion.lowerFaceChromaDelta : null,
    lowerFaceTextureRatio: face.occlusion.lowerFaceTextureRatio,
    perioralChromaDelta: colourUsable ? face.occlusion.perioralChromaDelta : null,
    perioralSkinFraction: skinColoured ? face.occlusion.perioralSkinFraction : null,
    periocularChromaDelta: colourUsable ? face.occlusion.periocularChromaDelta : null,
    periocularSkinFraction: skinColoured ? face.occlusion.periocularSkinFraction : null,
    eyeToSkinLuminance: face.occlusion.eyeToSkinLuminance,
    underEyeToSkinLuminance: face.occlusion.underEyeToSkinLuminance,
    handOverMouth: hands.reduce((m, h) => Math.max(m, h.overMouth), 0),
    handOverEyes: hands.reduce((m, h) => Math.max(m, h.overEyes), 0),
    // No width floor here: it keeps out small false "hands" on facial features, which lie on the
    // face; a hand under the chin seen edge-on is narrower than a palm (0.44–0.5 face widths seen).
    handPointsBelowChin: face.occlusion.hands
      .filter((h) => h.score >= cfg.minHandScore && h.inFace > 0)
      .reduce((m, h) => Math.max(m, h.pointsBelowChin), 0),
  };
}

async function livenessOf(models: FaceModels, image: DecodedImage, face: AnalysedFace): Promise<FaceLiveness> {
  const t0 = performance.now();
  const { score, logitDiff } = await scoreLiveness(models.liveness, image, face.box);
  return { score: round(score, 4), logitDiff: round(logitDiff, 3), model: models.liveness.model, ms: Math.round(performance.now() - t0) };
}

export function createFaceEngine(models: FaceModels, config: Partial<FaceConfig> = {}): FaceEngine {
  const cfg: FaceConfig = { ...DEFAULT_FACE_CONFIG, ...config };
  return {
    async checkFace(bytes: Uint8Array): Promise<FaceCheckResult> {
      const t0 = performance.now();
      const image = await decodeImage(bytes, cfg.workingMaxSidePx);
      const { faces, hands, handsSearched } = await analyseFaces(models, image, cfg);
      const facts = faces.map((f) => factsOf(f, cfg));
      let judgement = judgeFaces(image, facts, cfg);
      // Fabric over the face needs the original pixels (a knit's stitches can sit at the working
      // image's resolution limit): measured only where it can change the answer, on the main
      // face of a selfie every other rule accepts, with its eyes resolved.
      let fabric: (FabricEvidence & { ms: number }) | null = null;
      if (judgement.code === null && judgement.mainFace !== null && faces[judgement.mainFace]!.interPupilPx >= cfg.minWorkingInterPupilPxForColourRules) {
        const t1 = performance.now();
        // The bytes decoded once already; should the second cut fail all the same, the rule is
        // not applied (recorded as not measured) rather than the check failing.
        const measured = await measureFabric(bytes, image, faces[judgement.mainFace]!).catch(() => null);
        fabric = measured && { ...measured, ms: Math.round(performance.now() - t1) };
        if (measured) {
          facts[judgement.mainFace] = { ...facts[judgement.mainFace]!, fabricPeriodicity: measured.periodicity };
          judgement = judgeFaces(image, facts, cfg);
        }
      }
      // Look again only where human found no face at all (a candidate it found and the rules
      // refused — a painting, an animal — stays refused): a face another detector is sure of is
      // there, covered (docs/vision-faces.md, rule 1). A selfie with a face never pays for it.
      let lookAgain: { model: string; detections: LookAgainDetection[]; decided: boolean; ms: number } | null = null;
      if (judgement.code === 'FACE_NOT_FOUND' && faces.length === 0) {
        const t1 = performance.now();
        const pixels = new Uint8Array(image.rgb.buffer, image.rgb.byteOffset, image.width * image.height * 3);
        const detections = await models.secondDetector.detect(pixels, image.width, image.height);
        const decided = lookAgainVerdict(detections, image, cfg) !== null;
        lookAgain = { model: models.secondDetector.model, detections, decided, ms: Math.round(performance.now() - t1) };
        if (decided) {
          judgement.code = 'FACE_IS_OCCLUDED';
          judgement.problems = ['FACE_IS_OCCLUDED'];
        }
      }
      const main = judgement.mainFace === null ? null : faces[judgement.mainFace]!;
      // The embedding and the liveness score serve the decision, which only an accepted selfie
      // reaches: a refused one is not worth the two extra models.
      const accepted = main !== null && judgement.code === null;
      const described = accepted ? await describeFace(models.recognizer, image, main.landmarks.leftEye, main.landmarks.rightEye) : null;
      const liveness = accepted ? await livenessOf(models, image, main) : null;
      const measurements = roundDeep({
        image: { width: image.originalWidth, height: image.originalHeight, workingWidth: image.width, workingHeight: image.height, format: image.format },
        mainFace: judgement.mainFace,
        countedFaces: judgement.countedFaces,
        similarFaces: judgement.similarFaces,
        rejectedFaces: judgement.rejectedFaces,
        rules: judgement.figures,
        faces: faces.map((f) => ({
          box: toOriginal(f.box, image.scale),
          detectorBox: toOriginal(f.detectorBox, image.scale),
          score: f.score,
          meshScore: f.meshScore,
          interPupilPx: f.interPupilPx / image.scale,
          pose: f.pose,
          sharpness: f.sharpness,
          brightness: f.brightness,
          occlusion: f.occlusion,
        })),
        handsSearched,
        fabric,
        lookAgain: lookAgain && { ...lookAgain, detections: lookAgain.detections.map((d) => ({ score: d.score, box: toOriginal(d.box, image.scale) })) },
        hands: hands.map((h) => ({ box: toOriginal(h.box, image.scale), score: h.score })),
      }) as Record<string, unknown>;
      return {
        code: judgement.code,
        problems: judgement.problems,
        embedding: described?.embedding ?? null,
        embeddingModel: described ? models.recognizer.model : null,
        faceSignature: described?.signature ?? null,
        liveness,
        measurements,
        ms: Math.round(performance.now() - t0),
      };
    },
  };
}
