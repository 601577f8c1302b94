/**
 * `npm run bench -- load` (issue #17): the deployment of docs/operations.md on this machine —
 * two service nodes (separate processes, `src/server/main.ts`, real models, one vision worker
 * thread each) on one PostgreSQL, on loopback only, bounded in size and time.
 *  1. LOAD_N enrolments (initialize → passport page → selfie → complete), LOAD_CONCURRENCY at a
 *     time, each request sent to the next node in turn (as a round-robin load balancer does):
 *     enrolments per minute, p50/p99 per endpoint, CPU seconds per enrolment (the two node
 *     processes, worker threads included, from /proc; PostgreSQL's backends alongside, which on
 *     this shared machine also count other clients), RSS per process.
 *  2. Initialize through node A against a bare Fastify route in its own process (same JSON, a
 *     constant answer), alternating rounds: the ratio.
 *  1b. The same enrolments through the shared vision queue (VISION_QUEUE=database): two API nodes
 *     without vision threads and k separate vision worker processes (`src/server/vision-node.ts`,
 *     one thread each), for each k of LOAD_VISION_WORKERS (default "1,2"; "0" skips): the same
 *     figures, per process — how capacity follows the vision processes.
 *  3. Maintenance: LOAD_MAINT_N backdated sessions expired by two claimers (each its own pool, as
 *     two nodes): sessions per minute between them, each claimed once (counted).
 *  4. Outbox: LOAD_EVENTS webhook events through two workers (each its own pool) to a receiver on
 *     127.0.0.1 that refuses a third of first attempts: duplicate attempts (counted), drain time.
 * Environment: LOAD_N (default 24), LOAD_CONCURRENCY (4), LOAD_VISION_WORKERS (1,2), LOAD_MAINT_N
 * (3000), LOAD_EVENTS (5000), LOAD_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: a database
 * `idv_load_<time>` is created there and dropped at the end).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sharp from 'sharp';
import { generatePassword, generateUsername, hashPassword } from '../src/server/session/credentials.js';
import { DEFAULT_TENANT_SETTINGS } from '../src/server/session/tenant-settings.js';
import type { Session } from '../src/server/session/types.js';
import { Keyring, parseKeys } from '../src/server/store/encryption.js';
import { openStore, type Store } from '../src/server/store/index.js';
import { outboxInsert, verificationRepo } from '../src/server/store/verification.js';
import { webhookRepo } from '../src/server/store/webhooks.js';
import { expireSessions } from '../src/server/verification/maintenance.js';
import { makeEvent } from '../src/server/webhook/events.js';
import { createWebhookPoster } from '../src/server/webhook/post.js';
import { createWebhookWorker } from '../src/server/webhook/worker.js';
import { faceApiSample } from '../test/helpers/face-images.js';
import { median, quantile } from './stats.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.LOAD_N ?? 24);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 4);
const MAINT_N = Number(process.env.LOAD_MAINT_N ?? 3000);
const EVENTS = Number(process.env.LOAD_EVENTS ?? 5000);
/** Part 1b is run once per count of vision worker processes listed (e.g. "1,2"; "0" or "" skips it). */
const VISION_PROCS = (process.env.LOAD_VISION_WORKERS ?? '1,2').split(',').map(Number).filter((k) => k > 0);
const ADMIN_URL = process.env.LOAD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** The whole bench is killed after this long (bounded). */
const HARD_LIMIT_MS = 15 * 60_000;

interface Res {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function request(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const h = body !== undefined ? { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : headers;
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** utime + stime of a process and all its threads, seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ = 100 on Linux
}

function memMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** CPU seconds of every PostgreSQL process on the machine (backends, WAL writer…). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

interface Node {
  name: string;
  port: number;
  child: ChildProcess;
  log: string[];
}

function startNode(name: string, port: number, env: Record<string, string>): Node {
  return { ...startProcess(name, 'src/server/main.ts', { ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: `http://127.0.0.1:${port}` }), port };
}

/** A process of the service under tsx (an API node, or a vision worker: `port` 0, no HTTP). */
function startProcess(name: string, entry: string, env: Record<string, string>): Node {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const keep = (c: Buffer) => {
    log.push(c.toString().slice(0, 2000));
    if (log.length > 50) log.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, port: 0, child, log };
}

async function waitReady(n: Node, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (n.child.exitCode !== null) throw new Error(`${n.name} exited: ${n.log.join('').slice(-1500)}`);
    try {
      if ((await request(n.port, 'GET', '/ready', {})).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${n.name} not ready after ${ms} ms`);
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function bareFastify(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const code = `
    const Fastify = require('fastify');
    const app = Fastify();
    app.post('/bare', async (req) => { JSON.stringify(req.body); return { hasError: false, accessToken: 'x'.repeat(300), sessionId: '00000000-0000-4000-8000-000000000000' }; });
    app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const child = spawn(process.execPath, ['-e', code], { cwd: repo, stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    try {
      if ((await request(port, 'POST', '/bare', {}, '{}')).status === 200) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, child };
}

async function throughput(fn: () => Promise<Res>, connections: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const r = await fn();
        if (r.status !== 200) throw new Error(`request failed: ${r.status} ${r.body.slice(0, 200)}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

export async function run(): Promise<void> {
  const killer = setTimeout(() => {
    console.log('load bench: hard time limit reached');
    process.exit(2);
  }, HARD_LIMIT_MS);
  killer.unref();
  const dbName = `idv_load_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-load-'));
  const keyText = randomBytes(32).toString('base64');
  const keyring = new Keyring(parseKeys(keyText));
  const nodes: Node[] = [];
  const children: ChildProcess[] = [];
  const stores: Store[] = [];
  try {
    // The database, migrated, and a tenant (passport + selfie).
    const store = await openStore({ databaseUrl: dbUrl, dataDir: join(dataDir, 'bench'), keyring });
    stores.push(store);
    const username = generateUsername();
    const password = generatePassword();
    const tenantId = randomUUID();
    await store.tenants.insert({
      id: tenantId,
      name: 'Load',
      username,
      passwordHash: await hashPassword(password),
      settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: ['https://shop.example.com'], steps: ['document', 'face'] },
      disabledAt: null,
      createdAt: Date.now(),
    });
    const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

    // The session rate limit off: part 2 opens thousands of sessions a minute from one address.
    const env = { DATABASE_URL: dbUrl, DATA_ENCRYPTION_KEY: keyText, LOG_LEVEL: 'warn', VISION_WORKERS: '1', DATABASE_POOL_SIZE: '10', SESSION_RATE_LIMIT: '0' };
    const passport = readFileSync(join(repo, 'test/fixtures/documents/uto_passport_scan.jpg')).toString('base64');
    const face = (await sharp(await faceApiSample(1)).extract({ left: 700, top: 200, width: 580, height: 760 }).jpeg({ quality: 90 }).toBuffer()).toString('base64');

    /** N enrolments through `api` (round-robin), measured over every process of the topology. */
    const enrolments = async (title: string, api: Node[], workers: Node[]) => {
      const all = [...api, ...workers];
      const t0 = performance.now();
      for (const n of api) await waitReady(n, 240_000);
      console.log(`\n### ${title}`);
      console.log(`ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (models loaded in each vision process); PostgreSQL database ${dbName}`);
      const startMem = all.map((n) => memMb(n.child.pid!));
      let rr = 0;
      const next = () => api[rr++ % api.length]!;
      const lat: Record<string, number[]> = { initialize: [], document: [], face: [], complete: [] };
      const timed = async (name: string, fn: (n: Node) => Promise<Res>) => {
        const n = next();
        const s = performance.now();
        const r = await fn(n);
        lat[name]!.push(performance.now() - s);
        if (r.status !== 200) throw new Error(`${name} on ${n.name}: ${r.status} ${r.body.slice(0, 300)}`);
        return r;
      };
      const enrol = async () => {
        const init = await timed('initialize', (n) => request(n.port, 'POST', '/api/v1/enrolment/initialize', { authorization: basic }, JSON.stringify({ returnUrl: 'https://shop.example.com/done' })));
        const token = (JSON.parse(init.body) as { accessToken: string }).accessToken;
        const bearer = { authorization: `Bearer ${token}` };
        await timed('document', (n) => request(n.port, 'POST', '/api/v1/enrolment/document', bearer, JSON.stringify({ imageBase: passport })));
        await timed('face', (n) => request(n.port, 'POST', '/api/v1/enrolment/face', bearer, JSON.stringify({ imageBase: face })));
        await timed('complete', (n) => request(n.port, 'POST', '/api/v1/enrolment/complete', bearer));
      };
      // Warm-up enrolments (first OCR allocations in each vision process), not counted.
      await Promise.all(Array.from({ length: Math.max(2, workers.length) }, () => enrol()));
      for (const k of Object.keys(lat)) lat[k] = [];
      const decided0 = Number((await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM verification_results WHERE status <> 'EXPIRED'`))!.n);

      const cpu0 = all.map((n) => cpuSeconds(n.child.pid!));
      const pg0 = postgresCpuSeconds();
      const w0 = performance.now();
      let left = N;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left > 0) {
            left--;
            await enrol();
          }
        }),
      );
      const wallS = (performance.now() - w0) / 1000;
      const cpu = all.map((n, i) => cpuSeconds(n.child.pid!) - cpu0[i]!);
      const pgCpu = postgresCpuSeconds() - pg0;
      const decided = Number((await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM verification_results WHERE status <> 'EXPIRED'`))!.n) - decided0;
      console.log(`${N} enrolments (passport page + selfie), concurrency ${CONCURRENCY}, requests round-robin over ${api.length} API nodes`);
      console.log(`wall ${wallS.toFixed(1)} s → ${((N / wallS) * 60).toFixed(1)} enrolments/minute; ${decided} sessions decided`);
      console.log('| endpoint | p50 | p99 | max |');
      console.log('|---|---|---|---|');
      for (const [k, v] of Object.entries(lat)) console.log(`| ${k} | ${fmt(quantile(v, 0.5))} | ${fmt(quantile(v, 0.99))} | ${fmt(Math.max(...v))} |`);
      const procCpu = cpu.reduce((a, b) => a + b, 0);
      console.log(`CPU: ${all.map((n, i) => `${n.name} ${cpu[i]!.toFixed(1)}`).join(' + ')} s = ${(procCpu / N).toFixed(2)} CPU-s per enrolment; PostgreSQL processes ${pgCpu.toFixed(1)} s = ${(pgCpu / N).toFixed(3)} CPU-s per enrolment (machine-wide)`);
      console.log(`cores busy during the run: ${((procCpu + pgCpu) / wallS).toFixed(2)} of 2 (machine load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
      for (const [i, n] of all.entries()) {
        const m = memMb(n.child.pid!);
        console.log(`RSS ${n.name}: ${startMem[i]!.rss.toFixed(0)} MB when ready, ${m.rss.toFixed(0)} MB after, peak ${m.peak.toFixed(0)} MB`);
      }
      const metrics = (await request(api[0]!.port, 'GET', '/metrics', {})).body;
      const line = (name: string) => metrics.split('\n').find((l) => l.startsWith(name)) ?? `${name} ?`;
      console.log(`${api[0]!.name} /metrics: ${line('idv_db_pool_connections')}; ${line('idv_vision_queue_waiting')}${workers.length ? `; ${line('idv_vision_consumers_live')}; ${line('idv_vision_shared_queued')}` : ''}`);
    };

    // 1. Two nodes, each with its own vision thread (the default topology).
    for (const name of ['node A', 'node B']) {
      const n = startNode(name, await freePort(), { ...env, DATA_DIR: join(dataDir, name.replace(' ', '-')) });
      nodes.push(n);
      children.push(n.child);
    }
    await enrolments('1. two nodes, one vision thread each (VISION_QUEUE=local)', nodes, []);
    const blobs = await store.db.get<{ bytes: number; sessions: number }>(`SELECT SUM(octet_length(bytes)) AS bytes, COUNT(DISTINCT session_id) AS sessions FROM image_blobs`);
    console.log(`stored images: ${(Number(blobs!.bytes) / Number(blobs!.sessions) / 1e6).toFixed(2)} MB per session (encrypted blobs, until the retention purge)`);

    // 2. initialize vs bare Fastify, alternating 3 rounds of 3 s, 8 connections.
    const bare = await bareFastify();
    children.push(bare.child);
    const initRates: number[] = [];
    const bareRates: number[] = [];
    const body = JSON.stringify({ returnUrl: 'https://shop.example.com/done' });
    for (let round = 0; round < 3; round++) {
      bareRates.push(await throughput(() => request(bare.port, 'POST', '/bare', { authorization: basic }, body), 8, 3000));
      initRates.push(await throughput(() => request(nodes[0]!.port, 'POST', '/api/v1/enrolment/initialize', { authorization: basic }, body), 8, 3000));
    }
    bare.child.kill();
    console.log(`\n### 2. initialize on node A: ${median(initRates).toFixed(0)} req/s; bare Fastify route ${median(bareRates).toFixed(0)} req/s → ratio ${(median(initRates) / median(bareRates)).toFixed(2)}× (medians of 3 rounds)`);
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => new Promise((r) => (n.child.exitCode !== null ? r(null) : n.child.on('exit', r)))));

    // 1b. The same load through the shared vision queue: API nodes without vision threads, and
    // LOAD_VISION_WORKERS separate vision worker processes (one thread each).
    for (const k of VISION_PROCS) {
      const api: Node[] = [];
      const vision: Node[] = [];
      for (const name of ['api A', 'api B']) {
        const n = startNode(name, await freePort(), { ...env, VISION_QUEUE: 'database', VISION_WORKERS: '0', DATA_DIR: join(dataDir, name.replace(' ', '-')) });
        api.push(n);
        children.push(n.child);
      }
      for (let i = 0; i < k; i++) {
        const w = startProcess(`vision ${i + 1}`, 'src/server/vision-node.ts', { ...env, VISION_WORKERS: '1', DATA_DIR: join(dataDir, `vision-${i + 1}`) });
        vision.push(w);
        children.push(w.child);
      }
      nodes.push(...api, ...vision);
      // Ready means one consumer alive: wait for all k before measuring.
      for (let i = 0; i < 480; i++) {
        const m = (await request(api[0]!.port, 'GET', '/metrics', {}).catch(() => ({ status: 0, body: '' }))).body;
        if (new RegExp(`^idv_vision_consumers_live ${k}$`, 'm').test(m)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      await enrolments(`1b. two API nodes without vision threads + ${k} vision worker process${k > 1 ? 'es' : ''}, one thread each (VISION_QUEUE=database)`, api, vision);
      for (const n of [...api, ...vision]) n.child.kill('SIGTERM');
      await Promise.all([...api, ...vision].map((n) => new Promise((r) => (n.child.exitCode !== null ? r(null) : n.child.on('exit', r)))));
    }

    // 3. Maintenance by two claimers.
    const claimers = [store, await openStore({ databaseUrl: dbUrl, dataDir: join(dataDir, 'bench2'), keyring })];
    stores.push(claimers[1]!);
    const old = Date.now() - 30 * 86_400_000;
    const rows: Session[] = Array.from({ length: MAINT_N }, (_, i) => ({
      id: randomUUID(), tenantId, externalId: null, returnUrl: 'https://shop.example.com/done', applicantForm: null, skipIntegrityCheck: false,
      steps: ['document', 'face'], status: 'CREATED', documentState: 'NONE', frontCaptureId: null, backCaptureId: null, faceCaptureId: null,
      version: 0, createdAt: old + i, updatedAt: old + i, completedAt: null, tokenGeneration: randomUUID(),
    }));
    for (let i = 0; i < rows.length; i += 200) await Promise.all(rows.slice(i, i + 200).map((s) => store.sessions.insert(s)));
    const m0 = performance.now();
    const counts = await Promise.all(
      claimers.map((s) => expireSessions({ store: s, verification: verificationRepo(s.db), webhooks: webhookRepo(s.db), now: Date.now, newId: randomUUID }, 14 * 86_400_000)),
    );
    const mS = (performance.now() - m0) / 1000;
    const expired = await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM verification_results WHERE status = 'EXPIRED'`);
    console.log(`\n### 3. maintenance: ${MAINT_N} backdated sessions expired by two claimers in ${mS.toFixed(1)} s → ${((MAINT_N / mS) * 60).toFixed(0)} sessions/minute`);
    console.log(`claimed ${counts.map((c) => c.claimed).join(' + ')} = ${counts[0]!.claimed + counts[1]!.claimed}, expired ${counts.map((c) => c.applied).join(' + ')}; EXPIRED results ${Number(expired!.n)} (each session once: ${Number(expired!.n) === MAINT_N && counts[0]!.claimed + counts[1]!.claimed === MAINT_N})`);

    // 4. Outbox: EVENTS events, two workers, a receiver refusing a third of first attempts.
    const hits = new Map<string, number>();
    const refused = new Set<string>();
    const rx = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['x-idv-event-id']);
        hits.set(id, (hits.get(id) ?? 0) + 1);
        if (!refused.has(id) && /^[0-4]/.test(id)) {
          refused.add(id);
          res.writeHead(500).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rx.listen(0, '127.0.0.1', r));
    const rxPort = (rx.address() as AddressInfo).port;
    await webhookRepo(store.db).setEndpoint(tenantId, `http://127.0.0.1:${rxPort}/hook`, 'whsec_load_0123456789', Date.now());
    const now = Date.now();
    const events = Array.from({ length: EVENTS }, () => outboxInsert(makeEvent(tenantId, 'session.decided', { sessionId: randomUUID(), externalId: null, status: 'AUTO_APPROVED' }, now)));
    for (let i = 0; i < events.length; i += 500) await store.db.batch(events.slice(i, i + 500));
    const workers = claimers.map((s) =>
      createWebhookWorker({
        webhooks: webhookRepo(s.db),
        post: createWebhookPoster({ addressPolicy: (ip) => ip === '127.0.0.1' }),
        now: Date.now,
        newId: randomUUID,
        // All events are one tenant's here: let it use the node's 32 slots.
        options: { baseDelayMs: 500, perTenantConcurrency: 32 },
      }),
    );
    const o0 = performance.now();
    let stop = false;
    const loops = workers.map(async (w) => {
      while (!stop) {
        await w.poll();
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    for (;;) {
      const r = await store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM webhook_outbox WHERE state <> 'DELIVERED'`);
      if (Number(r!.n) === 0 || performance.now() - o0 > 240_000) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    stop = true;
    await Promise.all(loops);
    await Promise.all(workers.map((w) => w.idle()));
    const oS = (performance.now() - o0) / 1000;
    const outbox = await store.db.all<{ id: string; state: string; attempts: number }>(`SELECT id, state, attempts FROM webhook_outbox`);
    let dup = 0;
    let attempts = 0;
    for (const e of outbox) {
      attempts += Number(e.attempts);
      dup += (hits.get(e.id) ?? 0) - Number(e.attempts);
    }
    const logged = await store.db.get<{ n: number; k: number }>(`SELECT COUNT(*) AS n, COUNT(DISTINCT event_id || ':' || attempt) AS k FROM webhook_deliveries`);
    console.log(`\n### 4. outbox: ${EVENTS} events, two workers (32 in flight each), a third refused once: all delivered ${outbox.every((e) => e.state === 'DELIVERED')} in ${oS.toFixed(1)} s`);
    console.log(`attempts ${attempts} (log rows ${Number(logged!.n)}, distinct (event, attempt) ${Number(logged!.k)}); requests received ${[...hits.values()].reduce((a, b) => a + b, 0)}; duplicate attempts ${dup}`);
    await new Promise((r) => rx.close(r));
  } catch (err) {
    for (const n of nodes) console.log(`--- ${n.name} log tail:\n${n.log.join('').slice(-1500)}`);
    throw err;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const s of stores) await s.close().catch(() => undefined);
    agent.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e: Error) => console.log(`drop ${dbName}: ${e.message}`));
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
