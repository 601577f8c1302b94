/** Completion is atomic over HTTP: of many concurrent completes exactly one succeeds — on both databases. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { complete, createTestTenant, openSession, postImage, startTestService, type TestService } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';

/** Image ids the store holds for a session (files on SQLite, blob rows on PostgreSQL). */
async function storedImageIds(svc: TestService, sessionId: string): Promise<string[]> {
  if (svc.store.db.dialect === 'postgres') {
    return (await svc.store.db.all<{ id: string }>(`SELECT id FROM image_blobs WHERE session_id = ?`, [sessionId])).map((r) => r.id).sort();
  }
  try {
    return readdirSync(join(svc.config.dataDir, 'images', sessionId)).filter((f) => !f.startsWith('.')).sort();
  } catch {
    return [];
  }
}

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('30 concurrent completes: one 200, the rest 409 SESSION_ALREADY_COMPLETED; captures then refused', async () => {
      const svc = await startTestService({ postgres });
      try {
        const t = await createTestTenant(svc.store, { steps: ['face'] });
        for (let round = 0; round < 3; round++) {
          const s = await openSession(svc.app, t);
          assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
          const results = await Promise.all(Array.from({ length: 30 }, () => complete(svc.app, s.accessToken)));
          const statuses = results.map((r) => r.statusCode).sort();
          assert.deepEqual(statuses, [200, ...Array(29).fill(409)]);
          assert.ok(results.filter((r) => r.statusCode === 409).every((r) => r.json().error === 'SESSION_ALREADY_COMPLETED'));
          const late = await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
          assert.equal(late.json().error, 'SESSION_ALREADY_COMPLETED');
        }
      } finally {
        await svc.close();
      }
    });

    test('captures racing a complete: each request either lands before completion or is refused', async () => {
      const svc = await startTestService({ postgres });
      try {
        const t = await createTestTenant(svc.store, { steps: ['face'] });
        const s = await openSession(svc.app, t);
        await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null));
        const img = await fakeFaceImage(null);
        const results = await Promise.all([
          ...Array.from({ length: 5 }, () => postImage(svc.app, s.accessToken, 'face', img)),
          ...Array.from({ length: 5 }, () => complete(svc.app, s.accessToken)),
        ]);
        for (const r of results) assert.ok([200, 409].includes(r.statusCode), `${r.statusCode} ${r.body}`);
        assert.equal(results.slice(5).filter((r) => r.statusCode === 200).length, 1);
        const view = (await svc.app.inject({ method: 'GET', url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: t.basic } })).json();
        assert.equal(view.status, 'COMPLETED');
        assert.ok(view.face.imageId, 'the current face keeps its image');
      } finally {
        await svc.close();
      }
    });

    test('the complete race leaves no orphan: no image without its capture, no accepted attempt for a refused capture', async () => {
      const svc = await startTestService({ postgres });
      try {
        const t = await createTestTenant(svc.store, { steps: ['face'] });
        const img = await fakeFaceImage(null);
        for (let round = 0; round < 4; round++) {
          const s = await openSession(svc.app, t);
          assert.equal((await postImage(svc.app, s.accessToken, 'face', img)).statusCode, 200);
          const results = await Promise.all([
            ...Array.from({ length: 6 }, () => postImage(svc.app, s.accessToken, 'face', img)),
            ...Array.from({ length: 3 }, () => complete(svc.app, s.accessToken)),
          ]);
          const faces = results.slice(0, 6);
          for (const r of faces) assert.ok([200, 409].includes(r.statusCode), `${r.statusCode} ${r.body}`);
          const captures = await svc.store.sessions.listCaptures(s.sessionId);
          const accepted = captures.filter((c) => c.accepted);
          assert.equal(accepted.length, 1 + faces.filter((r) => r.statusCode === 200).length, 'one accepted attempt per 200, none for a 409');
          assert.equal(captures.length, accepted.length, 'a refused capture records no attempt');
          const withImage = captures.filter((c) => c.imageId).map((c) => c.imageId!).sort();
          assert.deepEqual(await storedImageIds(svc, s.sessionId), withImage, 'every stored image belongs to a capture and vice versa');
          const session = await svc.store.sessions.get(s.sessionId);
          assert.deepEqual(withImage, [captures.find((c) => c.id === session!.faceCaptureId)!.imageId], 'only the current face keeps an image');
        }
      } finally {
        await svc.close();
      }
    });
  });
}
