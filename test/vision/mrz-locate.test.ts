/** Locating the MRZ band among text lines (pure geometry, no models). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeCollinear, findMrzBlocks, mayBeMrz } from '../../src/server/vision/mrz/locate.js';
import { rectToQuad } from '../../src/server/vision/ocr/geometry.js';
import type { TextLine } from '../../src/server/vision/ocr/index.js';

/** A line of `text` starting at (x, y), `h` high, 0.6·h per character, turned by `deg` about (0,0). */
function line(text: string, x: number, y: number, h: number, deg = 0, chars = text.length): TextLine {
  const a = (deg * Math.PI) / 180;
  const w = chars * 0.6 * h;
  const cx0 = x + w / 2;
  const cy0 = y + h / 2;
  const cx = cx0 * Math.cos(a) - cy0 * Math.sin(a);
  const cy = cx0 * Math.sin(a) + cy0 * Math.cos(a);
  const quad = rectToQuad({ cx, cy, width: w, height: h, angle: a });
  return { text, confidence: 0.9, box: { x: 0, y: 0, width: 1, height: 1 }, quad };
}

for (const deg of [0, 90, 180, -90, 7]) {
  test(`a TD1 split into pieces is merged and found (${deg}°)`, () => {
    const h = 20;
    const lines = [
      line('UTOPIA', 40, 40, 30, deg),
      line('IDENTITY CARD', 40, 90, 24, deg),
      line('I<UTOD231458907', 40, 500, h, deg),
      line('<<<<<<<<<<<<<<<', 40 + 15 * 0.6 * h + 8, 500, h, deg),
      line('7408122F1204159UTO<<<<<<<<<<<6', 40, 532, h, deg),
      line('ERIKSSON<<ANNA<MARIA', 40, 564, h, deg),
      // the detector missed the end of this filler run
    ];
    const merged = mergeCollinear(lines);
    assert.ok(merged.some((m) => m.text === 'I<UTOD231458907<<<<<<<<<<<<<<<' && m.pieces === 2));
    const [block] = findMrzBlocks(merged);
    assert.ok(block);
    assert.deepEqual(
      block.lines.map((l) => l.text),
      ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA'],
    );
    // The short third line is stretched to the block's common length.
    const widths = block.lines.map((l) => l.rect.width);
    assert.ok(Math.max(...widths) - Math.min(...widths) < 1);
  });
}

test('lines of different lengths, far apart or crossing are not a block', () => {
  const h = 20;
  const lines = [
    line('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 40, 100, h),
    line('A SHORT LINE OF TEXT HERE', 400, 130, h),
    line('L898902C36UTO7408122F1204159ZE184226B<<<<<10', 40, 400, h),
    line('L898902C36UTO7408122F1204159ZE184226B<<<<<10', 40, 100, h, 90),
  ];
  assert.deepEqual(findMrzBlocks(mergeCollinear(lines)), []);
});

test('a header line above the MRZ sharing its margin does not outrank the MRZ itself', () => {
  const h = 20;
  const lines = [
    line('REPUBLIC OF UTOPIA PASSPORT PASSEPORT', 40, 452, h),
    line('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 40, 490, h),
    line('L898902C36UTO7408122F1204159ZE184226B<<<<<10', 40, 522, h),
  ];
  const [block] = findMrzBlocks(mergeCollinear(lines));
  assert.ok(block);
  assert.deepEqual(
    block.lines.map((l) => l.text.slice(0, 5)),
    ['P<UTO', 'L8989'],
  );
});

test('two long header lines are a block by shape but not worth reading as an MRZ', () => {
  const h = 20;
  const headers = [line('PRINCIPAUTEDEMONACOXXXXXX', 40, 100, h, 0, 30), line('CartedIdentiteNationaliteMon', 40, 132, h, 0, 30)];
  const [block] = findMrzBlocks(mergeCollinear(headers));
  assert.ok(block, 'found by shape (long lines)');
  assert.equal(mayBeMrz(block), false);
  // Unread lines (text '') or filler evidence keep a block.
  const unread = headers.map((l) => ({ ...l, text: '' }));
  assert.equal(mayBeMrz(findMrzBlocks(mergeCollinear(unread))[0]!), true);
  const upsideDown = [headers[0]!, { ...headers[1]!, text: '0I>>>>>>>>>>>9602' }];
  assert.equal(mayBeMrz(findMrzBlocks(mergeCollinear(upsideDown))[0]!), true);
});

/** An unread piece (geometry only, as the engine's budget leaves it): `chars` characters long. */
const unreadPiece = (x: number, y: number, h: number, chars: number): TextLine => ({ ...line('', x, y, h, 0, chars), confidence: 0 });

test('an unread piece beyond 44 characters of a line read as MRZ text is a caption beside it, not merged; a missing filler run is', () => {
  const h = 20;
  const pitch = 0.6 * h;
  // Line 2 read whole (42 of 44 characters), then a caption 3 line heights after its end
  // ("Machine Readable Zone (MRZ)", unread): joined, the line would span 72 characters.
  const l2 = line('ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<', 40, 532, h);
  const caption = unreadPiece(40 + 42 * pitch + 3 * h, 532, h, 26);
  // Line 1 read only up to its name (the detector missed the filler run): its unread rest
  // brings it to 44 characters — merged.
  const l1 = line('P<CANMARTIN<<SARAH<<', 40, 500, h);
  const fillers = unreadPiece(40 + 20 * pitch + 0.5 * h, 500, h, 24);
  const merged = mergeCollinear([l1, fillers, l2, caption]);
  const first = merged.find((m) => m.text.startsWith('P<CAN'))!;
  const second = merged.find((m) => m.text.startsWith('ZE0'))!;
  assert.equal(first.pieces, 2, 'the filler run joins line 1');
  assert.equal(second.pieces, 1, 'the caption does not join line 2');
  assert.ok(Math.abs(second.rect.width - 42 * pitch) < 1);
});
