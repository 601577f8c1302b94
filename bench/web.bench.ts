/**
 * `npm run bench -- web`: the capture page's weight as the applicant's browser downloads it —
 * JS + CSS, raw and gzipped (level 9, what a typical server/CDN sends) — against the budget of
 * 100 KB gzipped, plus the build time (median of 5 builds, esbuild in memory, as at start-up).
 * Baseline in the same run: the same bundle built with only the en-US messages, to show what
 * the 17 languages cost.
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
  if (total > BUDGET_GZIP_BYTES) process.exitCode = 1;
}
