/**
 * `npm run bench -- web`: the capture page's weight as the applicant's browser downloads it —
 * JS + CSS, raw and gzipped (level 9, what a typical server/CDN sends) — against the budget of
 * 100 KB gzipped, plus the build time (median of 5 builds, esbuild in memory, as at start-up).
 * Baseline in the same run: the same bundle built with only the en-US messages, to show what
 * the 17 languages cost. Then the cold load as the service sends it (coldLoad below): the page and
 * its two assets with a browser's Accept-Encoding against the same requests without one.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BROWSER_TARGETS, buildWebAssets } from '../src/web/build.js';
import { median } from './stats.js';

export const BUDGET_GZIP_BYTES = 100 * 1024;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;

export async function run(): Promise<void> {
  const times: number[] = [];
  let assets = await buildWebAssets();
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    assets = await buildWebAssets();
    times.push(performance.now() - t0);
  }
  const js = assets.appJs.body;
  const css = assets.appCss.body;
  const total = gz(js) + gz(css);
  console.log(`capture page JS : ${kb(js.length)} raw, ${kb(gz(js))} gzipped (${assets.appJs.name})`);
  console.log(`capture page CSS: ${kb(css.length)} raw, ${kb(gz(css))} gzipped (${assets.appCss.name})`);
  console.log(`capture page JS+CSS gzipped: ${kb(total)} of a ${kb(BUDGET_GZIP_BYTES)} budget — ${total <= BUDGET_GZIP_BYTES ? 'within' : 'OVER'} budget (${((100 * total) / BUDGET_GZIP_BYTES).toFixed(0)} %)`);

  // Baseline: the same entry with every locale but en-US stubbed out (what 16 more languages cost).
  const englishOnly = await build({
    entryPoints: [new URL('../src/web/main.ts', import.meta.url).pathname],
    bundle: true, minify: true, format: 'esm', target: BROWSER_TARGETS, write: false, logLevel: 'silent', legalComments: 'none',
    plugins: [{
      name: 'english-only',
      setup(b) {
        b.onLoad({ filter: /i18n\/messages\/[a-z]{2}-[A-Z]{2}\.ts$/ }, (args) =>
          args.path.endsWith('en-US.ts') ? undefined : { contents: 'export default {};', loader: 'ts' });
      },
    }],
  });
  const enJs = englishOnly.outputFiles[0]!.contents;
  console.log(`baseline (en-US only) JS gzipped: ${kb(gz(enJs))}; the other 16 languages add ${kb(gz(js) - gz(enJs))} gzipped (ratio ${(gz(js) / gz(enJs)).toFixed(2)}×)`);
  console.log(`bundle build (esbuild, in memory, 4 bundles): median ${median(times).toFixed(0)} ms over ${times.length} runs`);
  await coldLoad();
  if (total > BUDGET_GZIP_BYTES) process.exitCode = 1;
}

/**
 * A cold load of the capture page over the service's own routes (Fastify inject, a temp SQLite
 * store, a real session): the HTML, then its JS and CSS, with Chromium's Accept-Encoding
 * (`gzip, deflate, br, zstd`: brotli is sent) and with `gzip` only, against the same requests
 * without Accept-Encoding (baseline, same run). Bytes are the response bodies as sent (headers
 * add ≈ 0.5 KB per response). Plus what the precompression costs at start-up (median of 5).
 */
async function coldLoad(): Promise<void> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { buildApp, createServices } = await import('../src/server/app.js');
  const { loadConfig } = await import('../src/server/config.js');
  const { openStore } = await import('../src/server/store/index.js');
  const { generatePassword, generateUsername, hashPassword } = await import('../src/server/session/credentials.js');
  const { DEFAULT_TENANT_SETTINGS } = await import('../src/server/session/tenant-settings.js');
  const { encodeAssets } = await import('../src/server/http/encoded-assets.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-bench-web-'));
  const store = await openStore({ databaseUrl: `sqlite:${join(dataDir, 'bench.sqlite')}`, dataDir });
  const app = await buildApp(await createServices(loadConfig({ DATA_DIR: dataDir, PUBLIC_BASE_URL: 'http://localhost:3000' }), store));
  try {
    const password = generatePassword();
    const username = generateUsername();
    await store.tenants.insert({
      id: 'bench-web', name: 'bench', username, passwordHash: await hashPassword(password),
      settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: ['https://shop.example'], allowedFrameOrigins: ['https://shop.example'] },
      disabledAt: null, createdAt: Date.now(),
    });
    const init = await app.inject({
      method: 'POST', url: '/api/v1/enrolment/initialize',
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      payload: { returnUrl: 'https://shop.example/done' },
    });
    const { accessToken } = init.json() as { accessToken: string };
    const load = async (acceptEncoding: string | null) => {
      const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
      const page = await app.inject({ url: `/web-enrolment/?token=${accessToken}&iframe=true`, headers });
      const urls = [...page.body.matchAll(/\/web-enrolment\/assets\/[^"]+/g)].map((m) => m[0]);
      const parts = [{ what: 'HTML', bytes: page.rawPayload.length, coding: page.headers['content-encoding'] ?? 'identity' }];
      for (const url of urls) {
        const r = await app.inject({ url, headers });
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`);
        parts.push({ what: url.endsWith('.js') ? 'JS' : 'CSS', bytes: r.rawPayload.length, coding: String(r.headers['content-encoding'] ?? 'identity') });
      }
      return { parts, total: parts.reduce((a, p) => a + p.bytes, 0) };
    };
    const plain = await load(null);
    for (const [label, accept] of [['Chromium (gzip, deflate, br, zstd)', 'gzip, deflate, br, zstd'], ['gzip only', 'gzip']] as const) {
      const l = await load(accept);
      console.log(
        `cold load, ${label}: ${kb(l.total)} (${l.parts.map((p) => `${p.what} ${kb(p.bytes)} ${p.coding}`).join(', ')}); ` +
          `without Accept-Encoding (baseline): ${kb(plain.total)} — ratio ${(l.total / plain.total).toFixed(3)}`,
      );
    }
    const fresh = await buildWebAssets();
    const encodeTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const copies = Object.values(fresh).map((a) => ({ ...a }));
      const t0 = performance.now();
      await encodeAssets(copies);
      encodeTimes.push(performance.now() - t0);
    }
    console.log(`precompression at start-up (brotli q11 + gzip 9, 4 assets): median ${median(encodeTimes).toFixed(0)} ms over ${encodeTimes.length} runs`);
  } finally {
    await app.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
