/**
 * Locating the MRZ on photographed documents (docs/vision-documents.md "Robustness on
 * photographed variants"): pure geometry, no models. Reading is tested in mrz-decode.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMrzBlocks, mergeCollinear, rankBlocks } from '../../src/server/vision/mrz/locate.js';
import { rectToQuad } from '../../src/server/vision/ocr/geometry.js';
import type { TextLine } from '../../src/server/vision/ocr/index.js';

/** A detected line: `chars` characters of 0.6·h from (x, y), h high; `text` '' = not read. */
function line(text: string, x: number, y: number, h: number, chars = text.length): TextLine {
  const w = chars * 0.6 * h;
  const quad = rectToQuad({ cx: x + w / 2, cy: y + h / 2, width: w, height: h, angle: 0 });
  return { text, confidence: text === '' ? 0 : 0.9, box: { x, y, width: w, height: h }, quad };
}

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

test('a line of which the detector found only a short, unread piece still joins the MRZ block and is stretched to it', () => {
  const h = 20;
  // Line 1: only "P<UTOERIKSSON<<ANNA<MARIA" was detected (the filler run over a signature was
  // missed), too short to be a candidate by itself and not read; line 2 is whole and read.
  const lines = [line('', 40, 100, h, 25), line(TD3[1]!, 40, 132, h)];
  const blocks = findMrzBlocks(mergeCollinear(lines));
  assert.ok(blocks.length > 0, 'block found');
  const [a, b] = blocks[0]!.lines;
  assert.equal(b!.text, TD3[1]);
  assert.ok(Math.abs(a!.rect.width - b!.rect.width) < 1, 'piece stretched to the block');
  // Without the within-span rule the piece would not count: a line shorter than 25 % of the seed stays out.
  assert.equal(findMrzBlocks(mergeCollinear([line('', 40, 100, h, 10), line(TD3[1]!, 40, 132, h)])).length, 0);
});

test('pieces of one line far apart (a faint filler run between) form one row of the block', () => {
  const h = 20;
  const lines = [
    line('IRUTORP12345672', 40, 100, h), // line 1, start
    line('', 40 + 22 * 0.6 * h, 100, h, 8), // line 1, end: 7 characters gap (> 4 line heights)
    line('8502142M3107221XXA<<<<<<<<<<<4', 40, 132, h),
    line('DOE<<JOHN<<<<<<<<<<<<<<<<<<<<<', 40, 164, h),
  ];
  const merged = mergeCollinear(lines);
  assert.equal(merged.filter((m) => m.rect.cy < 115).length, 2, 'the detector pieces are not merged by mergeCollinear');
  const [block] = findMrzBlocks(merged);
  assert.ok(block);
  assert.equal(block.lines.length, 3);
  assert.equal(block.lines[0]!.text, 'IRUTORP12345672');
  assert.equal(block.lines[0]!.partial, true, 'read only in part');
});

test('an MRZ read upside down (filler runs as >>>) outranks blocks of unread lines', () => {
  const h = 20;
  const mrz = [line('0I>>>>>>>>>>>>>>9602F2214047', 40, 400, h, 44), line('>>>>>>>>>>>>>>>>>>>AIRAM>ANNA>>NOSS', 40, 432, h, 44)];
  const others = [line('', 40, 100, h, 30), line('', 40, 132, h, 30), line('', 40, 164, h, 30)];
  const [best] = rankBlocks(findMrzBlocks(mergeCollinear([...others, ...mrz])));
  assert.deepEqual(best!.lines.map((l) => l.text.slice(0, 3)), ['0I>', '>>>']);
});

