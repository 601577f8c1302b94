/**
 * Memory under concurrent large uploads: the service runs as `npm run dev` does (src/server/main.ts under tsx,
 * one vision worker with the real models, SQLite) in a child process; this process sends
 * UPLOADS_CONCURRENCY (default 60) concurrent POST /face bodies of ≈ 19.5 MB (a 14.6 MB noise JPEG
 * in base64, one shared Buffer, one token) and meanwhile probes /health every 100 ms on its own
 * connection from a separate process. Prints the server's RSS before, its peak (VmHWM) and the answers' statuses, and
 * /health's median and worst latency.
 * `npm run bench -- uploads`. UPLOADS_ROUNDS (default 2) repeats the burst; UPLOADS_NODE_FLAGS passes
 * flags to the server's node (e.g. `--trace-gc`; its stdout is then shown).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { median } from './stats.js';

const CONCURRENCY = Number(process.env.UPLOADS_CONCURRENCY ?? 60);
const ROUNDS = Number(process.env.UPLOADS_ROUNDS ?? 2);
const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function request(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': body.length } : headers, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', () => resolve({ status: -1, body: '' }));
    });
    req.on('error', (err) => resolve({ status: -1, body: String(err) }));
    req.end(body);
  });
}

/** VmRSS and VmHWM of a process, MB. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** GET /health every 100 ms on one keep-alive connection until stdin closes; prints each latency (ms). */
const PROBE = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let on = true;
process.stdin.on('end', () => (on = false)).resume();
(async () => {
  while (on) {
    const t0 = performance.now();
    await new Promise((r) => http.get({ host: '127.0.0.1', port: Number(process.argv[1]), path: '/health', agent }, (res) => { res.resume(); res.on('end', r); }).on('error', r));
    process.stdout.write((performance.now() - t0).toFixed(1) + ' ');
    await new Promise((r) => setTimeout(r, 100));
  }
  agent.destroy();
})();`;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-bench-uploads-'));
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', VISION_WORKERS: '1' };
  const child = spawn(process.execPath, [...(process.env.UPLOADS_NODE_FLAGS ? process.env.UPLOADS_NODE_FLAGS.split(' ') : []), '--import', 'tsx', join(root, 'src/server/main.ts')], { env, stdio: ['ignore', process.env.UPLOADS_NODE_FLAGS ? 'inherit' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      const r = await request(port, 'GET', '/ready', {});
      if (r.status === 200) break;
      if (i > 600) throw new Error('server not ready after 120 s');
      await new Promise((res) => setTimeout(res, 200));
    }
    const cli = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/tenant.ts'), 'create', '--name', 'bench', '--return-origin', 'https://shop.example.com'], { env, encoding: 'utf8' });
    const lines = cli.stdout.trim().split('\n');
    const creds = JSON.parse(lines[lines.length - 1]!) as { username: string; password: string };
    const basic = { authorization: `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` };
    const init = await request(port, 'POST', '/api/v1/enrolment/initialize', basic, Buffer.from(JSON.stringify({ returnUrl: 'https://shop.example.com/done' })));
    const bearer = { authorization: `Bearer ${(JSON.parse(init.body) as { accessToken: string }).accessToken}` };

    // ≈ 14.6 MB of JPEG (noise does not compress) → ≈ 19.5 MB of base64.
    const jpeg = await sharp(randomBytes(2600 * 1930 * 3), { raw: { width: 2600, height: 1930, channels: 3 } })
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .toBuffer();
    const body = Buffer.from(JSON.stringify({ imageBase: jpeg.toString('base64') }));
    const before = rssOf(child.pid!);
    console.log(`body ${(body.length / 1e6).toFixed(1)} MB (JPEG ${(jpeg.length / 1e6).toFixed(1)} MB); server RSS before: ${before.rss.toFixed(0)} MB`);

    for (let round = 1; round <= ROUNDS; round++) {
      // The /health probe runs in its own process: this one is busy writing 60 bodies.
      const prober = spawn(process.execPath, ['-e', PROBE, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
      let probeOut = '';
      prober.stdout.on('data', (c: Buffer) => (probeOut += c.toString()));
      let busy = true;
      let maxRss = 0;
      const sampler = (async () => {
        while (busy) {
          maxRss = Math.max(maxRss, rssOf(child.pid!).rss);
          await new Promise((res) => setTimeout(res, 100));
        }
      })();
      const t0 = performance.now();
      const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => request(port, 'POST', '/api/v1/enrolment/face', bearer, body)));
      const seconds = (performance.now() - t0) / 1000;
      busy = false;
      await sampler;
      prober.stdin.end();
      await new Promise((res) => prober.once('exit', res));
      const health = probeOut.trim().split(/\s+/).filter(Boolean).map(Number);
      const statuses = new Map<string, number>();
      for (const r of results) {
        const code = r.status === -1 ? `connection error (${r.body})` : `${r.status} ${(JSON.parse(r.body || '{}') as { error?: string }).error ?? 'ok'}`;
        statuses.set(code, (statuses.get(code) ?? 0) + 1);
      }
      const { hwm } = rssOf(child.pid!);
      console.log(
        `round ${round}: ${CONCURRENCY} concurrent uploads in ${seconds.toFixed(1)} s → ${[...statuses].map(([k, n]) => `${n} × ${k}`).join(', ')} · ` +
          `server RSS max sampled ${maxRss.toFixed(0)} MB, peak (VmHWM) ${hwm.toFixed(0)} MB · /health p50 ${median(health).toFixed(0)} ms, max ${Math.max(...health).toFixed(0)} ms (${health.length} probes)`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((res) => child.once('exit', res));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
