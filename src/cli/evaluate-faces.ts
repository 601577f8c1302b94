/**
 * `npm run --silent evaluate -- faces <labels.tsv>`: runs the face engine the API uses on every
 * row with a non-empty `expected_error` (file relative to the TSV's folder) and prints one JSON
 * line per image, then one summary line (accuracy, confusion matrix, median ms).
 * Operators use it to tune thresholds on their own images.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CodedError } from '../shared/errors.js';
import { createFaceEngine, loadFaceModels } from '../server/vision/face/index.js';

export interface LabelledRow {
  file: string;
  expected: string;
}

/** Rows of a tab-separated file with a header, columns read by name. */
export function parseLabels(tsv: string): LabelledRow[] {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t').map((h) => h.trim());
  const fileCol = header.indexOf('file');
  const expCol = header.indexOf('expected_error');
  if (fileCol < 0 || expCol < 0) throw new Error('labels file needs the columns "file" and "expected_error"');
  return lines
    .map((l) => l.split('\t'))
    .map((cells) => ({ file: (cells[fileCol] ?? '').trim(), expected: (cells[expCol] ?? '').trim() }))
    .filter((r) => r.file !== '' && r.expected !== '');
}

const median = (v: number[]) => {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function evaluate(labelsPath: string): Promise<void> {
  let rows: LabelledRow[];
  try {
    rows = parseLabels(await readFile(labelsPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read labels "${labelsPath}": ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const base = dirname(resolve(labelsPath));
  const engine = createFaceEngine(await loadFaceModels());
  const confusion: Record<string, Record<string, number>> = {};
  const times: number[] = [];
  let correct = 0;
  for (const row of rows) {
    const t0 = performance.now();
    let got: string;
    let problems: string[] = [];
    let measurements: Record<string, unknown> | undefined;
    try {
      const bytes = await readFile(resolve(base, row.file));
      const result = await engine.checkFace(bytes);
      got = result.code ?? 'NONE';
      problems = result.problems;
      measurements = result.measurements;
    } catch (err) {
      got = err instanceof CodedError ? err.code : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'INTERNAL_ERROR';
    }
    const ms = Math.round(performance.now() - t0);
    times.push(ms);
    if (got === row.expected) correct++;
    (confusion[row.expected] ??= {})[got] = (confusion[row.expected]?.[got] ?? 0) + 1;
    // Every problem found (the code is the first by priority) and why the face reads as occluded.
    const reasons = (measurements?.rules as { occlusionReasons?: string[] } | undefined)?.occlusionReasons ?? [];
    process.stdout.write(`${JSON.stringify({ file: row.file, expected: row.expected, got, ok: got === row.expected, problems, occlusionReasons: reasons, ms, measurements })}\n`);
  }
  process.stdout.write(
    `${JSON.stringify({
      summary: true,
      images: rows.length,
      correct,
      accuracy: rows.length ? Math.round((correct / rows.length) * 1000) / 1000 : null,
      confusion,
      medianMs: median(times),
    })}\n`,
  );
}
