/**
 * Face engine speed and memory: a 1280-px selfie JPEG and a 12 MP JPEG (both made here from the
 * MIT-licensed face-api demo photo, in memory: nothing large is committed), engine median/p95 ms
 * (decode included, matching embedding and liveness included), the decode-only floor on the same
 * bytes in the same run, the previous engine's model work in the same run (human with its faceres
 * descriptor, anti-spoof and liveness models, no face-api embedding and no MiniFAS: what the face
 * endpoint ran before docs/adr/0005) and the ratio, the embedding and liveness steps alone, and
 * peak RSS. `FACE_BENCH_CONFIG='<json>'` overrides FaceConfig keys of the timed engine (as
 * `evaluate -- faces --config` does), e.g. '{"searchHandsAlways":true}' to time the hand detector
 * on every selfie.
 */
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';
import { decodeImage } from '../src/server/vision/decode-image.js';
import { createFaceEngine, DEFAULT_FACE_CONFIG, detectFaces, judgeFaces, loadFaceModels, type FaceModels } from '../src/server/vision/face/index.js';
import { describeFace } from '../src/server/vision/face/embedding.js';
import { scoreLiveness } from '../src/server/vision/face/liveness.js';
import { factsOf } from '../src/server/vision/face/engine.js';
import { toDetectedFace } from '../src/server/vision/face/detect-faces.js';
import { parseConfigOverrides } from '../src/cli/evaluate-faces.js';
import { measureOcclusion } from '../src/server/vision/face/occlusion.js';
import { sharpnessAndBrightness } from '../src/server/vision/face/image-stats.js';
import { selfie } from '../test/helpers/face-images.js';
import { median, p95, peakRssMb, timeRuns } from './stats.js';

/**
 * CPU time (user + system, all threads) per run, ms. Wall time is what the targets are about;
 * on a shared machine CPU time shows how much of a slow wall time is waiting for a core.
 */
async function cpuRuns(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    out.push((c.user + c.system) / 1000);
  }
  return out;
}

const RUNS = Number(process.env.FACE_BENCH_RUNS ?? 15);

/**
 * The previous engine's work on one image: decode, human with the faceres descriptor and the
 * anti-spoof and liveness models switched on (as the engine ran it before docs/adr/0005), the same
 * face measurements and rules; no face-api embedding, no MiniFAS. The models load on first use.
 */
async function previousEngine(models: FaceModels, bytes: Buffer): Promise<void> {
  const image = await decodeImage(bytes, DEFAULT_FACE_CONFIG.workingMaxSidePx);
  const human = models.runtime.human;
  const tf = human.tf as unknown as { tensor3d: (v: Uint8Array, s: number[], d: string) => { dispose: () => void } };
  const t = tf.tensor3d(new Uint8Array(image.rgb.buffer, image.rgb.byteOffset, image.rgb.length), [image.height, image.width, 3], 'int32');
  const old = {
    face: {
      enabled: true,
      description: { enabled: true, modelPath: 'faceres.json', skipFrames: 0, skipTime: 0, minConfidence: 0 },
      antispoof: { enabled: true, modelPath: 'antispoof.json', skipFrames: 0, skipTime: 0 },
      liveness: { enabled: true, modelPath: 'liveness.json', skipFrames: 0, skipTime: 0 },
    },
    hand: { enabled: false },
  };
  let raw;
  try {
    raw = await human.detect(t as never, old as never);
    if (!raw.face?.[0]?.embedding?.length) throw new Error('previous engine: no faceres embedding');
  } finally {
    t.dispose();
  }
  // The same measurements and rules as today on that one pass (their cost is not what changed).
  const faces = raw.face
    .map((f) => toDetectedFace(f))
    .filter((f): f is NonNullable<typeof f> => f !== null)
    .map((f) => ({ ...f, occlusion: measureOcclusion(image, f, []), ...sharpnessAndBrightness(image, f.box) }));
  judgeFaces(image, faces.map((f) => factsOf(f, DEFAULT_FACE_CONFIG)), DEFAULT_FACE_CONFIG);
}

export async function run(): Promise<void> {
  const base = await selfie(); // 520 × 640, one face
  const portrait = await sharp(base).extract({ left: 20, top: 0, width: 480, height: 640 }).toBuffer();
  const images = {
    '1280px selfie (960×1280)': await sharp(portrait).resize(960, 1280, { kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer(),
    '12 MP photo (3000×4000)': await sharp(portrait).resize(3000, 4000, { kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer(),
  };
  const t0 = performance.now();
  const models = await loadFaceModels();
  console.log(`model load: ${Math.round(performance.now() - t0)} ms (once per process)`);
  const overrides = process.env.FACE_BENCH_CONFIG ? parseConfigOverrides(['--config', process.env.FACE_BENCH_CONFIG]) : {};
  if (Object.keys(overrides).length) console.log(`engine config overrides: ${JSON.stringify(overrides)}`);
  const engine = createFaceEngine(models, overrides);
  // The first requests after start-up are slower while the WASM runtime settles: shown, not timed.
  const first: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const check = await engine.checkFace(images['1280px selfie (960×1280)']);
    first.push(performance.now() - t);
    if (check.code !== null) throw new Error(`bench image should be accepted, got ${check.code}`);
  }
  console.log(`first 5 requests after start-up: ${first.map((t) => t.toFixed(0)).join(', ')} ms`);
  for (const [name, bytes] of Object.entries(images)) {
    const check = await engine.checkFace(bytes);
    if (check.code !== null) throw new Error(`bench image "${name}" should be accepted, got ${check.code}`);
    const engineMs = await timeRuns(() => engine.checkFace(bytes), RUNS, 3);
    const decodeMs = await timeRuns(() => decodeImage(bytes, DEFAULT_FACE_CONFIG.workingMaxSidePx), RUNS);
    const engineCpuMs = await cpuRuns(() => engine.checkFace(bytes), Math.min(RUNS, 7));
    await previousEngine(models, bytes); // loads the previous engine's models once, untimed
    // Alternate the two engines run by run, so that both see the same machine load.
    const now: number[] = [];
    const before: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t = performance.now();
      await engine.checkFace(bytes);
      now.push(performance.now() - t);
      t = performance.now();
      await previousEngine(models, bytes);
      before.push(performance.now() - t);
    }
    console.log(
      `${name}: ${(bytes.length / 1024).toFixed(0)} KiB · engine median ${median(engineMs).toFixed(0)} ms, p95 ${p95(engineMs).toFixed(0)} ms · ` +
        `decode-only floor median ${median(decodeMs).toFixed(0)} ms · engine / floor ${(median(engineMs) / median(decodeMs)).toFixed(1)}× · ` +
        `engine CPU median ${median(engineCpuMs).toFixed(0)} ms · runs ${RUNS}`,
    );
    console.log(
      `${name}: alternating, engine median ${median(now).toFixed(0)} ms vs previous engine (human faceres + antispoof + liveness) ` +
        `${median(before).toFixed(0)} ms · ratio ${(median(now) / median(before)).toFixed(2)}`,
    );
  }
  // The two new steps alone, on the 1280-px selfie's main face.
  const image = await decodeImage(images['1280px selfie (960×1280)'], DEFAULT_FACE_CONFIG.workingMaxSidePx);
  const face = (await detectFaces(models, image))[0]!;
  const embedMs = await timeRuns(() => describeFace(models.recognizer, image, face.landmarks.leftEye, face.landmarks.rightEye), RUNS, 2);
  const liveMs = await timeRuns(() => scoreLiveness(models.liveness, image, face.box), RUNS, 2);
  console.log(`steps on the 1280-px selfie's face: embedding (chip + 2 net runs + signature) median ${median(embedMs).toFixed(0)} ms · liveness (crop + MiniFAS) median ${median(liveMs).toFixed(0)} ms`);
  console.log(`peak RSS: ${peakRssMb().toFixed(0)} MB · load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
}
