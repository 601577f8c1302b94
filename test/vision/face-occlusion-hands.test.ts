/**
 * Hands as occlusion evidence, from the pixels' side: which detected hands measureOcclusion keeps
 * for a face (and what it records of them), and which of them factsOf counts for the rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecodedImage } from '../../src/server/vision/decode-image.js';
import { DEFAULT_FACE_CONFIG as CFG } from '../../src/server/vision/face/config.js';
import { factsOf, type AnalysedFace } from '../../src/server/vision/face/engine.js';
import { measureOcclusion } from '../../src/server/vision/face/occlusion.js';
import type { DetectedFace, DetectedHand, Point } from '../../src/server/vision/face/types.js';

const W = 400, H = 400;
/** A plain skin-coloured picture: only the hands' geometry matters here. */
const image: DecodedImage = { rgb: Buffer.alloc(W * H * 3, 0).fill(Buffer.from([200, 150, 130])), width: W, height: H, originalWidth: W, originalHeight: H, scale: 1, format: 'png' };

/** A frontal face 100 px wide between x 150 and 250, forehead at y 100, chin (mesh 152) at y 240. */
function syntheticFace(): DetectedFace {
  const mesh: Array<[number, number]> = Array.from({ length: 478 }, () => [200, 170]);
  const set = (i: number, x: number, y: number) => { mesh[i] = [x, y]; };
  set(33, 160, 150); set(133, 185, 150); set(362, 215, 150); set(263, 240, 150); // eye corners
  set(61, 180, 210); set(291, 220, 210); set(0, 200, 203); set(17, 200, 218); // mouth
  set(152, 200, 240); // chin bottom
  set(10, 200, 100); set(234, 150, 170); set(454, 250, 170);
  const p = (x: number, y: number): Point => ({ x, y });
  return {
    box: { x: 150, y: 100, width: 100, height: 140 },
    detectorBox: { x: 130, y: 80, width: 140, height: 180 },
    score: 0.95,
    meshScore: 1,
    landmarks: {
      leftEye: p(172.5, 150), rightEye: p(227.5, 150), leftPupil: p(172.5, 150), rightPupil: p(227.5, 150),
      noseTip: p(200, 185), mouthCentre: p(200, 210), chin: p(200, 240), foreheadTop: p(200, 100), leftFaceEdge: p(150, 170), rightFaceEdge: p(250, 170),
    },
    mesh,
    interPupilPx: 55,
    pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0, geometricYawDeg: 0, modelYawDeg: 0, modelPitchDeg: 0, modelRollDeg: 0 },
  };
}

/** A hand box with `below` of its 21 skeleton points under the chin line and the rest above it. */
function hand(box: DetectedHand['box'], score: number, below: number): DetectedHand {
  const keypoints = Array.from({ length: 21 }, (_, i) => ({ x: box.x + box.width / 2, y: i < below ? 245 + i : 235 - i }));
  return { box, score, keypoints };
}

const analysed = (face: DetectedFace, hands: DetectedHand[]): AnalysedFace => ({ ...face, occlusion: measureOcclusion(image, face, hands), sharpness: 10, brightness: 150 });

test('a fist under the chin is kept for the face, with its points below the chin and its share inside the face box', () => {
  const face = syntheticFace();
  // 45 px wide (0.45 face widths), from y 215 to 275: the top quarter inside the face box.
  const fist = hand({ x: 175, y: 215, width: 45, height: 60 }, 0.8, 15);
  const [kept] = measureOcclusion(image, face, [fist]).hands;
  assert.ok(kept, 'the hand is recorded');
  assert.equal(kept.pointsBelowChin, 15);
  assert.ok(Math.abs(kept.inFace - 25 / 60) < 1e-9, `inFace ${kept.inFace}`);
  assert.equal(kept.overEyes, 0);
  // Counted without the palm-width floor: a fist seen edge-on is narrower than a palm.
  assert.ok(kept.widthToFace < CFG.minHandToFaceWidth);
  assert.equal(factsOf(analysed(face, [fist]), CFG).handPointsBelowChin, 15);
});

test('hands that do not count under the chin: unsure, away from the face, or lying on the face', () => {
  const face = syntheticFace();
  const unsure = hand({ x: 175, y: 215, width: 45, height: 60 }, CFG.minHandScore - 0.1, 15);
  assert.equal(factsOf(analysed(face, [unsure]), CFG).handPointsBelowChin, 0);
  // A hand lower in the frame (holding something at the chest) does not reach the face box.
  const away = hand({ x: 170, y: 300, width: 60, height: 60 }, 0.9, 21);
  assert.deepEqual(measureOcclusion(image, face, [away]).hands, []);
  assert.equal(factsOf(analysed(face, [away]), CFG).handPointsBelowChin, 0);
  // The detector's false "hand" on the face itself: over the eyes and mouth, nothing below the chin.
  const onFace = hand({ x: 160, y: 120, width: 80, height: 110 }, 0.7, 0);
  const facts = factsOf(analysed(face, [onFace]), CFG);
  assert.equal(facts.handPointsBelowChin, 0);
  assert.ok(facts.handOverEyes > 0);
});
