/**
 * The review use case on SQLite and PostgreSQL: approve/reject with a reason, audit entry and
 * `session.reviewed` event written together; two operators racing → exactly one wins; statuses
 * that cannot be reviewed; another tenant's operator sees "not found".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { CodedError } from '../../src/shared/errors.js';
import { reviewSession } from '../../src/server/review/review-session.js';
import type { Operator } from '../../src/server/store/operators.js';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../helpers/service.js';
import { passportPage, td3 } from '../verification/mrz-builder.js';
import { FACE_MODEL, FakeScriptedDocumentEngine, FakeScriptedFaceEngine, GENUINE_MATCH_SCORE, acceptedFace, embeddingPair } from '../verification/scripted-engines.js';

const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof CodedError ? e.code : String(e)));

for (const postgres of [false, true]) {
  test(`review: approve/reject, audit, webhook event, races and refusals (${postgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const document = new FakeScriptedDocumentEngine();
    const face = new FakeScriptedFaceEngine();
    const svc = await startTestService({ engines: { document, face }, postgres, serviceOptions: { verification: { backgroundJobs: false } } });
    try {
      const v = svc.services.verification;
      const tenant = await createTestTenant(svc.store);
      const other = await createTestTenant(svc.store, {}, 'Other');
      await v.webhooks.setEndpoint(tenant.tenant.id, 'https://hooks.example.com/x', 'whsec_x', svc.clock.now);
      const op = (tenantId: string, name: string): Operator => ({ id: crypto.randomUUID(), tenantId, username: name, passwordHash: 'x', disabledAt: null, createdAt: 0 });
      const alice = op(tenant.tenant.id, `alice-${postgres}`);
      const bob = op(tenant.tenant.id, `bob-${postgres}`);
      const mallory = op(other.tenant.id, `mallory-${postgres}`);
      const image = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#888' } }).jpeg().toBuffer();
      const waiting = async () => {
        const [a, b] = embeddingPair(GENUINE_MATCH_SCORE);
        const s = await openSession(svc.app, tenant, { applicantForm: { lastName: 'Schmidt' } });
        document.queue.push(passportPage(td3({ lastName: 'MUSTERMANN', firstName: 'ERIKA', birth: '840812', expiry: '310101' }), { portraitEmbedding: b, portraitEmbeddingModel: FACE_MODEL }));
        face.queue.push(acceptedFace(a));
        await postImage(svc.app, s.accessToken, 'document', image);
        await postImage(svc.app, s.accessToken, 'face', image);
        await complete(svc.app, s.accessToken);
        assert.equal((await v.verification.get(s.sessionId))!.status, 'WAITING_FOR_MANUAL_APPROVE');
        return s.sessionId;
      };

      const s1 = await waiting();
      assert.equal(await code(reviewSession(v, alice, s1, 'APPROVE', '  ')), 'REQUEST_INVALID');
      assert.equal(await code(reviewSession(v, mallory, s1, 'APPROVE', 'looks fine')), 'SESSION_NOT_FOUND');
      // Two operators at once: exactly one wins.
      const results = await Promise.all([code(reviewSession(v, alice, s1, 'APPROVE', 'checked')), code(reviewSession(v, bob, s1, 'REJECT', 'not convinced'))]);
      assert.deepEqual([...results].sort(), ['OK', 'REVIEW_NOT_ALLOWED']);
      const rec = (await v.verification.get(s1))!;
      const audit = await v.verification.audit(s1);
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.previousStatus, 'WAITING_FOR_MANUAL_APPROVE');
      assert.equal(rec.status, audit[0]!.action === 'APPROVE' ? 'MANUAL_APPROVED' : 'MANUAL_REJECTED');
      assert.equal(rec.reviewedBy, audit[0]!.operatorId);
      const reviewed = (await v.webhooks.events(s1)).filter((e) => e.type === 'session.reviewed');
      assert.equal(reviewed.length, 1);
      assert.equal((JSON.parse(reviewed[0]!.payload) as { data: { status: string } }).data.status, rec.status);
      // Final: no second review.
      assert.equal(await code(reviewSession(v, alice, s1, 'REJECT', 'changed my mind')), 'REVIEW_NOT_ALLOWED');

      // An automatic rejection may be overturned; PENDING and EXPIRED may not be reviewed.
      const s2 = await waiting();
      assert.equal(await reviewSession(v, alice, s2, 'REJECT', 'document looks edited'), 'MANUAL_REJECTED');
      const pending = await openSession(svc.app, tenant);
      assert.equal(await code(reviewSession(v, alice, pending.sessionId, 'APPROVE', 'too early')), 'REVIEW_NOT_ALLOWED');
      svc.clock.now += 15 * 86_400_000;
      await v.maintain();
      assert.equal((await v.verification.get(pending.sessionId))!.status, 'EXPIRED');
      assert.equal(await code(reviewSession(v, alice, pending.sessionId, 'APPROVE', 'late')), 'REVIEW_NOT_ALLOWED');
      assert.deepEqual((await v.webhooks.events(pending.sessionId)).map((e) => e.type), ['session.expired']);
    } finally {
      await svc.close();
    }
  });
}
