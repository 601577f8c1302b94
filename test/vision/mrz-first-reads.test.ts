/**
 * readMrz with the document engine's first reads (TextLine.frames): a clean zone is decoded from
 * them without reading any line again; a zone whose only doubt is a name reads the name line
 * alone. No models: the recogniser is a fake (named as such) returning synthetic per-step outputs
 * (test/helpers/ctc-frames.ts) and counting what it was asked to read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMrz } from '../../src/server/vision/mrz/index.js';
import type { Ocr, Quad, Recognition, TextLine } from '../../src/server/vision/ocr/index.js';
import { fakeFrames, type FakeReadOptions } from '../helpers/ctc-frames.js';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const image = { rgb: Buffer.alloc(1500 * 300 * 3), width: 1500, height: 300 };

/** Two TD3 lines 1,400 × 30 px, 40 px apart, read with the given per-line fake outputs. */
function firstReads(opts: FakeReadOptions[] = []): TextLine[] {
  return TD3.map((text, i) => {
    const y = 100 + 40 * i;
    const quad: Quad = [{ x: 50, y }, { x: 1450, y }, { x: 1450, y: y + 30 }, { x: 50, y: y + 30 }];
    return { text, confidence: 0.95, box: { x: 50, y, width: 1400, height: 30 }, angle: 0, quad, frames: fakeFrames(text, opts[i]) };
  });
}

/** A fake recogniser: every strip it is asked for reads `reply(strip index)`; it records the quads. */
function fakeOcr(reply: (quad: Quad) => string): Ocr & { asked: Quad[] } {
  const asked: Quad[] = [];
  return {
    asked,
    readLines: () => Promise.reject(new Error('not used: the test passes text lines')),
    detect: () => Promise.reject(new Error('not used')),
    upsideDown: (_img, quads) => Promise.resolve(quads.map(() => 0)),
    recognize: (_img, quads) => {
      asked.push(...quads);
      return Promise.resolve(quads.map((q): Recognition => {
        const text = reply(q);
        return { text, confidence: 0.98, chars: [], frames: fakeFrames(text) };
      }));
    },
  };
}

test('a clean zone in the first reads is decoded from them: no line is read again', async () => {
  const ocr = fakeOcr(() => {
    throw new Error('no read expected');
  });
  const r = await readMrz(ocr, image, { lines: firstReads() });
  assert.ok(r);
  assert.deepEqual(r.lines, TD3);
  assert.equal(r.valid, true);
  assert.equal(r.stripsRead, 0);
  assert.deepEqual(r.readsPerLine, [1, 1]);
});

test('first reads whose only doubt is a name: the name line alone is read again, and settles it', async () => {
  // The N of ANNA read N 0.45 / M 0.45 in the first read: every check verifies, the first name is doubtful.
  const ocr = fakeOcr(() => TD3[0]!);
  const r = await readMrz(ocr, image, { lines: firstReads([{ confuse: { 16: { N: 0.45, M: 0.45 } } }]) });
  assert.ok(r);
  assert.deepEqual(r.lines, TD3);
  assert.equal(r.valid, true);
  assert.equal(r.stripsRead, 1);
  // The strip read is line 1's (y ≈ 100–130), not line 2's.
  const ys = ocr.asked.map((q) => (q[0].y + q[3].y) / 2);
  assert.ok(ys.every((y) => y < 120), `read at y ${ys.join(', ')}`);
});

test('first reads that do not verify are set aside: the lines are read at the MRZ pitch', async () => {
  // A date digit the first read got wrong with confidence: the birth-date check fails.
  const wrong = firstReads();
  const bad = TD3[1]!.replace('7408122', '7408127');
  wrong[1] = { ...wrong[1]!, text: bad, frames: fakeFrames(bad) };
  const ocr = fakeOcr((q) => (q[0].y < 120 ? TD3[0]! : TD3[1]!));
  const r = await readMrz(ocr, image, { lines: wrong });
  assert.ok(r);
  assert.deepEqual(r.lines, TD3);
  assert.equal(r.valid, true);
  assert.ok(r.stripsRead >= 2, 'both lines read again');
  assert.deepEqual(r.readsPerLine, [1, 1], 'the first reads are not pooled with the new ones');
});
