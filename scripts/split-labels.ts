/**
 * Split a labels file into a tuning part and a held-out part, deterministically, so that rules are
 * tuned on one part and measured on data not looked at while writing them
 * (docs/vision-documents.md "Development split"):
 *
 *   npx tsx scripts/split-labels.ts <labels.tsv> <out-dir> [--seed S] [--holdout N]
 *   npm run --silent evaluate -- documents <out-dir>/TUNE.tsv
 *   npm run --silent evaluate -- documents <out-dir>/HOLDOUT.tsv
 *
 * Only rows with a non-empty `doc_type` are split (the document rows). A row goes to the held-out
 * part when the FNV-1a hash of `<seed>:<file>` is among the N smallest: the choice depends on the
 * seed and the file name only, never on what the engine does with the file. Both outputs keep
 * every column; `file` becomes an absolute path, so they can live anywhere (write them under /tmp:
 * never into the repository).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** FNV-1a 32-bit. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The files of `files` that go to the held-out part. */
export function holdoutFiles(files: readonly string[], seed: string, n: number): Set<string> {
  return new Set([...files].sort((a, b) => fnv1a(`${seed}:${a}`) - fnv1a(`${seed}:${b}`) || a.localeCompare(b)).slice(0, n));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, dflt: string) => {
    const i = args.indexOf(name);
    if (i < 0) return dflt;
    const v = args[i + 1]!;
    args.splice(i, 2);
    return v;
  };
  const seed = opt('--seed', 'issue-12');
  const n = Number(opt('--holdout', '12'));
  const [labels, out] = args;
  if (!labels || !out) {
    process.stderr.write('usage: npx tsx scripts/split-labels.ts <labels.tsv> <out-dir> [--seed S] [--holdout N]\n');
    process.exit(2);
  }
  const base = dirname(resolve(labels));
  const lines = (await readFile(labels, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()!;
  const cols = header.split('\t');
  const fileCol = cols.indexOf('file');
  const typeCol = cols.indexOf('doc_type');
  const rows = lines.map((l) => l.split('\t')).filter((c) => (c[typeCol] ?? '').trim() !== '');
  const held = holdoutFiles(
    rows.map((c) => c[fileCol]!),
    seed,
    n,
  );
  const write = async (name: string, keep: (file: string) => boolean) => {
    const body = rows.filter((c) => keep(c[fileCol]!)).map((c) => c.map((v, i) => (i === fileCol ? resolve(base, v) : v)).join('\t'));
    await writeFile(join(out, name), [header, ...body].join('\n') + '\n');
    return body.length;
  };
  await mkdir(out, { recursive: true });
  const tune = await write('TUNE.tsv', (f) => !held.has(f));
  const hold = await write('HOLDOUT.tsv', (f) => held.has(f));
  console.log(`seed ${seed}: ${tune} tuning rows → ${join(out, 'TUNE.tsv')}, ${hold} held-out rows → ${join(out, 'HOLDOUT.tsv')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
