/** The pure face rules: measurements → one code, the full list, and the priority order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FACE_CONFIG as CFG } from '../../src/server/vision/face/config.js';
import { FACE_PROBLEM_PRIORITY, judgeFaces, lookAgainVerdict, occlusionReasonsOf, type FaceFacts, type ImageFacts } from '../../src/server/vision/face/judge-face.js';
import { geometricYawDeg } from '../../src/server/vision/face/detect-faces.js';

const IMAGE: ImageFacts = { width: 1000, height: 1200, scale: 1 };

/** A good, centred, frontal face in a 1000 × 1200 image; override what a test is about. */
function face(over: Partial<FaceFacts> = {}): FaceFacts {
  return {
    box: { x: 350, y: 350, width: 300, height: 360 },
    score: 0.9,
    interPupilPx: 120,
    yawDeg: 3,
    pitchDeg: 5,
    rollDeg: 1,
    skinFraction: 1,
    lipRedness: 15,
    lipToSkinLuminance: 0.75,
    lipSkinFraction: 1,
    lipToLowerFaceDelta: 12,
    lowerFaceColourDelta: 5,
    lowerFaceSkinFraction: 1,
    noseColourDelta: 4,
    noseSkinFraction: 1,
    noseChromaDelta: 4,
    lowerFaceChromaDelta: 4,
    lowerFaceTextureRatio: 1,
    eyeToSkinLuminance: 0.6,
    underEyeToSkinLuminance: 0.9,
    handOverMouth: 0,
    handOverEyes: 0,
    ...over,
  };
}

const judge = (faces: FaceFacts[], image: ImageFacts = IMAGE) => judgeFaces(image, faces, CFG);

test('a good face is accepted with no problems', () => {
  const j = judge([face()]);
  assert.equal(j.code, null);
  assert.deepEqual(j.problems, []);
  assert.equal(j.mainFace, 0);
});

test('no face, or only low-score candidates → FACE_NOT_FOUND', () => {
  assert.equal(judge([]).code, 'FACE_NOT_FOUND');
  const j = judge([face({ score: CFG.minFaceScore - 0.01 })]);
  assert.equal(j.code, 'FACE_NOT_FOUND');
  assert.deepEqual(j.rejectedFaces, [{ index: 0, reason: 'LOW_SCORE' }]);
});

test('a mid-score candidate without skin colour (painting, animal) is not a face', () => {
  const j = judge([face({ score: 0.6, skinFraction: 0.1 })]);
  assert.equal(j.code, 'FACE_NOT_FOUND');
  assert.deepEqual(j.rejectedFaces, [{ index: 0, reason: 'NOT_SKIN' }]);
  // A high-score detection skips the colour check (grey-scale photos, coloured light).
  assert.equal(judge([face({ score: 0.9, skinFraction: 0.1 })]).code, null);
});

test('a similar-sized second face → TOO_MANY_FACES; a much smaller bystander is ignored', () => {
  const other = (h: number) => face({ box: { x: 20, y: 20, width: h * 0.8, height: h } });
  assert.equal(judge([face(), other(300)]).code, 'TOO_MANY_FACES');
  assert.equal(judge([face(), other(360 * CFG.otherFaceMinRelativeSize)]).code, 'TOO_MANY_FACES');
  const j = judge([face(), other(360 * CFG.otherFaceMinRelativeSize - 10)]);
  assert.equal(j.code, null);
  assert.deepEqual(j.countedFaces, [0, 1]);
  assert.deepEqual(j.similarFaces, []);
});

test('the main face is the largest one, wherever it is in the list', () => {
  const j = judge([face({ box: { x: 10, y: 10, width: 80, height: 100 } }), face()]);
  assert.equal(j.mainFace, 1);
  assert.equal(j.code, null);
});

test('face box past an image edge → FACE_CROPPED (not CLOSE_TO_BORDER)', () => {
  const j = judge([face({ box: { x: 800, y: 350, width: 300, height: 360 } })]);
  assert.equal(j.code, 'FACE_CROPPED');
  assert.ok(!j.problems.includes('FACE_CLOSE_TO_BORDER'));
  // A sliver within tolerance is not cropped.
  assert.notEqual(judge([face({ box: { x: -0.02 * 300, y: 350, width: 300, height: 360 } })]).code, 'FACE_CROPPED');
});

test('face inside but nearer an edge than the margin → FACE_CLOSE_TO_BORDER', () => {
  const margin = CFG.minMarginFaceFraction * 300;
  assert.equal(judge([face({ box: { x: margin - 5, y: 350, width: 300, height: 360 } })]).code, 'FACE_CLOSE_TO_BORDER');
  assert.equal(judge([face({ box: { x: margin + 5, y: 350, width: 300, height: 360 } })]).code, null);
  // The px floor applies in ORIGINAL pixels: at scale 0.25, 15 original px are 3.75 decoded px.
  const small: ImageFacts = { width: 1000, height: 1200, scale: 0.25 };
  assert.equal(judge([face({ box: { x: 1000 - 300 - 3, y: 350, width: 300, height: 360 }, interPupilPx: 120 })], small).code, 'FACE_CLOSE_TO_BORDER');
});

test('face filling the frame → FACE_TOO_CLOSE, before FACE_CROPPED', () => {
  const j = judge([face({ box: { x: -50, y: 100, width: 900, height: 1000 }, interPupilPx: 350 })]);
  assert.equal(j.code, 'FACE_TOO_CLOSE');
  assert.ok(j.problems.includes('FACE_CROPPED'));
  // The visible face box fills more than maxFaceFillFraction of both sides, with room to the edges.
  const fill = CFG.maxFaceFillFraction + 0.02;
  const big = face({ box: { x: 500 - (fill * 1000) / 2, y: 600 - (fill * 1200) / 2, width: fill * 1000, height: fill * 1200 }, interPupilPx: 250 });
  assert.equal(judge([big]).code, 'FACE_TOO_CLOSE');
  // IPD-estimated head larger than the frame both ways, even when the mesh box is not.
  assert.equal(judge([face({ interPupilPx: 1000 / 2.4 + 5 })]).code, 'FACE_TOO_CLOSE');
});

test('too close is judged before the border rule: a large face near an edge needs moving back, a smaller one re-centring', () => {
  // 55 % of both sides (between maxFaceFillNearBorder and maxFaceFillFraction).
  const at = (x: number) => face({ box: { x, y: 270, width: 550, height: 660 }, interPupilPx: 220 });
  assert.equal(judge([at(225)]).code, null, 'centred: fills 55 %, fine');
  const near = judge([at(20)]);
  assert.equal(near.code, 'FACE_TOO_CLOSE');
  assert.ok(near.problems.includes('FACE_CLOSE_TO_BORDER'));
  // A 40 % face at the same edge only needs re-centring.
  assert.equal(judge([face({ box: { x: 20, y: 350, width: 400, height: 480 } })]).code, 'FACE_CLOSE_TO_BORDER');
});

test('a face filling one side of an odd-shaped frame is a framing problem, not distance', () => {
  // A landscape strip cut through the mouth: the face overflows the height, fills 30 % of the width.
  const strip: ImageFacts = { width: 1000, height: 300, scale: 1 };
  const cut = judge([face({ box: { x: 350, y: 60, width: 300, height: 360 }, interPupilPx: 120 })], strip);
  assert.equal(cut.code, 'FACE_CROPPED');
  assert.ok(!cut.problems.includes('FACE_TOO_CLOSE'));
  // A face as tall as a landscape frame, near its top and bottom: close to the border.
  const wide: ImageFacts = { width: 1500, height: 800, scale: 1 };
  assert.equal(judge([face({ box: { x: 600, y: 60, width: 560, height: 700 }, interPupilPx: 200 })], wide).code, 'FACE_CLOSE_TO_BORDER');
});

test('an overflowing close-up is counted at a lower detector score (close-ups score low)', () => {
  const closeUp = face({ box: { x: 50, y: 50, width: 900, height: 1100 }, interPupilPx: 400, score: 0.4 });
  assert.equal(judge([closeUp]).code, 'FACE_TOO_CLOSE');
  assert.equal(judge([{ ...closeUp, score: CFG.minOverflowingFaceScore - 0.05 }]).code, 'FACE_NOT_FOUND');
  assert.equal(judge([face({ score: 0.4 })]).code, 'FACE_NOT_FOUND');
});

test('FACE_TOO_SMALL: below both px minimums, or a small share of the image', () => {
  // A 500 × 600 image, so the face's share of it (140 / 500) is fine and only the px rules act.
  const img: ImageFacts = { width: 500, height: 600, scale: 1 };
  const tiny = face({ box: { x: 180, y: 200, width: 140, height: 145 }, interPupilPx: 39 });
  assert.equal(judge([tiny], img).code, 'FACE_TOO_SMALL');
  // Inter-pupil distance alone is enough to pass the px rule …
  assert.equal(judge([{ ...tiny, interPupilPx: 45 }], img).code, null);
  // … and so is the box side alone.
  assert.equal(judge([{ ...tiny, box: { x: 170, y: 200, width: 155, height: 170 } }], img).code, null);
  // The px rules count ORIGINAL pixels: the same decoded face from a 4× larger original passes.
  assert.equal(judge([tiny], { ...img, scale: 0.25 }).code, null);
  // The share rule: a full-body shot in a big photo passes the px rules but is not a selfie.
  assert.equal(judge([face({ box: { x: 450, y: 300, width: 170, height: 190 }, interPupilPx: 70 })]).code, 'FACE_TOO_SMALL');
});

test('|yaw|, |pitch| or |roll| beyond the limits → FACE_ANGLE_TOO_LARGE', () => {
  assert.equal(judge([face({ yawDeg: CFG.maxYawDeg + 1 })]).code, 'FACE_ANGLE_TOO_LARGE');
  assert.equal(judge([face({ yawDeg: -CFG.maxYawDeg - 1 })]).code, 'FACE_ANGLE_TOO_LARGE');
  assert.equal(judge([face({ pitchDeg: -CFG.maxPitchDeg - 1 })]).code, 'FACE_ANGLE_TOO_LARGE');
  assert.equal(judge([face({ rollDeg: CFG.maxRollDeg + 1 })]).code, 'FACE_ANGLE_TOO_LARGE');
  assert.equal(judge([face({ yawDeg: CFG.maxYawDeg - 1, pitchDeg: CFG.maxPitchDeg - 1 })]).code, null);
});

test('occlusion: sunglasses need both dark eyes and dark below the eyes (make-up is not enough)', () => {
  assert.deepEqual(occlusionReasonsOf(face({ eyeToSkinLuminance: 0.12, underEyeToSkinLuminance: 0.15 }), CFG), ['EYES_COVERED_DARK']);
  assert.deepEqual(occlusionReasonsOf(face({ eyeToSkinLuminance: 0.24, underEyeToSkinLuminance: 0.85 }), CFG), []);
});

test('occlusion: a dark eye in a shadowed socket is not a lens (the lens is one tone over the eye and below it)', () => {
  // Webcam top light: eyes 0.16 and the skin under them 0.28 of the face's skin → ratio 0.57.
  assert.deepEqual(occlusionReasonsOf(face({ eyeToSkinLuminance: 0.16, underEyeToSkinLuminance: 0.28 }), CFG), []);
  // A lens: both 0.2 → ratio 1.
  assert.deepEqual(occlusionReasonsOf(face({ eyeToSkinLuminance: 0.2, underEyeToSkinLuminance: 0.2 }), CFG), ['EYES_COVERED_DARK']);
  // Eyes too small to see (IPD below the resolution floor): no eye verdict.
  assert.deepEqual(occlusionReasonsOf(face({ eyeToSkinLuminance: 0.2, underEyeToSkinLuminance: 0.2, interPupilPx: CFG.minWorkingInterPupilPxForColourRules - 1 }), CFG), []);
});

test('occlusion: nose tip and lower face both of another chroma than the skin → NOSE_AND_MOUTH_COVERED, whatever the lips show', () => {
  const over = CFG.minCoverChromaDelta + 4;
  // A printed mouth on a red mask: lips read red, texture rough; the chroma of nose and chin decide.
  const printed = face({ noseChromaDelta: over, lowerFaceChromaDelta: over, lipRedness: 140, lowerFaceTextureRatio: 6 });
  assert.ok(occlusionReasonsOf(printed, CFG).includes('NOSE_AND_MOUTH_COVERED'));
  // A beard: the lower face differs, the nose does not.
  assert.deepEqual(occlusionReasonsOf(face({ noseChromaDelta: 3, lowerFaceChromaDelta: over }), CFG), []);
  // A red nose tip (cold, sunburn) with a normal chin: not a cover.
  assert.deepEqual(occlusionReasonsOf(face({ noseChromaDelta: over, lowerFaceChromaDelta: 4 }), CFG), []);
  // No colour evidence (grey-scale photo, tiny face): the engine passes null.
  assert.deepEqual(occlusionReasonsOf(face({ noseChromaDelta: null, lowerFaceChromaDelta: null }), CFG), []);
});

test('occlusion: a mask hides lips and nose with a smooth, non-skin colour; a beard is rough and leaves the nose', () => {
  const covered = { noseColourDelta: 30, noseSkinFraction: 0 };
  const mask = face({ lipRedness: -8, lowerFaceColourDelta: 40, lowerFaceTextureRatio: 0.9, ...covered });
  assert.deepEqual(occlusionReasonsOf(mask, CFG), ['MOUTH_COVERED_NOT_SKIN']);
  assert.equal(judge([mask]).code, 'FACE_IS_OCCLUDED');
  // A white mask as light as the skin: the colour is not skin even if ΔE is small.
  assert.deepEqual(
    occlusionReasonsOf(face({ lipRedness: -3, lowerFaceColourDelta: 8, lowerFaceSkinFraction: 0.1, lowerFaceTextureRatio: 0.3, noseColourDelta: 6, noseSkinFraction: 0.2 }), CFG),
    ['MOUTH_COVERED_NOT_SKIN'],
  );
  // A dark beard and moustache over the lips: rough …
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 0, lowerFaceColourDelta: 30, lowerFaceSkinFraction: 0.2, lowerFaceTextureRatio: 2.5, ...covered }), CFG), []);
  // … and, even when smooth, the nose stays skin.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 0, lowerFaceColourDelta: 30, lowerFaceSkinFraction: 0.2, lowerFaceTextureRatio: 1 }), CFG), []);
  // A red mask makes the "lips" red, but lips, chin and cheeks are then one colour.
  assert.deepEqual(
    occlusionReasonsOf(face({ lipRedness: 300, lipToLowerFaceDelta: 0.5, lowerFaceColourDelta: 60, lowerFaceSkinFraction: 0.3, lowerFaceTextureRatio: 0.7, ...covered }), CFG),
    ['MOUTH_COVERED_NOT_SKIN'],
  );
  // Visible lips: never a mask, whatever the chin looks like.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 12, lowerFaceColourDelta: 40, lowerFaceTextureRatio: 0.5, ...covered }), CFG), []);
});

test('occlusion: a hand over the mouth counts only when the lips are hidden', () => {
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 0, handOverMouth: 0.9, lipToSkinLuminance: 0.7 }), CFG), ['HAND_OVER_MOUTH']);
  // A hand box overlapping the mouth region with the lips visible (a hand beside the face).
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 30, handOverMouth: 0.6 }), CFG), []);
});

test('occlusion: a hand under the chin — a counted hand with a good part of its skeleton below the chin', () => {
  assert.deepEqual(occlusionReasonsOf(face({ handPointsBelowChin: 14 }), CFG), ['HAND_UNDER_CHIN']);
  assert.equal(judge([face({ handPointsBelowChin: CFG.minHandPointsBelowChin })]).code, 'FACE_IS_OCCLUDED');
  // A false "hand" on the face itself reaches the chin with a point or two at most.
  assert.deepEqual(occlusionReasonsOf(face({ handPointsBelowChin: CFG.minHandPointsBelowChin - 1 }), CFG), []);
  // No hand searched or none counted: the engine passes 0 (or leaves it out).
  assert.deepEqual(occlusionReasonsOf(face({ handPointsBelowChin: 0 }), CFG), []);
  assert.deepEqual(occlusionReasonsOf(face(), CFG), []);
});

test('occlusion: lips hidden under something skin-coloured and as bright as skin (fingers the detector missed)', () => {
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: -30, lipToSkinLuminance: 1.3, lipSkinFraction: 0.75 }), CFG), ['MOUTH_COVERED_SKIN']);
  // A dark moustache over the lips is darker than the skin.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: -3, lipToSkinLuminance: 0.5, lipSkinFraction: 0.6 }), CFG), []);
  // Visible lips, however bright.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 25, lipToSkinLuminance: 1.1, lipSkinFraction: 1 }), CFG), []);
});

test('occlusion: a hand over the eyes needs the eye band to be as bright as skin', () => {
  assert.deepEqual(occlusionReasonsOf(face({ handOverEyes: 0.8, eyeToSkinLuminance: 0.95 }), CFG), ['HAND_OVER_EYES']);
  assert.deepEqual(occlusionReasonsOf(face({ handOverEyes: 0.8, eyeToSkinLuminance: 0.55 }), CFG), []);
});

test('occlusion: a mask worn below the nose — lips hidden and the skin around them neither skin-coloured nor of the skin\'s chroma', () => {
  const belowNose = { lipRedness: -60, perioralSkinFraction: 0, perioralChromaDelta: 25 };
  assert.deepEqual(occlusionReasonsOf(face(belowNose), CFG), ['MOUTH_SURROUND_COVERED']);
  assert.equal(judge([face(belowNose)]).code, 'FACE_IS_OCCLUDED');
  // Visible lips: the rule never reaches the surround.
  assert.deepEqual(occlusionReasonsOf(face({ ...belowNose, lipRedness: 20 }), CFG), []);
  // A beard or moustache over the lips leaves skin-coloured samples around them.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: -15, perioralSkinFraction: 1, perioralChromaDelta: 15 }), CFG), []);
  // A small face whose surround fails the skin rule but keeps the skin's chroma (seen at 0 % and ≤ 5.5).
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: 4, perioralSkinFraction: 0, perioralChromaDelta: 5.5 }), CFG), []);
  // No colour evidence: the engine passes null.
  assert.deepEqual(occlusionReasonsOf(face({ lipRedness: -60, perioralSkinFraction: null, perioralChromaDelta: null }), CFG), []);
});

test('occlusion: tinted lenses — the skin around the eyes of another chroma and mostly not skin-coloured', () => {
  const sport = { periocularChromaDelta: 40, periocularSkinFraction: 0.3, eyeToSkinLuminance: 0.3, underEyeToSkinLuminance: 1 };
  assert.deepEqual(occlusionReasonsOf(face(sport), CFG), ['EYES_COVERED_TINTED']);
  // Uncovered faces reach 23.8 in chroma (warm make-up, coloured light) with skin-coloured surrounds.
  assert.deepEqual(occlusionReasonsOf(face({ periocularChromaDelta: 23.8, periocularSkinFraction: 0.3 }), CFG), []);
  // Frames of clear glasses: some chroma, but the skin around the eyes is still skin.
  assert.deepEqual(occlusionReasonsOf(face({ periocularChromaDelta: 30, periocularSkinFraction: 0.8 }), CFG), []);
  // Eyes too small to see: no verdict.
  assert.deepEqual(occlusionReasonsOf(face({ ...sport, interPupilPx: CFG.minWorkingInterPupilPxForColourRules - 1 }), CFG), []);
});

test('look again: a sure, selfie-sized second detection answers FACE_IS_OCCLUDED; weak or small ones leave FACE_NOT_FOUND', () => {
  const big = { x: 300, y: 300, width: 400, height: 450 };
  assert.equal(lookAgainVerdict([], IMAGE, CFG), null);
  assert.deepEqual(lookAgainVerdict([{ score: 0.99, box: big }], IMAGE, CFG), { score: 0.99, box: big });
  // The no-face photos (a painting, people from behind) scored ≤ 0.55; a live face human missed 0.73.
  assert.equal(lookAgainVerdict([{ score: 0.73, box: big }], IMAGE, CFG), null);
  // A sure but distant face (below the too-small share of the short side) is not a covered selfie.
  assert.equal(lookAgainVerdict([{ score: 0.99, box: { ...big, width: 0.1 * IMAGE.width } }], IMAGE, CFG), null);
  // Several: the surest decides.
  assert.equal(lookAgainVerdict([{ score: 0.85, box: big }, { score: 0.95, box: big }], IMAGE, CFG)?.score, 0.95);
});

test('several problems: the code is the first by the documented priority; the list keeps all', () => {
  const maskOn = { lipRedness: -5, lowerFaceColourDelta: 40, noseColourDelta: 40 };
  const j = judge([face({ box: { x: 960, y: 40, width: 100, height: 110 }, interPupilPx: 30, yawDeg: 50, ...maskOn })]);
  assert.deepEqual(j.problems, ['FACE_CROPPED', 'FACE_TOO_SMALL', 'FACE_ANGLE_TOO_LARGE', 'FACE_IS_OCCLUDED']);
  assert.equal(j.code, 'FACE_CROPPED');
  assert.deepEqual([...FACE_PROBLEM_PRIORITY].sort(), [
    'FACE_ANGLE_TOO_LARGE', 'FACE_CLOSE_TO_BORDER', 'FACE_CROPPED', 'FACE_IS_OCCLUDED', 'FACE_NOT_FOUND', 'FACE_TOO_CLOSE', 'FACE_TOO_SMALL', 'TOO_MANY_FACES',
  ]);
  // Angle before occlusion: a turned face is judged for its angle first.
  assert.equal(judge([face({ yawDeg: 40, ...maskOn })]).code, 'FACE_ANGLE_TOO_LARGE');
});

test('geometric yaw: symmetric nose → 0°, nose shifted by tan(θ)·0.8 of the half-span → θ', () => {
  const mesh: Array<[number, number, number]> = Array.from({ length: 478 }, () => [0, 0, 0]);
  mesh[33] = [100, 100, 0];
  mesh[263] = [200, 100, 0];
  mesh[1] = [150, 140, 0];
  assert.ok(Math.abs(geometricYawDeg(mesh)) < 1e-9);
  // dL − dR over the sum = 0.8·tan 40°
  const a = 0.8 * Math.tan((40 * Math.PI) / 180);
  mesh[1] = [150 + 50 * a, 140, 0];
  assert.ok(Math.abs(geometricYawDeg(mesh) - 40) < 1e-6);
});

test('docs/vision-faces.md lists every FaceConfig threshold with its default', async () => {
  const { readFile } = await import('node:fs/promises');
  const docs = await readFile(new URL('../../docs/vision-faces.md', import.meta.url), 'utf8');
  const rows = new Map(
    docs
      .split('\n')
      .map((l) => /^\| `(\w+)` \|.*\| ([^|]+) \|$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!.trim()]),
  );
  for (const [key, value] of Object.entries(CFG)) {
    assert.equal(rows.get(key), String(value), `docs row for ${key}`);
  }
});

test('occlusion: fabric over the face — a repeat of the skin patches at the knit threshold, eyes resolved', () => {
  assert.deepEqual(occlusionReasonsOf(face({ fabricPeriodicity: 0.41 }), CFG), ['FABRIC_OVER_FACE']);
  assert.equal(judge([face({ fabricPeriodicity: CFG.minFabricPeriodicity })]).code, 'FACE_IS_OCCLUDED');
  // Skin (uncovered faces measured ≤ 0.19), not measured, or eyes too small to resolve anything.
  assert.deepEqual(occlusionReasonsOf(face({ fabricPeriodicity: 0.19 }), CFG), []);
  assert.deepEqual(occlusionReasonsOf(face({ fabricPeriodicity: null }), CFG), []);
  assert.deepEqual(occlusionReasonsOf(face({ fabricPeriodicity: 0.41, interPupilPx: CFG.minWorkingInterPupilPxForColourRules - 1 }), CFG), []);
});
