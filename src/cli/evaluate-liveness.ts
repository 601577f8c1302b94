/**
 * `npm run --silent evaluate -- liveness <labels.tsv>`
 *
 * Passive liveness (presentation-attack detection) as the service runs it, on any TSV with the
 * columns `file` (relative to the TSV's folder) and `presentation` (`LIVE`: a person in front of
 * the camera; `ATTACK`: a printed photo, a screen, a mask…). One JSON line per image
 * `{file, expected, got, score, ms, faceCode}` then one summary line with ISO/IEC 30107-3 figures
 * at the configured threshold:
 *  - APCER: share of attacks classified LIVE; BPCER: share of live faces classified ATTACK;
 *  - both over every image with a face, and over the images the face endpoint accepts (the only
 *    selfies a decision ever sees: a refused selfie is retaken);
 *  - failures to acquire: no face found, or the image cannot be read (`got` null).
 * The score is the engine's own (vision/face/liveness.ts); for a selfie the face rules refuse, the
 * largest face is scored the same way. Intervals: Wilson 95 %. docs/face-verification.md.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { decodeImage } from '../server/vision/decode-image.js';
import { createFaceEngine, detectFaces, loadFaceModels } from '../server/vision/face/index.js';
import { scoreLiveness } from '../server/vision/face/liveness.js';
import { DEFAULT_VERIFICATION_THRESHOLDS } from '../server/verification/thresholds.js';

export function parsePresentationLabels(tsv: string): Array<{ file: string; presentation: 'LIVE' | 'ATTACK' }> {
  const lines = tsv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split('\t').map((h) => h.trim());
  const fileCol = header.indexOf('file');
  const col = header.indexOf('presentation');
  if (fileCol < 0 || col < 0) throw new Error('labels file needs the columns "file" and "presentation"');
  const rows: Array<{ file: string; presentation: 'LIVE' | 'ATTACK' }> = [];
  for (const cells of lines.map((l) => l.split('\t'))) {
    const file = (cells[fileCol] ?? '').trim();
    const p = (cells[col] ?? '').trim().toUpperCase();
    if (file === '') continue;
    if (p !== 'LIVE' && p !== 'ATTACK') throw new Error(`row "${file}": presentation must be LIVE or ATTACK, got "${p}"`);
    rows.push({ file, presentation: p });
  }
  return rows;
}

/** Wilson score interval (95 %) of k successes in n trials. */
export function wilson(k: number, n: number): [number, number] | null {
  if (n === 0) return null;
  const z = 1.96, p = k / n;
  const d = 1 + (z * z) / n;
  const c = p + (z * z) / (2 * n);
  const h = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, (c - h) / d), Math.min(1, (c + h) / d)];
}

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;
const rate = (k: number, n: number) => ({ errors: k, of: n, rate: n ? r4(k / n) : null, ci95: wilson(k, n)?.map(r4) ?? null });

export async function evaluate(labelsPath: string): Promise<void> {
  let rows;
  try {
    rows = parsePresentationLabels(await readFile(labelsPath, 'utf8'));
  } catch (err) {
    process.stderr.write(`cannot read labels "${labelsPath}": ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const base = dirname(resolve(labelsPath));
  const threshold = DEFAULT_VERIFICATION_THRESHOLDS.livenessThreshold;
  const models = await loadFaceModels();
  const engine = createFaceEngine(models);
  const results: Array<{ expected: string; got: string | null; accepted: boolean }> = [];
  const times: number[] = [];
  for (const row of rows) {
    let got: 'LIVE' | 'ATTACK' | null = null;
    let score: number | null = null;
    let ms: number | null = null;
    let faceCode: string | null = null;
    let error: string | undefined;
    try {
      const bytes = await readFile(resolve(base, row.file));
      const checked = await engine.checkFace(bytes);
      faceCode = checked.code ?? 'NONE';
      if (checked.liveness) {
        ({ score, ms } = checked.liveness);
      } else {
        const image = await decodeImage(bytes, 1280);
        const face = (await detectFaces(models, image))[0];
        if (face) {
          const t0 = performance.now();
          score = (await scoreLiveness(models.liveness, image, face.box)).score;
          ms = Math.round(performance.now() - t0);
        }
      }
      if (score !== null) got = score >= threshold ? 'LIVE' : 'ATTACK';
    } catch (err) {
      error = (err as { code?: string }).code ?? (err as Error).message;
    }
    if (ms !== null) times.push(ms);
    results.push({ expected: row.presentation, got, accepted: faceCode === 'NONE' });
    process.stdout.write(`${JSON.stringify({ file: row.file, expected: row.presentation, got, score: score === null ? null : r4(score), ms, faceCode, ...(error ? { error } : {}) })}\n`);
  }
  const figures = (set: typeof results) => {
    const attacks = set.filter((r) => r.expected === 'ATTACK' && r.got !== null);
    const live = set.filter((r) => r.expected === 'LIVE' && r.got !== null);
    return {
      apcer: rate(attacks.filter((r) => r.got === 'LIVE').length, attacks.length),
      bpcer: rate(live.filter((r) => r.got === 'ATTACK').length, live.length),
    };
  };
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      summary: true,
      images: rows.length,
      attacks: rows.filter((r) => r.presentation === 'ATTACK').length,
      live: rows.filter((r) => r.presentation === 'LIVE').length,
      threshold,
      model: models.liveness.model,
      failuresToAcquire: results.filter((r) => r.got === null).length,
      allWithAFace: figures(results),
      acceptedByFaceRules: { images: results.filter((r) => r.accepted).length, ...figures(results.filter((r) => r.accepted)) },
      medianMs: sorted.length ? sorted[Math.floor(sorted.length / 2)] : null,
    })}\n`,
  );
}
