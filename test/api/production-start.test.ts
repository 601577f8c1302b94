/**
 * The production start as the README runs it: `npm start` builds the bundle (prestart →
 * scripts/build-server.ts) and runs plain `node dist/server/main.js` — no tsx — as npm's direct
 * child (the start script execs), so a SIGTERM or SIGINT sent to the `npm start` process reaches
 * the service, which shuts down gracefully; nothing is left running. Resources located from the
 * bundle are exercised: the models (ready), the migrations (a fresh DATA_DIR), the capture page's
 * assets (built from src/web at start-up, compressed), the console's CSS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, fn: () => Promise<boolean> | boolean, ms: number, log: () => string) {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`${what} not in time:\n${log().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`npm start runs the bundle with plain node; ${signal} to npm stops the service`, { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'idv-start-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_BASE_URL: base, LOG_LEVEL: 'info', JWT_SECRET: '' };
    const npm = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    npm.stdout.on('data', (c: Buffer) => (output += c.toString()));
    npm.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
    let serverPid = 0;
    try {
      await until('ready', async () => (await fetch(`${base}/ready`).catch(() => null))?.status === 200, 180_000, () => output);
      // The service is npm's direct child, plain node on the bundle.
      const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(npm.pid)], { encoding: 'utf8' }).trim().split('\n');
      assert.equal(children.length, 1, children.join('\n'));
      const [pid, ...args] = children[0]!.trim().split(/\s+/);
      serverPid = Number(pid);
      assert.match(args.join(' '), /^node .*dist\/server\/main\.js$/);
      assert.doesNotMatch(args.join(' '), /tsx/);
      assert.ok(existsSync(join(root, 'dist/server/vision-worker.js')));
      assert.ok(existsSync(join(root, 'dist/server/vision-node.js')));
      assert.deepEqual(
        readdirSync(join(root, 'dist/server/migrations')).filter((f) => f.endsWith('.js')).sort(),
        readdirSync(join(root, 'src/server/store/migrations')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '.js')).sort(),
      );

      const page = await fetch(`${base}/web-enrolment/?token=x`);
      assert.equal(page.status, 200);
      const css = /href="(\/web-enrolment\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(await page.text())?.[1];
      assert.ok(css);
      const asset = await fetch(`${base}${css}`, { headers: { 'accept-encoding': 'br' } });
      assert.equal(asset.headers.get('content-encoding'), 'br');
      const consoleCss = await fetch(`${base}/console/assets/console.css`);
      assert.equal(consoleCss.status, 200);
      assert.ok((await consoleCss.text()).length > 100);

      assert.ok(npm.kill(signal));
      assert.equal(await exited, 0, output);
      await until('the service gone', () => !alive(serverPid), 20_000, () => output);
      await assert.rejects(fetch(`${base}/health`), 'nothing listens any more');
      assert.match(output, new RegExp(`"signal":"${signal}".*shutting down`));
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
      if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
