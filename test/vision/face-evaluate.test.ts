/** The operators' evaluation tool, end to end: a labels file → JSON lines + a summary line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { parseConfigOverrides, parseLabels } from '../../src/cli/evaluate-faces.js';
import * as F from '../helpers/face-images.js';

const run = promisify(execFile);

test('parseLabels reads columns by name and keeps rows with an expected_error', () => {
  const tsv = 'notes\tfile\texpected_error\nx\ta.jpg\tNONE\ny\tb.jpg\t\nz\tsub/c.png\tFACE_NOT_FOUND\n';
  assert.deepEqual(parseLabels(tsv), [
    { file: 'a.jpg', expected: 'NONE' },
    { file: 'sub/c.png', expected: 'FACE_NOT_FOUND' },
  ]);
  assert.throws(() => parseLabels('file\tcode\na.jpg\tNONE\n'), /expected_error/);
});

test('parseConfigOverrides: --config takes a JSON object of FaceConfig keys with their defaults\' types', () => {
  assert.deepEqual(parseConfigOverrides([]), {});
  assert.deepEqual(parseConfigOverrides(['--config', '{"searchHandsAlways":true,"minHandScore":0.6}']), { searchHandsAlways: true, minHandScore: 0.6 });
  assert.throws(() => parseConfigOverrides(['--config']), /JSON object/);
  assert.throws(() => parseConfigOverrides(['--config', '[1]']), /JSON object/);
  assert.throws(() => parseConfigOverrides(['--config', '{"noSuchKey":1}']), /unknown FaceConfig key "noSuchKey"/);
  assert.throws(() => parseConfigOverrides(['--config', '{"minHandScore":"high"}']), /"minHandScore" must be a number/);
});

test('npm run evaluate -- faces <labels.tsv>: one JSON line per labelled image, then a summary', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'face-eval-'));
  try {
    await writeFile(join(dir, 'selfie.jpg'), await F.selfie());
    await writeFile(join(dir, 'two.jpg'), await F.sideBySide(await F.selfie(), await F.selfie()));
    await writeFile(join(dir, 'blank.png'), await sharp({ create: { width: 300, height: 200, channels: 3, background: '#345' } }).png().toBuffer());
    await writeFile(join(dir, 'text.jpg'), 'not an image');
    const tsv = [
      'file\tother\texpected_error',
      'selfie.jpg\tx\tNONE',
      'two.jpg\tx\tTOO_MANY_FACES',
      'blank.png\tx\tFACE_NOT_FOUND',
      'text.jpg\tx\tNONE',
      'unlabelled.jpg\tx\t',
    ].join('\n');
    await writeFile(join(dir, 'labels.tsv'), tsv);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', 'faces', join(dir, 'labels.tsv')], { maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 5);
    assert.deepEqual(
      lines.slice(0, 4).map((l) => [l.file, l.expected, l.got]),
      [
        ['selfie.jpg', 'NONE', 'NONE'],
        ['two.jpg', 'TOO_MANY_FACES', 'TOO_MANY_FACES'],
        ['blank.png', 'FACE_NOT_FOUND', 'FACE_NOT_FOUND'],
        ['text.jpg', 'NONE', 'IMAGE_UNDECODABLE'],
      ],
    );
    for (const l of lines.slice(0, 4)) assert.equal(typeof l.ms, 'number');
    const summary = lines[4]!;
    assert.equal(summary.summary, true);
    assert.equal(summary.images, 4);
    assert.equal(summary.correct, 3);
    assert.equal(summary.accuracy, 0.75);
    assert.deepEqual(summary.confusion, {
      NONE: { NONE: 1, IMAGE_UNDECODABLE: 1 },
      TOO_MANY_FACES: { TOO_MANY_FACES: 1 },
      FACE_NOT_FOUND: { FACE_NOT_FOUND: 1 },
    });
    assert.equal(typeof summary.medianMs, 'number');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
