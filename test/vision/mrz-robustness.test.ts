/**
 * MRZ rules added for photographed documents (docs/vision-documents.md "Robustness on
 * photographed variants"): pure geometry and parsing, no models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMrzBlocks, mergeCollinear, rankBlocks } from '../../src/server/vision/mrz/locate.js';
import { repairLine } from '../../src/server/vision/mrz/read.js';
import { LAYOUTS, parseMrz, readMrz } from '../../src/server/vision/mrz/index.js';
import type { CharEvidence } from '../../src/server/vision/mrz/parse.js';
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

test('a read far longer than the line (a callout joined to it) offers the line as its start or its end', () => {
  const joined = TD3[1]! + 'MACHINEREADABLEZONE';
  assert.ok(repairLine(joined, LAYOUTS.TD3, 1).some((o) => o.text === TD3[1]));
  const before = 'MRZ' + 'X'.repeat(8) + TD3[1]!;
  assert.ok(repairLine(before, LAYOUTS.TD3, 1).some((o) => o.text === TD3[1]));
  // Within the usual repair range nothing is cut from the start.
  assert.ok(!repairLine('XX' + TD3[1]!, LAYOUTS.TD3, 1).some((o) => o.text === TD3[1]));
});

test('names: a doubtful K/C/S next to a filler, with < as the runner-up, is a filler', () => {
  const read = [TD3[0]!.replace('ANNA<MARIA<', 'ANNA<MARIAK'), TD3[1]!];
  const k = read[0]!.indexOf('MARIAK') + 5;
  const evidence = (p: number, alt: { char: string; p: number }[]): (CharEvidence | null)[][] => {
    const ev = read.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
    ev[0]![k] = { p, alternatives: alt };
    return ev;
  };
  const r = parseMrz(read, { evidence: evidence(0.52, [{ char: '<', p: 0.39 }]) });
  assert.equal(r.lines[0], TD3[0]);
  assert.equal(r.fields.firstName, 'ANNA MARIA');
  assert.ok(r.fields.corrections.some((c) => c.index === k && c.to === '<' && c.rule === 'name-filler'));
  // Kept: read with confidence, a letter as runner-up, a weak `<`, or no evidence at all.
  assert.equal(parseMrz(read, { evidence: evidence(0.92, [{ char: '<', p: 0.05 }]) }).lines[0], read[0]);
  assert.equal(parseMrz(read, { evidence: evidence(0.5, [{ char: 'X', p: 0.4 }, { char: '<', p: 0.3 }]) }).lines[0], read[0]);
  assert.equal(parseMrz(read, { evidence: evidence(0.6, [{ char: '<', p: 0.2 }]) }).lines[0], read[0]);
  assert.equal(parseMrz(read).lines[0], read[0]);
  // Not next to a filler (inside a word): kept.
  const inside = [TD3[0]!.replace('ERIKSSON', 'ERIKSKON'), TD3[1]!];
  const i = inside[0]!.indexOf('SKON') + 1;
  const ev = inside.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
  ev[0]![i] = { p: 0.5, alternatives: [{ char: '<', p: 0.4 }] };
  assert.equal(parseMrz(inside, { evidence: ev }).lines[0], inside[0]);
});

test('names: a doubtful pair of filler look-alikes glued to a name goes, one after the other', () => {
  const read = [TD3[0]!.replace('MARIA<<', 'MARIACK'), TD3[1]!];
  const at = read[0]!.indexOf('MARIACK') + 5;
  const ev = read.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
  ev[0]![at] = { p: 0.45, alternatives: [{ char: '<', p: 0.4 }] };
  ev[0]![at + 1] = { p: 0.5, alternatives: [{ char: '<', p: 0.35 }] };
  assert.equal(parseMrz(read, { evidence: ev }).lines[0], TD3[0]);
});

type FakeRead = { text: string; confidence: number; chars: { char: string; p: number; alternatives: { char: string; p: number }[] }[] };

/** A read whose every character has probability `p` and no alternatives. */
const plainRead = (text: string, p: number): FakeRead => ({ text, confidence: p, chars: [...text].map((char) => ({ char, p, alternatives: [] })) });

/**
 * readMrz over `printed` laid out as detected lines (20 px high, 32 px apart, read as printed by
 * the first pass), with a fake recogniser (test double) that answers each strip from its row and
 * the strip width the reader asked for.
 */
async function readWithFakeRecogniser(printed: string[], answer: (row: number, stripWidthPx: number | undefined) => FakeRead) {
  const h = 20;
  const hint = printed.map((t, i) => line(t, 40, 100 + 32 * i, h));
  const rowOf = (q: { y: number }[]) => Math.max(0, Math.min(printed.length - 1, Math.round((q.reduce((sum, p) => sum + p.y, 0) / q.length - 100 - h / 2) / 32)));
  const fakeOcr = {
    recognize: async (_image: unknown, quads: { y: number }[][], options?: { stripWidthPx?: number }) => quads.map((q) => answer(rowOf(q), options?.stripWidthPx)),
  };
  const image = { rgb: Buffer.alloc(1200 * 300 * 3, 255), width: 1200, height: 300 };
  return readMrz(fakeOcr as never, image, { lines: hint });
}

test('known state codes count as confirmations: a read that passes one check by chance does not beat the MRZ as printed', async () => {
  // The Austrian specimen's MRZ is non-conforming as printed (no expiry check digit; its composite
  // fails). Read at 24 and 28 px per character, its first line loses characters ("IDT00000999…",
  // state "T00"), and that read passes the composite by chance: one verifying check more than the
  // read as printed, but two unknown state characters fewer.
  const printed = ['IDAUT000009993<<<<<<<<<<<<<<<<', '7109094F111231AUT<<<<<<<<<<<<0', 'MUSTERFRAU<<ISOLDE<<<<<<<<<<<<'];
  const dropped = 'IDT00000999<<<<<<<<<<<<<<<<<<<';
  assert.equal(parseMrz([dropped, printed[1]!, printed[2]!]).fields.checks.composite!.valid, true, 'the dropped read passes the composite');
  // The first line drops characters at the narrow pitches.
  const mrz = await readWithFakeRecogniser(printed, (row, width) => plainRead(row === 0 && (width ?? 0) < 30 * 30 ? dropped : printed[row]!, 0.9));
  assert.ok(mrz, 'MRZ found');
  assert.equal(mrz.lines[0], printed[0]);
  assert.equal(mrz.fields.issuingState, 'AUT');
});

test('name-line reads are compared by the letters of their names field: a filler read as C in the document code does not win', async () => {
  const printed = ['P<CANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<', 'ZE000509<9CAN8501019F2301147<<<<<<<<<<<<<<08'];
  const misread = 'PCCANMARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<';
  // At the first pitch (36 px) the name line's filler after P reads C; doubtful letters (p 0.8 <
  // 0.9) make the reader read the name line once more, wider, where it reads right.
  const mrz = await readWithFakeRecogniser(printed, (row, width) => plainRead(row === 0 && width === 44 * 36 ? misread : printed[row]!, 0.8));
  assert.ok(mrz, 'MRZ found');
  assert.equal(mrz.lines[0], printed[0]);
});

test('a letter the recogniser took for a possible filler (doubted, < as runner-up) is no name letter seen', async () => {
  // The USA EAD specimen tilted 8°: the wider name re-read (52 px per character) turned a filler
  // into Z (p 0.39, `<` 0.28) and another into K; counting the Z made it "see more letters" than
  // the exact read at 36 px.
  const printed = ['IAUSA0000000033LIN1044750079<<', '5808175F1004027COD<<<<<<<<<<<7', 'SPECIMEN<<TEST<VOID<<<<<<<<<<<'];
  assert.equal(parseMrz(printed).valid, true);
  const wide = 'SPECIMENK<TESTZVOID<<<<';
  const wideRead: FakeRead = {
    ...plainRead(wide, 0.98),
    chars: [...wide].map((char) =>
      char === 'Z' ? { char, p: 0.39, alternatives: [{ char: '<', p: 0.28 }] } : char === 'K' ? { char, p: 0.68, alternatives: [{ char: '<', p: 0.17 }] } : { char, p: 0.98, alternatives: [] },
    ),
  };
  // The name line reads exact at 36 px per character (doubtful letters, p 0.8, so the reader reads
  // it once more, wider), and as `wide` in that wider read.
  const mrz = await readWithFakeRecogniser(printed, (row, width) => (row === 2 && width !== 30 * 36 ? wideRead : plainRead(printed[row]!, 0.8)));
  assert.ok(mrz, 'MRZ found');
  assert.equal(mrz.lines[2], printed[2]);
});
