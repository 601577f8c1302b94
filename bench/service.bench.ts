/**
 * The service over real HTTP on loopback, in one process:
 *  1. initialize requests/s (Basic auth, validation, SQLite insert, JWT signing) against a bare
 *     Fastify route that parses the same JSON and answers a constant, as the ratio's baseline;
 *     8 keep-alive connections, alternating rounds of a fixed duration, medians of the rounds.
 *  2. p50/p99 latency of POST /document and /face with the real engines at concurrency 1, 2, 8
 *     (generated images: the MIT face-api demo selfie enlarged to 960×1280; the generated
 *     document specimen test/fixtures/documents/uto_id_front_photo_tilt.jpg), the engines in one
 *     worker thread as main.ts runs them by default, plus /health latency meanwhile; then the
 *     same /health measure with the engines on the main thread (VISION_WORKERS=0) as baseline.
 *  3. peak RSS (of this process: main thread + worker share it).
 * `npm run bench -- service`. SERVICE_BENCH_SECONDS (default 3) sets the round length;
 * SERVICE_BENCH_ENGINES=0 stops after part 1.
 */
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import sharp from 'sharp';
import { buildApp, createServices } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { generatePassword, generateUsername, hashPassword } from '../src/server/session/credentials.js';
import { DEFAULT_TENANT_SETTINGS } from '../src/server/session/tenant-settings.js';
import { startVisionPool } from '../src/server/session/vision-pool.js';
import { openStore } from '../src/server/store/index.js';
import { createDocumentEngine, loadDocumentModels } from '../src/server/vision/document/index.js';
import { createFaceEngine, loadFaceModels } from '../src/server/vision/face/index.js';
import { selfie } from '../test/helpers/face-images.js';
import { median, peakRssMb, quantile } from './stats.js';

const ROUND_MS = Number(process.env.SERVICE_BENCH_SECONDS ?? 3) * 1000;
const CONNECTIONS = 8;

interface Res {
  status: number;
  body: string;
}

function request(agent: http.Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests completed per second by `connections` closed loops over `ms`. */
async function throughput(fn: () => Promise<Res>, connections: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const r = await fn();
        if (r.status !== 200) throw new Error(`bench request failed: ${r.status} ${r.body.slice(0, 200)}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

/** Per-request latencies of `total` requests issued by `concurrency` closed loops. */
async function latencies(fn: () => Promise<Res>, concurrency: number, total: number): Promise<number[]> {
  const out: number[] = [];
  let left = total;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left--;
        const t0 = performance.now();
        const r = await fn();
        if (r.status !== 200) throw new Error(`bench request failed: ${r.status} ${r.body.slice(0, 200)}`);
        out.push(performance.now() - t0);
      }
    }),
  );
  return out;
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-bench-'));
  // The session-creation limit stays on (its counting is part of initialize's cost) but out of reach.
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', VISION_MAX_QUEUED: '64', SESSION_RATE_LIMIT: '100000000' });
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir });
  const services = await createServices(config, store);
  const app = await buildApp(services);
  const bare = Fastify();
  bare.post('/bare', async () => ({ hasError: false, ok: true }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  // Its own connection: on `agent` the probe would queue behind busy sockets at concurrency 8.
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const barePort = (bare.server.address() as AddressInfo).port;

    const password = generatePassword();
    const username = generateUsername();
    await store.tenants.insert({
      id: crypto.randomUUID(),
      name: 'bench',
      username,
      passwordHash: await hashPassword(password),
      settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: ['https://shop.example.com'] },
      disabledAt: null,
      createdAt: Date.now(),
    });
    const basic = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    const initBody = JSON.stringify({ returnUrl: 'https://shop.example.com/done', externalId: 'bench' });
    const init = () => request(agent, port, 'POST', '/api/v1/enrolment/initialize', basic, initBody);
    const bareCall = () => request(agent, barePort, 'POST', '/bare', {}, initBody);

    // 1. initialize vs bare route, alternating rounds after a warm-up.
    await throughput(init, CONNECTIONS, 500);
    await throughput(bareCall, CONNECTIONS, 500);
    const initRps: number[] = [];
    const bareRps: number[] = [];
    for (let i = 0; i < 3; i++) {
      bareRps.push(await throughput(bareCall, CONNECTIONS, ROUND_MS));
      initRps.push(await throughput(init, CONNECTIONS, ROUND_MS));
    }
    console.log(
      `initialize: median ${median(initRps).toFixed(0)} req/s · bare Fastify route: median ${median(bareRps).toFixed(0)} req/s · ` +
        `ratio ${(median(initRps) / median(bareRps)).toFixed(2)} (${CONNECTIONS} keep-alive connections, 3 × ${ROUND_MS / 1000} s rounds each)`,
    );

    // 2. capture endpoints with the real engines.
    if (process.env.SERVICE_BENCH_ENGINES === '0') return;
    const t0 = performance.now();
    const pool = await startVisionPool(1, new URL('../src/server/vision-worker.ts', import.meta.url));
    services.setEngines(pool.engines);
    console.log(`model load (1 vision worker): ${Math.round(performance.now() - t0)} ms`);
    const base = await selfie();
    const portrait = await sharp(base).extract({ left: 20, top: 0, width: 480, height: 640 }).toBuffer();
    const faceJpeg = await sharp(portrait).resize(960, 1280).jpeg({ quality: 90 }).toBuffer();
    const docJpeg = readFileSync(new URL('../test/fixtures/documents/uto_id_front_photo_tilt.jpg', import.meta.url));
    const faceBody = JSON.stringify({ imageBase: faceJpeg.toString('base64') });
    const docBody = JSON.stringify({ imageBase: docJpeg.toString('base64') });
    const token = async () => {
      const r = await init();
      return { authorization: `Bearer ${(JSON.parse(r.body) as { accessToken: string }).accessToken}` };
    };
    const bearer = await token();
    const endpoints = {
      face: () => request(agent, port, 'POST', '/api/v1/enrolment/face', bearer, faceBody),
      document: () => request(agent, port, 'POST', '/api/v1/enrolment/document', bearer, docBody),
    };
    const measure = async (name: string, fn: () => Promise<Res>, concurrencies: number[], mode: string) => {
      const first = await fn();
      if (first.status !== 200) throw new Error(`bench ${name} image should be accepted: ${first.body}`);
      for (const c of concurrencies) {
        const total = c === 8 ? 16 : 8;
        const health: number[] = [];
        let busy = true;
        const probe = (async () => {
          while (busy) {
            const h0 = performance.now();
            await request(probeAgent, port, 'GET', '/health', {});
            health.push(performance.now() - h0);
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
        const ms = await latencies(fn, c, total);
        busy = false;
        await probe;
        console.log(
          `${name} (${name === 'face' ? '960×1280 JPEG' : `${(docJpeg.length / 1024).toFixed(0)} KiB specimen JPEG`}, ${mode}), concurrency ${c}: ` +
            `p50 ${quantile(ms, 0.5).toFixed(0)} ms, p99 ${quantile(ms, 0.99).toFixed(0)} ms (${total} requests) · ` +
            `/health meanwhile p50 ${quantile(health, 0.5).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms`,
        );
      }
    };
    for (const [name, fn] of Object.entries(endpoints)) await measure(name, fn, [1, 2, 8], 'worker');
    await pool.close();

    // Baseline for the event-loop cost: the same engines on the main thread.
    const [faceModels, documentModels] = await Promise.all([loadFaceModels(), loadDocumentModels()]);
    services.setEngines({ face: createFaceEngine(faceModels), document: createDocumentEngine(documentModels) });
    await measure('face', endpoints.face, [2], 'main thread');
    await measure('document', endpoints.document, [2], 'main thread');
    console.log(`peak RSS: ${peakRssMb().toFixed(0)} MB`);
  } finally {
    agent.destroy();
    probeAgent.destroy();
    await app.close();
    await bare.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
