/**
 * The operators' face-pairs and liveness evaluation tools, end to end on images the repository may
 * ship: crops derived at test time from the MIT face-api demo photos (test/fixtures/faces/README.md).
 * Each face of a demo photo is one identity; its second "photo" is a derived copy (smaller,
 * brighter, turned 4°, JPEG 80): a weak genuine pair, but one the tool must score HIGH. Two faces of
 * one group photo are always two people. Plus the pure error-rate and bootstrap functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { parseIdentityLabels } from '../../src/cli/evaluate-face-pairs.js';
import { parsePresentationLabels, wilson } from '../../src/cli/evaluate-liveness.js';
import { bootstrap, equalErrorRate, fmrAt, fnmrAt, thresholdAtFmr } from '../../src/cli/face-pair-metrics.js';
import { DEFAULT_VERIFICATION_THRESHOLDS as T } from '../../src/server/verification/thresholds.js';
import * as F from '../helpers/face-images.js';

const run = promisify(execFile);

interface Rate {
  errors: number;
  of: number;
}
interface PairSummary {
  genuinePairs: number;
  impostorPairs: number;
  eer: { value: number };
  atHigh: { fmr: { value: number } };
}
interface FacePairsSummary {
  embedded: number;
  notEmbedded: unknown;
  seed: number;
  thresholds: { high: number };
  photoVsPhoto: PairSummary;
  selfieVsDocument: PairSummary;
}
interface LivenessLine {
  file: string;
  expected: string;
  got: string | null;
  faceCode: string | null;
  score: number;
  ms: number;
  error?: string;
  failuresToAcquire: number;
  threshold: number;
  allWithAFace: { apcer: Rate; bpcer: Rate };
  acceptedByFaceRules: { images: number };
}

test('error rates: FNMR below, FMR at or above a threshold; the FMR threshold; the EER', () => {
  const genuine = [0.5, 0.6, 0.7, 0.8];
  const impostor = [0.1, 0.2, 0.3, 0.55];
  assert.equal(fnmrAt(genuine, 0.6), 0.25);
  assert.equal(fmrAt(impostor, 0.55), 0.25);
  // FMR ≤ 0 %: just above the highest impostor.
  const t = thresholdAtFmr(impostor, 0)!;
  assert.ok(t > 0.55 && t < 0.5500001);
  assert.equal(fmrAt(impostor, t), 0);
  // One genuine (0.5) below one impostor (0.55): the crossing costs one error on each side.
  assert.deepEqual(equalErrorRate(genuine, impostor)!.eer, 0.25);
  assert.equal(equalErrorRate([0.9], [0.1])!.eer, 0);
  assert.equal(equalErrorRate([], [0.1]), null);
});

test('person-level bootstrap: the value on all pairs, an interval around it, deterministic per seed', () => {
  const pairs = [];
  for (let p = 0; p < 8; p++) {
    pairs.push({ idA: `p${p}`, idB: `p${p}`, score: 0.6 + p * 0.01 });
    for (let q = p + 1; q < 8; q++) pairs.push({ idA: `p${p}`, idB: `p${q}`, score: 0.1 + ((p * 7 + q) % 5) * 0.02 });
  }
  const stat = (g: number[]) => g.reduce((a, b) => a + b, 0) / g.length;
  const a = bootstrap(pairs, stat, 200, 7);
  assert.ok(Math.abs(a.value! - 0.635) < 1e-9);
  assert.ok(a.ci95![0] <= a.value! && a.value! <= a.ci95![1] && a.ci95![0] < a.ci95![1]);
  assert.deepEqual(bootstrap(pairs, stat, 200, 7), a);
});

test('label parsers read columns by name and refuse what they cannot use', () => {
  assert.deepEqual(parseIdentityLabels('notes\tfile\tidentity\nx\ta.jpg\tann\ny\tb.jpg\t\n'), [{ file: 'a.jpg', identity: 'ann' }]);
  assert.throws(() => parseIdentityLabels('file\tperson\na.jpg\tann\n'), /identity/);
  assert.deepEqual(parsePresentationLabels('file\tpresentation\na.jpg\tlive\nb.jpg\tATTACK\n'), [
    { file: 'a.jpg', presentation: 'LIVE' },
    { file: 'b.jpg', presentation: 'ATTACK' },
  ]);
  assert.throws(() => parsePresentationLabels('file\tpresentation\na.jpg\tmaybe\n'), /LIVE or ATTACK/);
  const [lo, hi] = wilson(0, 50)!;
  assert.ok(lo === 0 && hi > 0.05 && hi < 0.09);
});

/** Faces of two demo photos as separate identities, each with a derived second photo. */
async function makePairsSet(dir: string): Promise<string[]> {
  const rows = ['file\tidentity'];
  const faces: Array<[number, F.Rect]> = [
    [6, F.SELFIE_RECT],
    [6, { left: 100, top: 360, width: 520, height: 640 }],
    [1, { left: 700, top: 200, width: 580, height: 760 }],
  ];
  for (const [i, [sample, rect]] of faces.entries()) {
    const photo = await F.crop(await F.faceApiSample(sample as 1 | 6), rect);
    const copy = await sharp(photo).resize(Math.round(rect.width * 0.75)).modulate({ brightness: 1.1 }).rotate(4, { background: '#777' }).jpeg({ quality: 80 }).toBuffer();
    await writeFile(join(dir, `p${i}a.jpg`), photo);
    await writeFile(join(dir, `p${i}b.jpg`), copy);
    rows.push(`p${i}a.jpg\tperson${i}`, `p${i}b.jpg\tperson${i}`);
  }
  await writeFile(join(dir, 'pairs.tsv'), rows.join('\n'));
  return rows.slice(1).map((r) => r.split('\t')[0]!);
}

test('npm run evaluate -- face-pairs: every pair of every kind, one JSON line each, then a summary with error rates and intervals', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'face-pairs-'));
  try {
    const files = await makePairsSet(dir);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', 'face-pairs', join(dir, 'pairs.tsv'), '--seed', '3'], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.pop() as unknown as FacePairsSummary;
    const n = files.length;
    const byKind = (k: string) => lines.filter((l) => l.kind === k);
    assert.equal(summary.embedded, n, JSON.stringify(summary.notEmbedded));
    assert.equal(byKind('photo').length, (n * (n - 1)) / 2);
    assert.equal(byKind('document').length, n * (n - 1));
    assert.equal(byKind('same-photo').length, n);
    assert.equal(byKind('portrait-reuse').length, n);
    for (const l of lines) {
      assert.deepEqual(Object.keys(l).slice(0, 6), ['a', 'b', 'kind', 'genuine', 'score', 'level']);
      assert.ok(['HIGH', 'MEDIUM', 'LOW'].includes(l.level as string));
    }
    // A derived copy of one photo is HIGH; two people of one group photo are never HIGH.
    for (const l of byKind('photo')) {
      if (l.genuine) assert.equal(l.level, 'HIGH', JSON.stringify(l));
      else assert.notEqual(l.level, 'HIGH', JSON.stringify(l));
    }
    assert.equal(summary.photoVsPhoto.genuinePairs, n / 2);
    assert.equal(summary.photoVsPhoto.impostorPairs, (n * (n - 1)) / 2 - n / 2);
    assert.equal(summary.photoVsPhoto.eer.value, 0);
    assert.equal(summary.photoVsPhoto.atHigh.fmr.value, 0);
    assert.equal(summary.thresholds.high, T.faceMatchHigh);
    assert.equal(summary.seed, 3);
    for (const k of ['photoVsPhoto', 'selfieVsDocument'] as const) {
      for (const f of ['eer', 'atHigh', 'atLow', 'atFmr1pc', 'atFmr0_1pc']) assert.ok(f in summary[k], `${k}.${f}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('npm run evaluate -- liveness: one JSON line per image, then APCER and BPCER, with failures to acquire apart', { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'liveness-'));
  try {
    await writeFile(join(dir, 'live1.jpg'), await F.selfie());
    await writeFile(join(dir, 'live2.jpg'), await F.crop(await F.faceApiSample(1), { left: 700, top: 200, width: 580, height: 760 }));
    await writeFile(join(dir, 'blank.png'), await sharp({ create: { width: 300, height: 200, channels: 3, background: '#345' } }).png().toBuffer());
    await writeFile(join(dir, 'text.jpg'), 'not an image');
    await writeFile(join(dir, 'labels.tsv'), ['file\tpresentation', 'live1.jpg\tLIVE', 'live2.jpg\tLIVE', 'blank.png\tATTACK', 'text.jpg\tLIVE'].join('\n'));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', 'liveness', join(dir, 'labels.tsv')], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as LivenessLine);
    assert.equal(lines.length, 5);
    assert.deepEqual(
      lines.slice(0, 4).map((l) => [l.file, l.expected, l.got, l.faceCode]),
      [
        ['live1.jpg', 'LIVE', 'LIVE', 'NONE'],
        ['live2.jpg', 'LIVE', 'LIVE', 'NONE'],
        ['blank.png', 'ATTACK', null, 'FACE_NOT_FOUND'],
        ['text.jpg', 'LIVE', null, null],
      ],
    );
    assert.ok(lines[0]!.score >= T.livenessThreshold && lines[0]!.ms >= 0);
    assert.equal(lines[3]!.error, 'IMAGE_UNDECODABLE');
    const s = lines[4]!;
    assert.equal(s.failuresToAcquire, 2);
    assert.deepEqual(s.allWithAFace.bpcer.errors, 0);
    assert.deepEqual(s.allWithAFace.bpcer.of, 2);
    assert.equal(s.allWithAFace.apcer.of, 0);
    assert.equal(s.acceptedByFaceRules.images, 2);
    assert.equal(s.threshold, T.livenessThreshold);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
