/**
 * Limits counted in the database are shared by every node: failed credential checks and sessions
 * opened, answered 429 RATE_LIMITED with Retry-After once spent — whether the attempts went to
 * node A or B — on PostgreSQL (two pools, one schema) and on SQLite (one file, two stores).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createTestTenant } from '../helpers/service.js';
import { startTestNodes } from '../helpers/nodes.js';

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const initialize = (app: FastifyInstance, authorization: string, ip = '203.0.113.7') =>
  app.inject({ method: 'POST', url: '/api/v1/enrolment/initialize', remoteAddress: ip, headers: { authorization }, payload: { returnUrl: 'https://shop.example.com/done' } });

for (const postgres of [false, true]) {
  describe(postgres ? 'PostgreSQL' : 'SQLite', () => {
    test('a limit of 10 failed credential checks answers 429 on the 11th, the attempts split over nodes A and B', async () => {
      const cluster = await startTestNodes(2, { postgres, env: { AUTH_FAILURE_LIMIT: '10', AUTH_FAILURE_WINDOW_S: '300', AUTH_FAILURE_PENALTY_MS: '0' } });
      try {
        const [a, b] = cluster.nodes.map((n) => n.app) as [FastifyInstance, FastifyInstance];
        const t = await createTestTenant(cluster.store);
        // Warm: this integrator's credentials verified on node A before the attack.
        assert.equal((await initialize(a, t.basic, '198.51.100.1')).statusCode, 200);
        for (let i = 0; i < 10; i++) {
          const node = i % 3 === 0 ? a : b;
          const r = await initialize(node, basic(t.username, `wrong-${i}`));
          assert.equal(r.statusCode, 401, `attempt ${i + 1}`);
          assert.equal(r.json().error, 'TENANT_UNAUTHORIZED');
        }
        for (const node of [a, b]) {
          const r = await initialize(node, basic(t.username, 'wrong-11'));
          assert.equal(r.statusCode, 429, 'the 11th failed check');
          assert.equal(r.json().error, 'RATE_LIMITED');
          const retry = Number(r.headers['retry-after']);
          assert.ok(retry >= 1 && retry <= 300, `Retry-After ${r.headers['retry-after']}`);
          assert.equal(r.headers['x-content-type-options'], 'nosniff');
        }
        // Spent for the address and for the user name: even the right password is refused unverified …
        assert.equal((await initialize(b, t.basic)).statusCode, 429);
        assert.equal((await initialize(b, t.basic, '198.51.100.99')).statusCode, 429, 'the user name budget, from another address');
        // … but credentials verified recently on a node pass there (the integrator keeps working).
        assert.equal((await initialize(a, t.basic, '198.51.100.1')).statusCode, 200);
        // Another user name from another address is not affected; the window's end lifts the limit.
        const other = await createTestTenant(cluster.store, {}, 'Other');
        assert.equal((await initialize(b, other.basic, '198.51.100.2')).statusCode, 200);
        cluster.clock.now += 300_000;
        assert.equal((await initialize(b, t.basic)).statusCode, 200);
      } finally {
        await cluster.close();
      }
    });

    test('unknown user names from one address: 10 failures, then 429 without any scrypt; the same wrong credentials again cost no scrypt', async () => {
      const cluster = await startTestNodes(2, { postgres, env: { AUTH_FAILURE_LIMIT: '10', AUTH_FAILURE_PENALTY_MS: '0' } });
      try {
        const [a, b] = cluster.nodes.map((n) => n.app) as [FastifyInstance, FastifyInstance];
        const scrypts = () => cluster.nodes.reduce((n, node) => n + node.services.authenticateTenant.stats.scrypt, 0);
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await initialize(i % 2 ? a : b, basic(`nobody-${i}`, 'x'))).statusCode);
        assert.deepEqual(statuses, [...Array(10).fill(401), 429, 429]);
        assert.equal(scrypts(), 10);
        for (let i = 0; i < 20; i++) assert.equal((await initialize(a, basic(`nobody-x${i}`, 'x'))).statusCode, 429);
        assert.equal(scrypts(), 10, 'a spent budget refuses before scrypt');
        // Another address repeating one wrong password: one scrypt, then refused from the failure cache.
        for (let i = 0; i < 5; i++) assert.equal((await initialize(a, basic('nobody-y', 'x'), '198.51.100.77')).statusCode, 401);
        assert.equal(scrypts(), 11);
      } finally {
        await cluster.close();
      }
    });

    test('sessions opened per tenant: the limit is shared by the nodes', async () => {
      const cluster = await startTestNodes(2, { postgres, env: { SESSION_RATE_LIMIT: '5', SESSION_RATE_WINDOW_S: '60' } });
      try {
        const [a, b] = cluster.nodes.map((n) => n.app) as [FastifyInstance, FastifyInstance];
        const t = await createTestTenant(cluster.store);
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) statuses.push((await initialize(i % 2 ? a : b, t.basic, `192.0.2.${i}`)).statusCode);
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
        assert.equal(await cluster.store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM sessions`).then((r) => Number(r!.n)), 5, 'a refused initialize opens no session');
        const r = await initialize(a, t.basic, '192.0.2.50');
        assert.equal(r.json().error, 'RATE_LIMITED');
        assert.ok(Number(r.headers['retry-after']) >= 1);
        cluster.clock.now += 60_000;
        assert.equal((await initialize(b, t.basic)).statusCode, 200);
      } finally {
        await cluster.close();
      }
    });
  });
}
