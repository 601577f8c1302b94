/**
 * The production build (`npm run build`, run by `npm start` first through `prestart`): esbuild
 * bundles the service's entries — src/server/main.ts, the vision worker thread and the standalone
 * vision worker process (src/server/vision-node.ts, `npm run vision-worker`) — into
 * dist/server/main.js, vision-worker.js and vision-node.js, plain ES modules that `node` runs without
 * tsx. The migrations are compiled one file each into dist/server/migrations/ (the migrator reads
 * that directory next to the bundle, as it reads src/server/store/migrations/ under tsx).
 *
 * npm packages stay external (loaded from node_modules as usual: native addons, WASM files and
 * model files inside packages resolve from their own package). Our own files that locate a
 * resource next to themselves (`import.meta.url`: the models/ folder, the console's CSS, the
 * capture page's sources that src/web/build.ts bundles at start-up) keep pointing at their source
 * location: each `import.meta.url` is rewritten to the URL of its source file, relative to the
 * bundle (so the built tree moves with the repository). Three files are the exceptions, because
 * they locate built files: main.ts and vision-node.ts (the worker entry next to them) and
 * store/migrate.ts (the compiled migrations next to it). docs/adr/0006-production-start.md.
 */
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const KEEP_BUNDLE_URL = new Set([join(root, 'src/server/main.ts'), join(root, 'src/server/vision-node.ts'), join(root, 'src/server/store/migrate.ts')]);

const sourceUrls: Plugin = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(join(root, 'src') + sep)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (KEEP_BUNDLE_URL.has(args.path) || !text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const rel = relative(outdir, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

export async function buildServer(): Promise<string[]> {
  // Built beside dist/server (same depth: the same relative source URLs), then swapped in, so a
  // process starting from dist/server meanwhile (an API node and a vision worker started together
  // on one checkout) does not find it half-written.
  const staging = `${outdir}.build-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', legalComments: 'none', sourcemap: 'linked' } as const;
  await build({
    ...common,
    entryPoints: {
      main: join(root, 'src/server/main.ts'),
      'vision-worker': join(root, 'src/server/vision-worker.ts'),
      'vision-node': join(root, 'src/server/vision-node.ts'),
    },
    outdir: staging,
    plugins: [sourceUrls],
  });
  const migrationsDir = join(root, 'src/server/store/migrations');
  const migrations = readdirSync(migrationsDir).filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f));
  await build({ ...common, entryPoints: migrations.map((f) => join(migrationsDir, f)), outdir: join(staging, 'migrations'), plugins: [sourceUrls] });
  rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  return ['main.js', 'vision-worker.js', 'vision-node.js', ...migrations.map((f) => `migrations/${f.replace(/\.ts$/, '.js')}`)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  const files = await buildServer();
  process.stderr.write(`built dist/server/ (${files.length} files) in ${Math.round(performance.now() - t0)} ms\n`);
}
