/**
 * Credential checks under attack, in one run (SQLite, loopback, TRUST_PROXY=true so each client
 * has its X-Forwarded-For address):
 *  1. initialize requests/s (8 keep-alive connections, one integrator's correct Basic credentials,
 *     warm) against a bare Fastify route in the same process (the ratio's baseline);
 *  2. the same initialize while another process keeps 16 connections sending bogus credentials:
 *     `one address` (an unknown user name and a wrong password from one address: its budget is
 *     spent after AUTH_FAILURE_LIMIT, then every attempt is a cheap 429) and `spread` (every attempt
 *     from a new address with a new user name and a new password: each one is an unverified check
 *     that no cache answers, the worst case for scrypt); the attackers' answers are counted.
 * Rounds alternate; medians of 3 rounds of SERVICE_BENCH_SECONDS (default 3) each.
 * `npm run bench -- auth`.
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { buildApp, createServices } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openStore } from '../src/server/store/index.js';
import { createTestTenant } from '../test/helpers/service.js';
import { median } from './stats.js';

const ROUND_MS = Number(process.env.SERVICE_BENCH_SECONDS ?? 3) * 1000;
const CONNECTIONS = 8;
const ATTACKERS = 16;

function post(agent: http.Agent, port: number, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function throughput(fn: () => Promise<number>, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const status = await fn();
        if (status !== 200) throw new Error(`bench request failed: ${status}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** The attacker: ATTACKERS closed loops of bogus initialize calls until stdin closes; prints its answers' statuses. */
const ATTACKER = `
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const [port, mode] = [Number(process.argv[1]), process.argv[2]];
const agent = new http.Agent({ keepAlive: true, maxSockets: ${ATTACKERS} });
const body = JSON.stringify({ returnUrl: 'https://shop.example.com/done' });
const counts = {};
let on = true;
process.stdin.on('end', () => (on = false)).resume();
const one = () => new Promise((resolve) => {
  const spread = mode === 'spread';
  const user = spread ? 'tn_' + randomBytes(8).toString('hex') : 'tn_0000000000000000';
  const ip = spread ? '10.' + randomBytes(3).join('.') : '10.9.9.9';
  const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/enrolment/initialize', agent, headers: {
    authorization: 'Basic ' + Buffer.from(user + ':' + (spread ? randomBytes(12).toString('hex') : 'wrong-password')).toString('base64'), 'x-forwarded-for': ip,
    'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume(); res.on('end', () => { counts[res.statusCode] = (counts[res.statusCode] || 0) + 1; resolve(); });
  });
  req.on('error', () => { counts.error = (counts.error || 0) + 1; resolve(); });
  req.end(body);
});
Promise.all(Array.from({ length: ${ATTACKERS} }, async () => { while (on) await one(); })).then(() => {
  process.stdout.write(JSON.stringify(counts)); agent.destroy();
});`;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-bench-auth-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', TRUST_PROXY: 'true', SESSION_RATE_LIMIT: '100000000' });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir });
  const services = await createServices(config, store);
  const app = await buildApp(services);
  const bare = Fastify();
  bare.post('/bare', async () => ({ hasError: false, ok: true }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const barePort = (bare.server.address() as AddressInfo).port;
    const tenant = await createTestTenant(store, {}, 'bench');
    const headers = { authorization: tenant.basic, 'x-forwarded-for': '10.1.1.1' };
    const body = JSON.stringify({ returnUrl: 'https://shop.example.com/done', externalId: 'bench' });
    const init = () => post(agent, port, '/api/v1/enrolment/initialize', headers, body);
    const bareCall = () => post(agent, barePort, '/bare', {}, body);
    const underAttack = async (mode: 'one' | 'spread') => {
      const child = spawn(process.execPath, ['-e', ATTACKER, String(port), mode], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((r) => setTimeout(r, 300)); // the attack is running before we measure
      const rps = await throughput(init, ROUND_MS);
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
      const counts = JSON.parse(out || '{}') as Record<string, number>;
      return { rps, counts };
    };

    await throughput(init, 500);
    await throughput(bareCall, 500);
    const r = { bare: [] as number[], init: [] as number[], one: [] as number[], spread: [] as number[] };
    const attacks: Record<'one' | 'spread', Record<string, number>> = { one: {}, spread: {} };
    for (let i = 0; i < 3; i++) {
      r.bare.push(await throughput(bareCall, ROUND_MS));
      r.init.push(await throughput(init, ROUND_MS));
      for (const mode of ['one', 'spread'] as const) {
        const a = await underAttack(mode);
        r[mode].push(a.rps);
        for (const [k, n] of Object.entries(a.counts)) attacks[mode][k] = (attacks[mode][k] ?? 0) + n;
      }
    }
    const m = { bare: median(r.bare), init: median(r.init), one: median(r.one), spread: median(r.spread) };
    const seconds = 3 * ROUND_MS / 1000;
    const summary = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${(n / seconds).toFixed(0)}/s × ${k}`).join(', ');
    console.log(`initialize: median ${m.init.toFixed(0)} req/s · bare Fastify route: ${m.bare.toFixed(0)} req/s · ratio ${(m.init / m.bare).toFixed(2)} (${CONNECTIONS} connections, 3 × ${ROUND_MS / 1000} s rounds)`);
    console.log(`initialize under ${ATTACKERS} connections of bogus credentials from one address: ${m.one.toFixed(0)} req/s = ${(m.one / m.init).toFixed(2)}× normal · attackers got ${summary(attacks.one)}`);
    console.log(`initialize under ${ATTACKERS} connections of bogus credentials, each from a new address, user name and password: ${m.spread.toFixed(0)} req/s = ${(m.spread / m.init).toFixed(2)}× normal · attackers got ${summary(attacks.spread)}`);
  } finally {
    agent.destroy();
    await app.close();
    await bare.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
