/**
 * Issue #17: a webhook event given up (FAILED, the dead letter) is visible in the API's session
 * read, on the console's session page and in /metrics — on SQLite and PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { complete, createTestTenant, openSession, postImage, startTestService } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';
import { readSession } from '../../src/server/session/read-session.js';
import { sessionPage } from '../../src/server/review/pages.js';

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('a given-up webhook event shows as FAILED in the API, the console and /metrics', async () => {
      // Give up at the first failure; the receiver is a loopback address the SSRF guard refuses.
      const svc = await startTestService({ postgres, serviceOptions: { verification: { backgroundJobs: false, webhookWorker: { giveUpAfterMs: 0 } } } });
      try {
        const t = await createTestTenant(svc.store, { steps: ['face'] });
        await svc.services.verification.webhooks.setEndpoint(t.tenant.id, 'http://127.0.0.1:9/hook', 'whsec_dead_0123456789', svc.clock.now);
        const s = await openSession(svc.app, t);
        assert.equal((await postImage(svc.app, s.accessToken, 'face', await fakeFaceImage(null))).statusCode, 200);
        assert.equal((await complete(svc.app, s.accessToken)).statusCode, 200);
        assert.equal(await svc.services.verification.worker.tick(), 2);
        assert.equal(await svc.services.verification.worker.tick(), 0, 'a dead letter is not retried');

        const read = await svc.app.inject({ url: `/api/v1/sessions/${s.sessionId}`, headers: { authorization: t.basic } });
        const events = (read.json() as { verification: { webhookEvents: Array<{ type: string; state: string; attempts: number; lastError: string | null }> } }).verification.webhookEvents;
        assert.deepEqual(events.map((e) => [e.type, e.state, e.attempts, e.lastError]).sort(), [
          ['session.completed', 'FAILED', 1, 'address refused by the SSRF guard'],
          ['session.decided', 'FAILED', 1, 'address refused by the SSRF guard'],
        ]);

        const view = await readSession(svc.services.session, t.tenant.id, s.sessionId, { detail: 'full' });
        const page = String(sessionPage(view, [], 'csrf', null, svc.clock.now));
        assert.match(page, /<table id="webhook-events">/);
        assert.equal(page.match(/FAILED — given up \(dead letter\)/g)?.length, 2);

        const metrics = (await svc.app.inject('/metrics')).body;
        assert.match(metrics, /^idv_webhook_events\{state="failed"\} 2$/m);
      } finally {
        await svc.close();
      }
    });
  });
}
