/**
 * The decision's cost: the pure step (`verify`, 1024-d embeddings, a real parsed MRZ) and what it
 * adds to `POST /complete` on the embedded SQLite store — complete with the decision hook vs the
 * same complete without it (baseline), in the same process, on sessions prepared alike.
 */
import sharp from 'sharp';
import { verify } from '../src/server/verification/decide.js';
import { DEFAULT_VERIFICATION_THRESHOLDS } from '../src/server/verification/thresholds.js';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../test/helpers/service.js';
import { passportPage, td3 } from '../test/verification/mrz-builder.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, acceptedFace } from '../test/verification/scripted-engines.js';
import { median, p95 } from './stats.js';

const RUNS = 40;
const GOOD = { lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' };
const vec = () => Array.from({ length: 1024 }, () => Math.random() - 0.5);
const fmt = (v: number[]) => `median ${median(v).toFixed(2)} ms, p95 ${p95(v).toFixed(2)} ms`;

export async function run(): Promise<void> {
  // 1. The pure step.
  const input = {
    now: Date.now(),
    steps: ['document', 'face'] as Array<'document' | 'face'>,
    applicantForm: { firstName: 'Erika', lastName: 'Müstermann', dateOfBirth: '1984-08-12' },
    skipIntegrityCheck: false,
    front: passportPage(td3(GOOD), { portraitEmbedding: vec(), portraitEmbeddingModel: FACE_MODEL }),
    back: null,
    face: acceptedFace(vec()),
  };
  const pure: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    verify(input, { ...DEFAULT_VERIFICATION_THRESHOLDS, minAgeYears: 18 });
    pure.push(performance.now() - t);
  }
  console.log(`verify() (8 factors + decision): ${fmt(pure.slice(50))}`);

  // 2. complete over HTTP inject on SQLite, with and without the decision hook.
  const document = new FakeScriptedDocumentEngine();
  const face = new FakeScriptedFaceEngine();
  const svc = await startTestService({ engines: { document, face }, serviceOptions: { verification: { backgroundJobs: false } } });
  try {
    const tenant = await createTestTenant(svc.store);
    const image = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const prepare = async () => {
      const s = await openSession(svc.app, tenant, { applicantForm: input.applicantForm });
      document.queue.push(passportPage(td3(GOOD), { portraitEmbedding: vec(), portraitEmbeddingModel: FACE_MODEL }));
      face.queue.push(acceptedFace(vec()));
      await postImage(svc.app, s.accessToken, 'document', image);
      await postImage(svc.app, s.accessToken, 'face', image);
      return s.accessToken;
    };
    const hook = svc.services.session.onCompleted;
    const timed = async (withHook: boolean) => {
      const token = await prepare();
      svc.services.session.onCompleted = withHook ? hook : undefined;
      const t = performance.now();
      const res = await complete(svc.app, token);
      const ms = performance.now() - t;
      if (res.statusCode !== 200) throw new Error(`complete ${res.statusCode}`);
      return ms;
    };
    const base: number[] = [];
    const withDecision: number[] = [];
    for (let i = 0; i < 3; i++) await timed(i % 2 === 0); // warm-up
    // Interleaved, so both see the same machine load.
    for (let i = 0; i < RUNS; i++) {
      base.push(await timed(false));
      withDecision.push(await timed(true));
    }
    svc.services.session.onCompleted = hook;
    console.log(`complete, baseline (no decision): ${fmt(base)}`);
    console.log(`complete + decision stored:        ${fmt(withDecision)}  (ratio of medians ${(median(withDecision) / median(base)).toFixed(2)}×)`);
  } finally {
    await svc.close();
  }
}
