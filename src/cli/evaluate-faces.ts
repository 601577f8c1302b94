/**
 * `npm run --silent evaluate -- faces <labels.tsv> [--config '<json>']`: runs the face engine the
 * API uses on every row with a non-empty `expected_error` (file relative to the TSV's folder) and
 * prints one JSON line per image, then one summary line (accuracy, confusion matrix, median ms).
 * Operators use it to tune thresholds on their own images: `--config` overrides FaceConfig keys
 * (e.g. `'{"searchHandsAlways":true}'`), as `createFaceEngine(models, overrides)` would.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CodedError } from '../shared/errors.js';
import { createFaceEngine, DEFAULT_FACE_CONFIG, loadFaceModels, type FaceConfig } from '../server/vision/face/index.js';

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

/**
 * FaceConfig overrides from the arguments after the labels file: `--config '<json object>'`. Every
 * key must be a FaceConfig key and every value of its default's type; anything else throws.
 */
export function parseConfigOverrides(args: string[]): Partial<FaceConfig> {
  const at = args.indexOf('--config');
  if (at < 0) return {};
  const raw = args[at + 1];
  if (raw === undefined) throw new Error('--config needs a JSON object');
  const parsed = JSON.parse(raw) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('--config needs a JSON object');
  const defaults = DEFAULT_FACE_CONFIG as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in defaults)) throw new Error(`--config: unknown FaceConfig key "${key}"`);
    if (typeof value !== typeof defaults[key]) throw new Error(`--config: "${key}" must be a ${typeof defaults[key]}`);
  }
  return parsed as Partial<FaceConfig>;
}

const median = (v: number[]) => {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function evaluate(labelsPath: string, ...more: string[]): Promise<void> {
  let rows: LabelledRow[];
  let overrides: Partial<FaceConfig>;
  try {
    overrides = parseConfigOverrides(more);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    rows = parseLabels(await readFile(labelsPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read labels "${labelsPath}": ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const base = dirname(resolve(labelsPath));
  const engine = createFaceEngine(await loadFaceModels(), overrides);
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
