/** `npm run --silent tenant -- …` against a real SQLite store, then the credentials used over HTTP. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, createServices } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { openStore } from '../../src/server/store/index.js';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

async function cli(dataDir: string, ...args: string[]) {
  const { stdout } = await run('npm', ['run', '--silent', 'tenant', '--', ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

test('create prints credentials as the last JSON line; list, set, rotate, disable work and HTTP agrees', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-cli-'));
  try {
    const created = await cli(dataDir, 'create', '--name', 'Acme Bank', '--return-origin', 'https://bank.example/', '--frame-origin', 'https://bank.example');
    assert.equal(typeof created.tenantId, 'string');
    assert.match(created.username as string, /^tn_[0-9a-f]{16}$/);
    assert.equal((created.password as string).length >= 32, true);
    assert.deepEqual((created.settings as { allowedReturnOrigins: string[] }).allowedReturnOrigins, ['https://bank.example']);

    // Without --frame-origin, the return origins may frame the capture page (the iframe works at once).
    const defaulted = await cli(dataDir, 'create', '--name', 'Shop', '--return-origin', 'http://localhost:8080', '--return-origin', 'https://shop.example');
    assert.deepEqual((defaulted.settings as { allowedFrameOrigins: string[] }).allowedFrameOrigins, ['http://localhost:8080', 'https://shop.example']);
    const chosen = await cli(dataDir, 'create', '--name', 'Other', '--return-origin', 'https://a.example', '--frame-origin', 'https://b.example');
    assert.deepEqual((chosen.settings as { allowedFrameOrigins: string[] }).allowedFrameOrigins, ['https://b.example']);

    const listed = (await cli(dataDir, 'list')).tenants as Array<Record<string, unknown>>;
    assert.equal(listed.length, 3);
    assert.ok(listed.every((t) => t.password === undefined), 'list never shows a password');

    await cli(dataDir, 'set', '--id', created.tenantId as string, '--steps', 'face', '--token-lifetime', '900');
    const rotated = await cli(dataDir, 'rotate', '--id', created.tenantId as string);
    assert.notEqual(rotated.password, created.password);

    const config = loadConfig({ DATA_DIR: dataDir });
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir });
    const app = await buildApp(await createServices(config, store));
    try {
      const basic = (u: unknown, p: unknown) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      const init = (auth: string) =>
        app.inject({ method: 'POST', url: '/api/v1/enrolment/initialize', headers: { authorization: auth }, payload: { returnUrl: 'https://bank.example/back' } });
      assert.equal((await init(basic(created.username, created.password))).statusCode, 401, 'old password rotated away');
      const ok = await init(basic(rotated.username, rotated.password));
      assert.equal(ok.statusCode, 200);
      const payload = JSON.parse(Buffer.from(ok.json().accessToken.split('.')[1], 'base64url').toString());
      assert.equal(payload.exp - payload.nbf, 900);

      await cli(dataDir, 'disable', '--id', created.tenantId as string);
      assert.equal((await init(basic(rotated.username, rotated.password))).statusCode, 401);
    } finally {
      await app.close();
      await store.close();
    }

    await assert.rejects(cli(dataDir, 'create'), /--name is required/);
    await assert.rejects(cli(dataDir, 'create', '--name', 'x', '--return-origin', 'https://a.example/path'), /not an origin/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
