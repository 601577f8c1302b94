/**
 * Builds the capture page's bundle (and the demo page's) with esbuild, in memory. The service
 * calls this once at start-up (src/server/http/web-enrolment.ts), so `npm ci && npm start` and
 * `npm test` work on a clean clone with no build step; `npm run bench -- web` prints the sizes.
 * Run directly (`npx tsx src/web/build.ts`) it writes the files to src/web/dist/ (git-ignored).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

export interface Asset {
  /** Content-hashed file name, served under /web-enrolment/assets/. */
  name: string;
  contentType: string;
  body: Buffer;
}

export interface WebAssets {
  appJs: Asset;
  appCss: Asset;
  demoJs: Asset;
  demoCss: Asset;
}

/** Browsers we build for: iOS Safari 15+, Android Chrome 90+, desktop evergreen. */
export const BROWSER_TARGETS = ['es2020', 'safari15', 'chrome90', 'firefox90', 'edge90'];

function asset(base: string, ext: 'js' | 'css', text: Uint8Array): Asset {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return {
    name: `${base}.${hash}.${ext}`,
    contentType: ext === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
    body: Buffer.from(text),
  };
}

async function bundle(entry: string, base: string): Promise<Asset> {
  const ext = entry.endsWith('.css') ? 'css' : 'js';
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    format: ext === 'js' ? 'esm' : undefined,
    target: BROWSER_TARGETS,
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    outfile: `${base}.${ext}`,
  });
  const out = result.outputFiles.find((f) => f.path.endsWith(`.${ext}`));
  if (!out) throw new Error(`esbuild produced no ${ext} for ${entry}`);
  return asset(base, ext, out.contents);
}

export async function buildWebAssets(): Promise<WebAssets> {
  const [appJs, appCss, demoJs, demoCss] = await Promise.all([
    bundle('main.ts', 'app'),
    bundle('styles.css', 'app'),
    bundle('demo/demo.ts', 'demo'),
    bundle('demo/demo.css', 'demo'),
  ]);
  return { appJs, appCss, demoJs, demoCss };
}

let cached: Promise<WebAssets> | null = null;
/** One build per process (the sources do not change while it runs); apps built in tests share it. */
export function getWebAssets(): Promise<WebAssets> {
  cached ??= buildWebAssets().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const assets = await buildWebAssets();
  const dist = join(here, 'dist');
  mkdirSync(dist, { recursive: true });
  for (const a of Object.values(assets)) {
    writeFileSync(join(dist, a.name), a.body);
    console.log(`${a.name} ${a.body.length} bytes`);
  }
}
