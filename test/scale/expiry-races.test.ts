/**
 * Issue #17, correct state under races, on SQLite and PostgreSQL, two nodes on one database:
 *  - completes on node A race node B's expiry pass over sessions past their validity (created_at
 *    moved back; their tokens still valid): each session ends either completed (the complete
 *    answered 200, result decided, one `session.decided`) or expired (the complete answered
 *    401 SESSION_UNAUTHORIZED, result EXPIRED, one `session.expired`) — never both;
 *  - both nodes run the maintenance pass at once over 1,200 backdated sessions: every session is
 *    claimed by exactly one node and expired once (counted), one event each.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestNodes } from '../helpers/nodes.js';
import { complete, createTestTenant, openSession, postImage } from '../helpers/service.js';
import { fakeFaceImage } from '../helpers/fake-engines.js';
import { webhookRepo } from '../../src/server/store/webhooks.js';
import type { Session } from '../../src/server/session/types.js';

const DAY = 86_400_000;

async function terminalEvents(db: import('../../src/server/store/db.js').Db) {
  const rows = await db.all<{ session_id: string; type: string }>(
    `SELECT session_id, type FROM webhook_outbox WHERE type IN ('session.decided', 'session.expired')`,
  );
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.session_id, [...(by.get(r.session_id) ?? []), r.type]);
  return by;
}

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('completes on node A racing expiry on node B: completed or expired, never both; one terminal event each', async () => {
      const cluster = await startTestNodes(2, { postgres });
      const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
      try {
        const t = await createTestTenant(cluster.store, { steps: ['face'] });
        await webhookRepo(cluster.store.db).setEndpoint(t.tenant.id, 'https://hooks.example.test/idv', 'whsec_race_0123456789', cluster.clock.now);
        const face = await fakeFaceImage(null);
        let completedTotal = 0;
        let expiredTotal = 0;
        for (let round = 0; round < 3; round++) {
          const sessions = [];
          for (let i = 0; i < 40; i++) {
            const s = await openSession(a.app, t);
            assert.equal((await postImage(a.app, s.accessToken, 'face', face)).statusCode, 200);
            sessions.push(s);
          }
          // Past the 14-day validity, tokens still valid (as an operator with a shorter expiry sees).
          const ids = sessions.map((s) => s.sessionId);
          await cluster.store.db.run(
            `UPDATE sessions SET created_at = created_at - ? WHERE id IN (${ids.map(() => '?').join(', ')})`,
            [15 * DAY, ...ids],
          );
          // The completes start spread over the pass (0–3 event-loop turns and 0–8 ms after it).
          const pass = b.services.verification.maintain();
          const answers = await Promise.all(
            sessions.map(async (s, i) => {
              for (let k = 0; k < i % 4; k++) await new Promise((r) => setImmediate(r));
              if (i % 3 === 0) await new Promise((r) => setTimeout(r, i % 9));
              return complete(a.app, s.accessToken);
            }),
          );
          const counts = await pass;
          // A second pass (either node) changes nothing more.
          assert.equal((await a.services.verification.maintain()).expired, 0);

          const events = await terminalEvents(cluster.store.db);
          for (const [i, s] of sessions.entries()) {
            const res = answers[i]!;
            const row = await cluster.store.db.get<{ status: string; expired_at: number | null }>(`SELECT status, expired_at FROM sessions WHERE id = ?`, [s.sessionId]);
            const result = await a.services.verification.verification.get(s.sessionId);
            const ev = events.get(s.sessionId) ?? [];
            if (res.statusCode === 200) {
              completedTotal++;
              assert.equal(row!.status, 'COMPLETED');
              assert.equal(row!.expired_at, null);
              assert.ok(result && result.status !== 'EXPIRED', `completed session ${s.sessionId} has result ${result?.status}`);
              assert.deepEqual(ev, ['session.decided']);
            } else {
              expiredTotal++;
              assert.equal(res.statusCode, 401, res.body);
              assert.equal(res.json().error, 'SESSION_UNAUTHORIZED');
              assert.notEqual(row!.status, 'COMPLETED');
              assert.ok(row!.expired_at);
              assert.equal(result?.status, 'EXPIRED');
              assert.deepEqual(ev, ['session.expired']);
            }
          }
          assert.equal(counts.expired, answers.filter((r) => r.statusCode !== 200).length);
        }
        console.log(`# ${postgres ? 'PostgreSQL' : 'SQLite'}: ${completedTotal} completed, ${expiredTotal} expired of 120 raced`);
      } finally {
        await cluster.close();
      }
    });

    test('two nodes run maintenance at once: each of 1,200 sessions claimed by one node and expired once', async () => {
      const cluster = await startTestNodes(2, { postgres });
      try {
        const t = await createTestTenant(cluster.store, { steps: ['face'] });
        await webhookRepo(cluster.store.db).setEndpoint(t.tenant.id, 'https://hooks.example.test/idv', 'whsec_race_0123456789', cluster.clock.now);
        const old = cluster.clock.now - 20 * DAY;
        const N = 1200;
        for (let i = 0; i < N; i++) {
          const s: Session = {
            id: randomUUID(), tenantId: t.tenant.id, externalId: null, returnUrl: 'https://shop.example.com/done', applicantForm: null,
            skipIntegrityCheck: false, steps: ['face'], status: 'CREATED', documentState: 'NONE', frontCaptureId: null, backCaptureId: null,
            faceCaptureId: null, version: 0, createdAt: old + i, updatedAt: old + i, completedAt: null, tokenGeneration: randomUUID(),
          };
          assert.equal(await cluster.store.sessions.insert(s), true);
        }
        const counts = await Promise.all(cluster.nodes.map((n) => n.services.verification.maintain()));
        const claimed = counts.map((c) => c.claimed.expire);
        console.log(`# ${postgres ? 'PostgreSQL' : 'SQLite'}: claims per node ${claimed.join(' + ')}`);
        assert.equal(claimed[0]! + claimed[1]!, N, 'each session claimed once');
        assert.equal(counts[0]!.expired + counts[1]!.expired, N, 'each claim expired its session');
        const results = await cluster.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM verification_results WHERE status = 'EXPIRED'`);
        assert.equal(Number(results!.n), N);
        const events = await terminalEvents(cluster.store.db);
        assert.equal(events.size, N);
        for (const ev of events.values()) assert.deepEqual(ev, ['session.expired']);
        // Nothing left: another pass claims nothing.
        assert.equal((await cluster.nodes[1]!.services.verification.maintain()).claimed.expire, 0);
      } finally {
        await cluster.close();
      }
    });
  });
}

for (const postgres of [false, true]) {
  test(`a row whose work throws does not stop the pass; it is counted and left leased (${postgres ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const cluster = await startTestNodes(1, { postgres });
    const [a] = cluster.nodes as [(typeof cluster.nodes)[0]];
    try {
      const t = await createTestTenant(cluster.store, { steps: ['face'] });
      const face = await fakeFaceImage(null);
      // Two sessions completed without the complete hook (as if the process died in between).
      a.services.session.onCompleted = undefined;
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await openSession(a.app, t);
        assert.equal((await postImage(a.app, s.accessToken, 'face', face)).statusCode, 200);
        assert.equal((await complete(a.app, s.accessToken)).statusCode, 200);
        ids.push(s.sessionId);
      }
      // The first one's capture result cannot be opened any more (a damaged row).
      await cluster.store.db.run(`UPDATE captures SET result = 'damaged' WHERE session_id = ?`, [ids[0]!]);
      cluster.clock.now += 61_000;
      const counts = await a.services.verification.maintain();
      assert.equal(counts.claimed.decide, 2);
      assert.equal(counts.decided, 1);
      assert.equal(counts.failed.decide, 1);
      assert.equal((await a.services.verification.verification.get(ids[1]!))?.status !== undefined, true);
      // Leased: the next pass leaves it alone until the lease lapses.
      assert.equal((await a.services.verification.maintain()).claimed.decide, 0);
      cluster.clock.now += 5 * 60_000 + 1;
      assert.equal((await a.services.verification.maintain()).claimed.decide, 1);
    } finally {
      await cluster.close();
    }
  });
}
