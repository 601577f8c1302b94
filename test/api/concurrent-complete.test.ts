/** Completion is atomic over HTTP: of many concurrent completes exactly one succeeds — on both databases. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';

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
  });
}
