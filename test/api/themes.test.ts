/**
 * Per-tenant web page themes (server/session/themes.ts): the WCAG contrast rule, validation of
 * every field, the served stylesheet (custom properties only), the `tenant theme` CLI, and
 * initialize's `webEnrolmentTheme` stored with the session on both stores (SQLite, PostgreSQL).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { contrast, contrastPairs, hoverShade, themeCss, validateTheme, type WebTheme } from '../../src/server/session/themes.js';
import { createTestTenant, openSession, startTestService } from '../helpers/service.js';

const good: WebTheme = {
  colors: { primary: '#0B6E4F', onPrimary: '#ffffff', background: '#ffffff', text: '#1b1b1f' },
  cornerRadiusPx: 4,
  fontStack: '"Georgia", serif',
  logo: null,
};

test('contrast: the WCAG formula (white on black 21:1, the page defaults as documented in styles.css)', () => {
  assert.equal(Math.round(contrast('#ffffff', '#000000') * 10) / 10, 21);
  assert.equal(Math.round(contrast('#1b1b1f', '#ffffff') * 10) / 10, 17.2);
  assert.equal(Math.round(contrast('#ffffff', '#0b57d0') * 10) / 10, 6.4);
  assert.equal(contrast('#777777', '#777777'), 1);
});

test('validateTheme: normalises a good theme; refuses each pair below AA with its ratio, bad colours, radius, fonts, logos', async () => {
  const v = validateTheme(good);
  assert.equal(v.colors.primary, '#0b6e4f');
  assert.ok(contrastPairs(v).every((p) => p.ratio >= 4.5));
  // Yellow buttons with white text: below AA, refused with the pair named.
  assert.throws(() => validateTheme({ ...good, colors: { ...good.colors, primary: '#f5c400' } }), /onPrimary on primary 1\.[0-9]+:1.*primary on background/);
  assert.throws(() => validateTheme({ ...good, colors: { ...good.colors, text: '#999999' } }), /text on background 2\.85:1/);
  assert.throws(() => validateTheme({ ...good, colors: { ...good.colors, background: '#000000', text: '#ffffff' } }), /error text on background/);
  assert.throws(() => validateTheme({ ...good, colors: { ...good.colors, primary: 'red' } }), /colour primary must be #rrggbb/);
  assert.throws(() => validateTheme({ ...good, colors: { ...good.colors, primary: '#0b6e4f; } body { display: none' } }), /#rrggbb/);
  assert.throws(() => validateTheme({ ...good, cornerRadiusPx: 40 }), /corner radius/);
  assert.throws(() => validateTheme({ ...good, fontStack: 'x; } :root { --bg: url(https://evil.example/)' }), /font stack/);
  assert.throws(() => validateTheme({ ...good, logo: { contentType: 'image/png', base64: Buffer.from('<svg/>').toString('base64') } }), /not image\/png/);
  assert.throws(() => validateTheme({ ...good, logo: { contentType: 'image/svg+xml' as 'image/png', base64: 'PHN2Zy8+' } }), /PNG, JPEG or WebP/);
  const png = await sharp({ create: { width: 120, height: 40, channels: 3, background: '#0b6e4f' } }).png().toBuffer();
  assert.equal(validateTheme({ ...good, logo: { contentType: 'image/png', base64: png.toString('base64') } }).logo?.contentType, 'image/png');
  assert.throws(() => validateTheme({ ...good, logo: { contentType: 'image/png', base64: Buffer.alloc(200_000, 1).toString('base64') } }), /logo must be/);
});

test('themeCss: custom properties on :root only, from the validated values', () => {
  const css = themeCss(validateTheme(good));
  assert.match(css, /^\/\* tenant theme \*\/\n:root \{\n/);
  assert.match(css, /--primary: #0b6e4f;/);
  assert.match(css, new RegExp(`--primary-hover: ${hoverShade('#0b6e4f')};`));
  assert.match(css, /--radius: 4px;/);
  assert.match(css, /--font: "Georgia", serif;/);
  assert.equal((css.match(/\{/g) ?? []).length, 1, 'one rule');
  assert.doesNotMatch(css, /url\(|@import|expression/i);
});

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;

test('tenant theme CLI: adds a theme with a logo and makes it the default; refuses low contrast (exit 2) with the pairs; removes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-theme-cli-'));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  const cli = async (...args: string[]) => {
    const { stdout } = await run('npm', ['run', '--silent', 'tenant', '--', ...args], { cwd: root, env });
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]!) as { tenantId: string; settings: { themes?: Record<string, { logo: unknown; colors: Record<string, string> }>; defaultTheme?: string | null } };
  };
  try {
    const t = await cli('create', '--name', 'Green Bank', '--return-origin', 'https://bank.example');
    const logo = join(dataDir, 'logo.png');
    writeFileSync(logo, await sharp({ create: { width: 120, height: 40, channels: 3, background: '#0b6e4f' } }).png().toBuffer());
    const set = await cli('theme', '--id', t.tenantId, '--theme', 'green', '--primary', '#0b6e4f', '--on-primary', '#ffffff', '--background', '#ffffff', '--text', '#1b1b1f', '--radius', '4', '--font', '"Georgia", serif', '--logo', logo, '--default');
    assert.equal(set.settings.defaultTheme, 'green');
    assert.equal(set.settings.themes?.green?.colors.primary, '#0b6e4f');
    assert.deepEqual(set.settings.themes?.green?.logo, { contentType: 'image/png', bytes: statSync(logo).size }, 'printed as type and size, not bytes');
    const refused = await run('npm', ['run', '--silent', 'tenant', '--', 'theme', '--id', t.tenantId, '--theme', 'yellow', '--primary', '#f5c400', '--on-primary', '#ffffff', '--background', '#ffffff', '--text', '#1b1b1f'], { cwd: root, env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(refused?.code, 2);
    assert.match(refused?.stderr ?? '', /contrast below WCAG AA \(4\.5:1\): onPrimary on primary 1\.\d+:1/);
    const removed = await cli('theme', '--id', t.tenantId, '--theme', 'green', '--remove');
    assert.deepEqual(removed.settings.themes, {});
    assert.equal(removed.settings.defaultTheme, null);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

for (const postgres of [false, true]) {
  test(`initialize webEnrolmentTheme (${postgres ? 'PostgreSQL' : 'SQLite'}): stored with the session; an unknown name → 400 THEME_NOT_FOUND; the stylesheet is served`, async () => {
    const svc = await startTestService({ postgres });
    try {
      const t = await createTestTenant(svc.store, { themes: { green: validateTheme(good) }, defaultTheme: null });
      const s = await openSession(svc.app, t, { webEnrolmentTheme: 'green' });
      assert.equal((await svc.store.sessions.get(s.sessionId))?.webTheme, 'green');
      const plain = await openSession(svc.app, t);
      assert.equal((await svc.store.sessions.get(plain.sessionId))?.webTheme, null);
      const bad = await svc.app.inject({
        method: 'POST', url: '/api/v1/enrolment/initialize', headers: { authorization: t.basic },
        payload: { returnUrl: 'https://shop.example.com/r', webEnrolmentTheme: 'pink' },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().hasError, true);
      assert.equal(bad.json().error, 'THEME_NOT_FOUND');
      // The page's config names the stylesheet; it is served, text/css, cacheable.
      const page = await svc.app.inject({ url: `/web-enrolment/?token=${s.accessToken}` });
      const cfg = JSON.parse(/<script type="application\/json" id="enrolment-config">(.*?)<\/script>/s.exec(page.body)![1]!) as { theme: { css: string; logo: string | null } };
      assert.match(cfg.theme.css, new RegExp(`^/web-enrolment/themes/${t.tenant.id}/green\\.[0-9a-f]{12}\\.css$`));
      assert.equal(cfg.theme.logo, null);
      const css = await svc.app.inject({ url: cfg.theme.css });
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.match(String(css.headers['cache-control']), /immutable/);
      assert.match(css.body, /--primary: #0b6e4f;/);
      assert.equal((await svc.app.inject({ url: cfg.theme.css.replace('green', 'pink') })).statusCode, 404);
      assert.equal((await svc.app.inject({ url: cfg.theme.css.replace('.css', '.logo') })).statusCode, 404);
      const plainPage = await svc.app.inject({ url: `/web-enrolment/?token=${plain.accessToken}` });
      assert.match(plainPage.body, /"theme":null/);
    } finally {
      await svc.close();
    }
  });
}
