/**
 * `npm run bench`: every benchmark part, one after the other, each printing its own figures.
 * `npm run bench -- faces` runs one part. Parts are files bench/<name>.bench.ts exporting run().
 * Each part runs in its own child process, so its peak RSS is its own and not the sum of the
 * models every earlier part loaded.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [first, second] = process.argv.slice(2);

if (first === '--part' && second) {
  // Child: run one part in this process.
  const mod = (await import(pathToFileURL(join(here, `${second}.bench.ts`)).href)) as { run: () => Promise<void> };
  await mod.run();
  process.exit(0);
}

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
let failed = 0;
for (const name of parts) {
  console.log(`\n## ${name}`);
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--part', name], {
    stdio: 'inherit',
  });
  if (child.status !== 0) {
    failed++;
    console.log(`(part ${name} exited with ${child.status ?? child.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
