/**
 * A seeded, documented split of a face labels file into a development part and an unseen part
 * (docs/vision-faces.md "Development discipline"):
 *
 *   npx tsx scripts/split-face-labels.ts <labels.tsv> <outdir> [--seed issue-14] [--unseen 0.333]
 *   npm run --silent evaluate -- faces <outdir>/<name>.dev.tsv
 *   npm run --silent evaluate -- faces <outdir>/<name>.unseen.tsv
 *
 * Takes the rows with a non-empty `expected_error`. Rows from the same source photo form one group
 * (a derived crop and its source never land on different sides): the group key is the source
 * repository plus the source file name without its extension and without a `_cropped` suffix.
 * Groups are visited in the order of sha256(seed + key); a group goes to the unseen part while
 * every labelled code in it stays within round(share × that code's row count) — so each code keeps
 * about the same share unseen — and to the development part otherwise. The output TSVs keep every
 * column, with `file` made absolute so `evaluate` reads them from anywhere.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';

export interface SplitRow {
  cells: string[];
  file: string;
  expected: string;
  group: string;
}

/** The source photo a row comes from (see the header comment). */
export function groupKey(sourceRepo: string, sourcePath: string, file: string): string {
  const path = sourcePath || file;
  const stem = basename(path, extname(path)).replace(/_cropped$/i, '');
  return `${sourceRepo}:${stem}`;
}

export function splitRows(rows: SplitRow[], seed: string, share: number): { dev: SplitRow[]; unseen: SplitRow[] } {
  const perCode = new Map<string, number>();
  for (const r of rows) perCode.set(r.expected, (perCode.get(r.expected) ?? 0) + 1);
  const target = new Map([...perCode].map(([code, n]) => [code, Math.round(share * n)]));
  const groups = new Map<string, SplitRow[]>();
  for (const r of rows) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const hash = (k: string) => createHash('sha256').update(`${seed}\0${k}`).digest('hex');
  const order = [...groups.keys()].sort((a, b) => (hash(a) < hash(b) ? -1 : hash(a) > hash(b) ? 1 : 0));
  const taken = new Map<string, number>();
  const unseenGroups = new Set<string>();
  for (const key of order) {
    const counts = new Map<string, number>();
    for (const r of groups.get(key)!) counts.set(r.expected, (counts.get(r.expected) ?? 0) + 1);
    const fits = [...counts].every(([code, n]) => (taken.get(code) ?? 0) + n <= (target.get(code) ?? 0));
    if (!fits) continue;
    unseenGroups.add(key);
    for (const [code, n] of counts) taken.set(code, (taken.get(code) ?? 0) + n);
  }
  return { dev: rows.filter((r) => !unseenGroups.has(r.group)), unseen: rows.filter((r) => unseenGroups.has(r.group)) };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : fallback;
  };
  const seed = flag('--seed', 'issue-14');
  const share = Number(flag('--unseen', '0.333'));
  const [labelsPath, outDir] = args;
  if (!labelsPath || !outDir || !(share > 0 && share < 1)) {
    process.stderr.write('usage: npx tsx scripts/split-face-labels.ts <labels.tsv> <outdir> [--seed S] [--unseen 0.333]\n');
    process.exit(2);
  }
  const lines = (await readFile(labelsPath, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()!.split('\t');
  const col = (name: string) => header.indexOf(name);
  const [fileCol, expCol, repoCol, pathCol] = [col('file'), col('expected_error'), col('source_repo'), col('source_path')];
  if (fileCol < 0 || expCol < 0) throw new Error('labels file needs the columns "file" and "expected_error"');
  const base = dirname(resolve(labelsPath));
  const rows: SplitRow[] = lines
    .map((l) => l.split('\t'))
    .filter((c) => (c[expCol] ?? '').trim() !== '' && (c[fileCol] ?? '').trim() !== '')
    .map((c) => {
      const file = c[fileCol]!.trim();
      const cells = [...c];
      cells[fileCol] = resolve(base, file);
      return { cells, file, expected: c[expCol]!.trim(), group: groupKey(repoCol >= 0 ? c[repoCol] ?? '' : '', pathCol >= 0 ? c[pathCol] ?? '' : '', file) };
    });
  const { dev, unseen } = splitRows(rows, seed, share);
  await mkdir(outDir, { recursive: true });
  const name = basename(dirname(resolve(labelsPath)));
  const write = (part: string, rs: SplitRow[]) => writeFile(join(outDir, `${name}.${part}.tsv`), [header.join('\t'), ...rs.map((r) => r.cells.join('\t'))].join('\n') + '\n');
  await write('dev', dev);
  await write('unseen', unseen);
  process.stdout.write(`${JSON.stringify({ seed, share, rows: rows.length, dev: dev.length, unseen: unseen.length, unseenFiles: unseen.map((r) => r.file) })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
