/**
 * `npm run bench`: every benchmark part, one after the other, each printing its own figures.
 * `npm run bench -- faces` runs one part. Parts are files bench/<name>.bench.ts exporting run().
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const parts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.size === 0 || wanted.has(name))
  .sort();
if (parts.length === 0) {
  process.stderr.write('no benchmark parts found\n');
  process.exit(1);
}
for (const name of parts) {
  console.log(`\n## ${name}`);
  const mod = (await import(join(here, `${name}.bench.ts`))) as { run: () => Promise<void> };
  await mod.run();
}
