/**
 * The decision wired into the service: complete → decide → stored → visible in the session read
 * endpoint; statuses; the tenant's policy; expiry and image retention jobs; deletion. Real store
 * (SQLite file, and PostgreSQL for the main path), scripted engines (test fakes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService, type TestTenant } from '../helpers/service.js';
import { passportPage, td3 } from './mrz-builder.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, GENUINE_MATCH_SCORE, acceptedFace, embeddingPair } from './scripted-engines.js';

const GOOD = { lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' };

async function setup(postgres = false) {
  const document = new FakeScriptedDocumentEngine();
  const face = new FakeScriptedFaceEngine();
  const svc = await startTestService({ engines: { document, face }, postgres, serviceOptions: { verification: { backgroundJobs: false } } });
  const tenant = await createTestTenant(svc.store);
  const image = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#888' } }).jpeg().toBuffer();
  return { svc, tenant, document, face, image };
}

type Ctx = Awaited<ReturnType<typeof setup>>;

async function runSession(ctx: Ctx, opts: { mrz?: Parameters<typeof td3>[0]; score?: number; form?: Record<string, string>; completeIt?: boolean } = {}) {
  const [selfie, portrait] = embeddingPair(opts.score ?? GENUINE_MATCH_SCORE);
  const s = await openSession(ctx.svc.app, ctx.tenant, opts.form ? { applicantForm: opts.form } : {});
  ctx.document.queue.push(
    passportPage(td3(opts.mrz ?? GOOD), { portraitEmbedding: portrait, portraitEmbeddingModel: FACE_MODEL, details: { portrait: { frame: 'mrz-page', cropJpegBase64: ctx.image.toString('base64') } } }),
  );
  assert.equal((await postImage(ctx.svc.app, s.accessToken, 'document', ctx.image)).statusCode, 200);
  ctx.face.queue.push(acceptedFace(selfie));
  assert.equal((await postImage(ctx.svc.app, s.accessToken, 'face', ctx.image)).statusCode, 200);
  if (opts.completeIt !== false) assert.equal((await complete(ctx.svc.app, s.accessToken)).statusCode, 200);
  return s;
}

async function read(svc: TestService, t: TestTenant, id: string) {
  const res = await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}`, headers: { authorization: t.basic } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { status: string; verification: { status: string; decision: string | null; reasons: string[]; factors: Array<{ name: string; level: string; score: number | null; evidence: Record<string, unknown> }>; decidedAt: string | null; imagesPurgedAt: string | null } };
}

for (const postgres of [false, true]) {
  test(`complete decides at once and the read endpoint shows status, decision and every factor (${postgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const ctx = await setup(postgres);
    try {
      const s = await runSession(ctx, { form: { firstName: 'Erika', lastName: 'Mustermann', dateOfBirth: '1984-08-12' } });
      const v = (await read(ctx.svc, ctx.tenant, s.sessionId)).verification;
      assert.equal(v.status, 'AUTO_APPROVED');
      assert.equal(v.decision, 'HIGH');
      assert.deepEqual(v.factors.map((f) => [f.name, f.level]), [
        ['crossCheck', 'HIGH'],
        ['documentExpiry', 'HIGH'],
        ['fieldConsistency', 'UNKNOWN'],
        ['faceVerification', 'HIGH'],
        ['faceLiveness', 'HIGH'],
        ['documentLiveness', 'UNAVAILABLE'],
        ['applicantIntegrity', 'HIGH'],
        ['age', 'UNAVAILABLE'],
      ]);
      assert.equal(v.factors[3]!.score, GENUINE_MATCH_SCORE);
      assert.equal(v.factors[4]!.score, 0.97);
      assert.equal(v.decidedAt, new Date(ctx.svc.clock.now).toISOString());
      // The embeddings never leave: the face capture's result is redacted by the read side.
      const body = JSON.stringify(await read(ctx.svc, ctx.tenant, s.sessionId));
      assert.ok(!body.includes('"embedding":['));
      assert.ok(!body.includes('"faceSignature":['));
    } finally {
      await ctx.svc.close();
    }
  });
}

test('statuses: expired document AUTO_REJECTED, mismatching faces AUTO_REJECTED, name mismatch WAITING_FOR_MANUAL_APPROVE, under-age with the tenant minimum AUTO_REJECTED', async () => {
  const ctx = await setup();
  try {
    const expired = await runSession(ctx, { mrz: { ...GOOD, expiry: '250101' } });
    assert.equal((await read(ctx.svc, ctx.tenant, expired.sessionId)).verification.status, 'AUTO_REJECTED');
    const faces = await runSession(ctx, { score: 0.1 });
    const fv = (await read(ctx.svc, ctx.tenant, faces.sessionId)).verification;
    assert.equal(fv.status, 'AUTO_REJECTED');
    assert.deepEqual(fv.reasons, ['faceVerification:LOW rejects']);
    const name = await runSession(ctx, { form: { lastName: 'Schmidt' } });
    const nv = (await read(ctx.svc, ctx.tenant, name.sessionId)).verification;
    assert.equal(nv.status, 'WAITING_FOR_MANUAL_APPROVE');
    assert.equal(nv.decision, 'MEDIUM');
    await ctx.svc.services.verification.verification.setPolicy(ctx.tenant.tenant.id, { minAgeYears: 18 }, ctx.svc.clock.now);
    const young = await runSession(ctx, { mrz: { ...GOOD, birth: '100101' } });
    const yv = (await read(ctx.svc, ctx.tenant, young.sessionId)).verification;
    assert.equal(yv.status, 'AUTO_REJECTED');
    assert.equal(yv.factors.find((f) => f.name === 'age')!.score, 16);
    // The list: filters by verification status and by decision; each summary carries both.
    const pending = await openSession(ctx.svc.app, ctx.tenant);
    const list = async (q: string) => {
      const res = await ctx.svc.app.inject({ method: 'GET', url: `/api/v1/sessions?${q}`, headers: { authorization: ctx.tenant.basic } });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { sessions: Array<{ sessionId: string; verificationStatus: string; decision: string | null }> }).sessions;
    };
    assert.deepEqual((await list('verificationStatus=AUTO_REJECTED')).map((s) => s.sessionId).sort(), [expired.sessionId, faces.sessionId, young.sessionId].sort());
    assert.deepEqual((await list('verificationStatus=WAITING_FOR_MANUAL_APPROVE')).map((s) => [s.sessionId, s.decision]), [[name.sessionId, 'MEDIUM']]);
    assert.deepEqual((await list('verificationStatus=PENDING')).map((s) => [s.sessionId, s.verificationStatus, s.decision]), [[pending.sessionId, 'PENDING', null]]);
    assert.deepEqual((await list('decision=LOW&limit=2')).length, 2);
    assert.equal((await ctx.svc.app.inject({ method: 'GET', url: '/api/v1/sessions?decision=MAYBE', headers: { authorization: ctx.tenant.basic } })).statusCode, 400);
  } finally {
    await ctx.svc.close();
  }
});

test('a completed session whose decision failed is decided by the maintenance job', async () => {
  const ctx = await setup();
  try {
    const s = await runSession(ctx, { completeIt: false });
    // Complete without the hook (as if the process died right after the UPDATE).
    const hook = ctx.svc.services.session.onCompleted;
    ctx.svc.services.session.onCompleted = undefined;
    assert.equal((await complete(ctx.svc.app, s.accessToken)).statusCode, 200);
    ctx.svc.services.session.onCompleted = hook;
    assert.equal((await read(ctx.svc, ctx.tenant, s.sessionId)).verification.status, 'PENDING');
    // The pass leaves a just-completed session to the complete hook for a minute.
    assert.equal((await ctx.svc.services.verification.maintain()).decided, 0);
    ctx.svc.clock.now += 61_000;
    assert.deepEqual(await ctx.svc.services.verification.maintain(), {
      decided: 1,
      expired: 0,
      purged: 0,
      webhookRowsPruned: 0,
      claimed: { decide: 1, expire: 0, purge: 0 },
      failed: { decide: 0, expire: 0, purge: 0 },
    });
    assert.equal((await read(ctx.svc, ctx.tenant, s.sessionId)).verification.status, 'AUTO_APPROVED');
  } finally {
    await ctx.svc.close();
  }
});

test('expiry after 14 days (PENDING → EXPIRED, first result wins) and image retention after 30 days; delete erases the result', async () => {
  const ctx = await setup();
  try {
    const open = await runSession(ctx, { completeIt: false });
    const done = await runSession(ctx);
    const day = 86_400_000;
    ctx.svc.clock.now += 14 * day - 1000;
    assert.equal((await ctx.svc.services.verification.maintain()).expired, 0);
    assert.equal((await read(ctx.svc, ctx.tenant, open.sessionId)).verification.status, 'PENDING');
    ctx.svc.clock.now += 2000;
    assert.equal((await ctx.svc.services.verification.maintain()).expired, 1);
    const ev = (await read(ctx.svc, ctx.tenant, open.sessionId)).verification;
    assert.equal(ev.status, 'EXPIRED');
    assert.equal(ev.decision, null);
    // Images: still there at 29 days after the decision, gone after 30.
    const images = async (id: string) =>
      (await ctx.svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${id}/images`, headers: { authorization: ctx.tenant.basic } })).json() as { images: unknown[] };
    assert.equal((await images(done.sessionId)).images.length, 2);
    ctx.svc.clock.now += 15 * day;
    await ctx.svc.services.verification.maintain();
    assert.equal((await images(done.sessionId)).images.length, 2);
    ctx.svc.clock.now += 2 * day;
    const r = await ctx.svc.services.verification.maintain();
    assert.equal(r.purged, 1);
    assert.equal((await images(done.sessionId)).images.length, 0);
    // The portrait crop inside the document result goes too.
    const results = (await ctx.svc.store.sessions.listCaptures(done.sessionId)).map((c) => JSON.stringify(c.result));
    assert.ok(results.some((r) => r.includes('"cropPurged":true')));
    assert.ok(!results.some((r) => r.includes('cropJpegBase64')));
    const after = (await read(ctx.svc, ctx.tenant, done.sessionId)).verification;
    assert.equal(after.status, 'AUTO_APPROVED');
    assert.ok(after.imagesPurgedAt);
    // Delete: the result goes with the session.
    const del = await ctx.svc.app.inject({ method: 'DELETE', url: `/api/v1/sessions/${done.sessionId}`, headers: { authorization: ctx.tenant.basic } });
    assert.equal(del.statusCode, 200);
    assert.equal(await ctx.svc.services.verification.verification.get(done.sessionId), undefined);
  } finally {
    await ctx.svc.close();
  }
});
