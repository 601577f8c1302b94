/**
 * The README's quick start, run as written: the shell block between the quick-start markers of
 * README.md is the one the service prints at start-up (src/server/quick-start.ts), and bash runs
 * it against the real service started as the README does, `npm start` (the production bundle;
 * real engines, a temp DATA_DIR) on real images: a generated
 * passport specimen (test/fixtures/documents) and a selfie derived from the MIT-licensed face-api
 * demo photo (test/helpers/face-images.ts), written to a scratch directory under .tmp/ (git-ignored)
 * as `passport.jpg` and `selfie.jpg`. Only the service's URL is substituted (the test's free port).
 * Then the iframe: a tenant made as the README makes it (return origin only; the frame origin
 * follows) and the spec's example parent page on that origin, in Chromium: the applicant uploads
 * the same two photos in the iframe and the parent receives the completion event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { quickStart } from '../../src/server/quick-start.js';
import { selfie } from '../helpers/face-images.js';

const root = new URL('../..', import.meta.url).pathname;
const DEFAULT_BASE = 'http://localhost:3000';

/** The ```sh block after the quick-start:begin marker of README.md. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /<!-- quick-start:begin[^>]*-->\n```sh\n([\s\S]*?)```\n<!-- quick-start:end -->/.exec(readme);
  if (!m) throw new Error('README.md has no quick-start block');
  return m[1]!;
}

let dataDir: string;
let workDir: string;
let proc: ChildProcess;
let base: string;
let output = '';

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'idv-readme-'));
  mkdirSync(join(root, '.tmp'), { recursive: true });
  workDir = mkdtempSync(join(root, '.tmp', 'readme-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', PUBLIC_BASE_URL: base, LOG_LEVEL: 'warn', JWT_SECRET: '' };
  // As the README starts it: `npm start` (the production bundle, plain node).
  proc = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`service not ready in time:\n${output}`);
    if (proc.exitCode !== null) throw new Error(`service exited:\n${output}`);
    try {
      if ((await fetch(`${base}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
});

after(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

test('the README quick start is the banner one, for the default URL', () => {
  assert.equal(readmeQuickStart(), quickStart(DEFAULT_BASE));
  assert.match(output, /passport\.jpg and selfie\.jpg/);
  for (const line of quickStart(base).trimEnd().split('\n')) assert.ok(output.includes(`    ${line}\n`), `the banner prints: ${line}`);
  assert.doesNotMatch(readmeQuickStart(), /base64 -w0|\$\(base64/, 'no image in argv');
});

test('the README quick start, pasted into bash, completes a session and reads its result', { timeout: 300_000 }, async () => {
  copyFileSync(join(root, 'test/fixtures/documents/uto_passport_scan.jpg'), join(workDir, 'passport.jpg'));
  writeFileSync(join(workDir, 'selfie.jpg'), await selfie());
  const script = readmeQuickStart().replaceAll(DEFAULT_BASE, base);
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: workDir, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 0, `bash failed:\n${stderr}\n${stdout}`);
  assert.match(stderr, /may show the capture page in an iframe: http:\/\/localhost:8080 \(the return origins/, 'frame origins default and are printed');

  const lines = stdout.split('\n');
  assert.deepEqual(JSON.parse(lines[0]!), { hasError: false, isTwoSideDocument: false, pageSide: 'FRONT', country: 'UTO', type: 'PASSPORT' });
  assert.deepEqual(JSON.parse(lines[1]!), { hasError: false });
  assert.deepEqual(JSON.parse(lines[2]!), { hasError: false, customerReturnUrl: 'http://localhost:8080/done' });
  const result = JSON.parse(lines.slice(3).join('\n')) as { status: string; verification: string; decision: string; reasons: unknown[] };
  assert.equal(result.status, 'COMPLETED');
  assert.equal(typeof result.verification, 'string');
  assert.equal(typeof result.decision, 'string', JSON.stringify(result));
  assert.ok(Array.isArray(result.reasons));
});

test("the iframe on the tenant's own origin: a tenant made as the README does, the spec's parent page, a finished enrolment in Chromium", { timeout: 300_000 }, async () => {
  const parent = http.createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!DOCTYPE html><html><body>
<iframe id="f" src="${esc(src)}" style="width:70%;height:750px;" allow="camera"></iframe>
<script>
  window.received = [];
  window.addEventListener("message", (event) => window.received.push({ origin: event.origin, data: event.data }), false);
</script></body></html>`);
  });
  await new Promise<void>((r) => parent.listen(0, '127.0.0.1', r));
  const parentOrigin = `http://localhost:${(parent.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });
  try {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'tenant', '--', 'create', '--name', 'shop', '--return-origin', parentOrigin], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
    });
    const t = JSON.parse(stdout.trim().split('\n').pop()!) as { username: string; password: string; settings: { allowedFrameOrigins: string[] } };
    assert.deepEqual(t.settings.allowedFrameOrigins, [parentOrigin]);
    const init = await fetch(`${base}/api/v1/enrolment/initialize`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ returnUrl: `${parentOrigin}/done` }),
    });
    const s = (await init.json()) as { sessionId: string; webEnrolmentUrl: string };
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${parentOrigin}/?src=${encodeURIComponent(`${s.webEnrolmentUrl}&iframe=true&crossDevice=false&lang=en-US`)}`);
    const frame = page.frameLocator('#f');
    await frame.locator('[data-screen="capture"][data-step="DOCUMENT_FRONT"] #upload-input').setInputFiles({
      name: 'passport.jpg', mimeType: 'image/jpeg', buffer: readFileSync(join(root, 'test/fixtures/documents/uto_passport_scan.jpg')),
    });
    await frame.locator('[data-screen="capture"][data-step="FACE"] #upload-input').setInputFiles({ name: 'selfie.jpg', mimeType: 'image/jpeg', buffer: await selfie() }, { timeout: 90_000 });
    await frame.locator('[data-screen="done"]').waitFor({ timeout: 90_000 });
    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0, null, { timeout: 15_000 });
    const received = await page.evaluate(() => (window as unknown as { received: unknown[] }).received);
    assert.deepEqual(received, [{ origin: new URL(base).origin, data: { sessionId: s.sessionId, hasCompleted: true, hasError: false } }]);
  } finally {
    await browser.close();
    await new Promise((r) => parent.close(r));
  }
});
