/**
 * The MRZ decoder by evidence (docs/vision-mrz.md "Decoding"), without models: the fixed-length
 * CTC lattice against brute force, the decoder on fake recogniser outputs (test/helpers/
 * ctc-frames.ts) for each rule of the format, and on recorded outputs of the real recogniser
 * reading the repository's generated MRZ images (test/fixtures/mrz/recorded-reads.json, written by
 * scripts/record-mrz-reads.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDigit, decodeReads, linePosteriors, parseMrz } from '../../src/server/vision/mrz/index.js';
import { replayFrames, type RecordedRead } from '../../src/server/vision/mrz/recorded.js';
import { fakeFrames, type FakeReadOptions } from '../helpers/ctc-frames.js';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];

/** One fake read per line (per-line options by index). */
const decode = (lines: string[], opts: Record<number, FakeReadOptions> = {}, texts?: string[]) =>
  decodeReads(lines.map((l, i) => [{ text: texts?.[i] ?? l, frames: fakeFrames(texts?.[i] ?? l, opts[i]) }]));

test('lattice: per-position posteriors equal brute force over every path (junk labels and a label prior included)', () => {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const alphabet = 'AB<';
  const n = alphabet.length;
  const T = 7;
  const L = 2;
  const junk = 0.3;
  const probs = new Float32Array(T * (n + 1));
  for (let t = 0; t < T; t++) {
    let sum = 0;
    for (let j = 0; j <= n; j++) sum += probs[t * (n + 1) + j] = rnd() + 0.05;
    for (let j = 0; j <= n; j++) probs[t * (n + 1) + j]! /= sum;
  }
  const prior = Float64Array.from({ length: L * n }, () => 0.2 + rnd());
  const post = new Float64Array(L * n);
  let Z = 0;
  const path: number[] = new Array<number>(T).fill(0);
  const walk = (t: number, p: number) => {
    if (t === T) {
      const labels: number[] = [];
      let prev = -1;
      for (const c of path) {
        if (c !== 0 && c !== prev) labels.push(c - 1);
        prev = c;
      }
      // Any split of the extra labels into junk before and after the line.
      for (let a = 0; a + L <= labels.length; a++) {
        let w = p * junk ** (labels.length - L);
        for (let k = 0; k < L; k++) w *= prior[k * n + labels[a + k]!]!;
        Z += w;
        for (let k = 0; k < L; k++) post[k * n + labels[a + k]!]! += w;
      }
      return;
    }
    for (let j = 0; j <= n; j++) {
      path[t] = j;
      walk(t + 1, p * probs[t * (n + 1) + j]!);
    }
  };
  walk(0, 1);
  const got = linePosteriors({ alphabet, steps: T, probs }, L, junk, prior)!;
  assert.ok(Math.abs(got.logZ - Math.log(Z)) < 1e-9);
  for (let i = 0; i < L * n; i++) assert.ok(Math.abs(got.probs[i]! - post[i]! / Z) < 1e-9, `position ${Math.floor(i / n)} char ${alphabet[i % n]}`);
});

test('a clean read decodes to the zone as printed, valid, every field confident', () => {
  for (const lines of [TD3, TD1]) {
    const r = decode(lines)!;
    assert.deepEqual(r.lines, lines);
    assert.equal(r.valid, true);
    assert.deepEqual(r.doubtfulFields, []);
    for (const [field, c] of Object.entries(r.fieldConfidence)) assert.ok(c > 0.99, `${field} ${c}`);
  }
});

test('a name misread the recogniser was unsure of comes back doubtful: valid is false though every check digit verifies', () => {
  // The N of ANNA read as M at 0.55, N at 0.40 (the NLD passport's M/H at 8-px characters).
  const r = decode(TD3, { 0: { confuse: { 16: { M: 0.55, N: 0.4 } } } })!;
  assert.ok(Object.values(r.fields.checks).every((c) => c.valid), 'names carry no check digit');
  assert.ok(r.doubtfulFields.includes('firstName'));
  assert.ok(r.fieldConfidence.firstName! < 0.9);
  assert.ok(r.fieldConfidence.lastName! > 0.99, 'the other name is not doubted');
  assert.equal(r.valid, false);
});

test('fillers read as K (a blurred <) are fillers by the names grammar, and the field is reported with its doubt', () => {
  // "ANNA<MARIA" then the filler run, with a K at 0.6 where `<` (0.35) is printed.
  const r = decode(TD3, { 0: { confuse: { 25: { K: 0.6, '<': 0.35 }, 26: { K: 0.55, '<': 0.4 } } } })!;
  assert.equal(r.lines[0], TD3[0]);
  // Not confident enough to be trusted without the printed names: reported, doubtful.
  assert.ok(r.fieldConfidence.firstName! < 1);
});

test('a check digit resolves a look-alike the recogniser doubted (O read for 0 in a date)', () => {
  const read = TD3[1]!.replace('7408122', '74O8122');
  const r = decode(TD3, { 1: { confuse: { 15: { O: 0.6, '0': 0.35 } } } }, [TD3[0]!, read])!;
  assert.equal(r.lines[1], TD3[1]);
  assert.equal(r.valid, true);
  assert.ok(r.fieldConfidence.birthDate! > 0.95);
});

test('a check digit printed wrong and read with confidence is reported as printed, invalid — not "corrected"', () => {
  const wrong = [TD3[0]!, TD3[1]!.replace('7408122', '7408127')];
  const r = decode(wrong)!;
  assert.deepEqual(r.lines, wrong);
  assert.equal(r.fields.checks.birthDate!.valid, false);
  assert.equal(r.valid, false);
});

test('two swaps verify the check equally well: the decoder does not guess, the field is doubtful', () => {
  // Document number L898902C3: the 9 and the 0 both doubted between two digits, either pair
  // could verify the check digit 6.
  const r = decode(TD3, { 1: { confuse: { 3: { '8': 0.5, '3': 0.45 }, 5: { '2': 0.5, '7': 0.45 } } } })!;
  assert.equal(r.valid, r.fieldConfidence.documentNumber! >= 0.9);
  if (r.lines[1] !== TD3[1]) assert.ok(r.doubtfulFields.includes('documentNumber'), 'a wrong number is never reported confident');
});

test('a filler run the greedy read collapsed (<<<< read <<<) still decodes to the line as printed', () => {
  // The `<<` after ERIKSSON glued: the greedy text reads one filler, 43 characters.
  const frames = fakeFrames(TD3[0]!, { glued: [14] });
  const greedy: string[] = [];
  for (let t = 0, prev = -1; t < frames.steps; t++) {
    let best = 0;
    for (let c = 1; c <= 37; c++) if (frames.probs[t * 38 + c]! > frames.probs[t * 38 + best]!) best = c;
    if (best !== 0 && best !== prev) greedy.push('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<'[best - 1]!);
    prev = best;
  }
  assert.equal(greedy.join(''), TD3[0]!.replace('N<<A', 'N<A'));
  const r = decodeReads([[{ text: greedy.join(''), frames }], [{ text: TD3[1]!, frames: fakeFrames(TD3[1]!) }]])!;
  assert.equal(r.lines[0], TD3[0]);
});

test('a clearly read non-ICAO character is reported as printed (a nationality of digits), never replaced by a state code', () => {
  // The Romanian card of the labelled set prints 132 where the nationality stands.
  const l2 = TD3[1]!.slice(0, 10) + '132' + TD3[1]!.slice(13);
  const lines = [TD3[0]!, l2.slice(0, 43) + checkDigit(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43))];
  const r = decode(lines)!;
  assert.equal(r.fields.nationality, '132');
  assert.equal(r.valid, false, 'not a known state code');
});

test('the French national ID card (FRA-ID) is decoded with its own layout and check digits, not as a TD2', () => {
  const number = '880692310285';
  const l1 = 'IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<';
  const l2 = `${number}${checkDigit(number)}CORINNE<<<<<<<651206${checkDigit('651206')}F`;
  const lines = [l1, l2 + checkDigit(l1 + l2)];
  assert.equal(parseMrz(lines).valid, true);
  const r = decode(lines)!;
  assert.equal(r.format, 'FRA-ID');
  assert.deepEqual(r.lines, lines);
  assert.equal(r.valid, true);
  assert.equal(r.fields.lastName, 'BERTHIER');
});

test('a visa (code V) decodes as MRV-A; the same zone without V is a TD3', () => {
  const mrva = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
  const r = decode(mrva)!;
  assert.equal(r.format, 'MRV-A');
  assert.deepEqual(r.lines, mrva);
  assert.equal(decode(TD3)!.format, 'TD3');
});

test('an old state code (Slovenia before 2004 printed SI<) is a known code', () => {
  const l1 = TD3[0]!.replace('UTO', 'SI<');
  const r = decode([l1, TD3[1]!])!;
  assert.equal(r.fields.issuingState, 'SI<');
  assert.equal(r.fields.issuingStateKnown, true);
});

test('a TD1 document number longer than 9 characters continues in the optional data', () => {
  const number = 'D231458901234';
  const l1 = `I<UTOD23145890<1234${checkDigit(number)}<<<<<<<<<<`;
  const l2 = '7408122F1204159UTO<<<<<<<<<<<';
  const lines = [l1, l2 + checkDigit(l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29)), TD1[2]!];
  const r = decode(lines)!;
  assert.deepEqual(r.lines, lines);
  assert.equal(r.fields.documentNumber, number);
  assert.equal(r.valid, true);
});

interface Recorded {
  format: string;
  printed: string[];
  reads: RecordedRead[][];
}
const recordedPath = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/mrz/recorded-reads.json');
const recorded = JSON.parse(readFileSync(recordedPath, 'utf8')) as Record<string, Recorded>;

for (const [file, rec] of Object.entries(recorded)) {
  test(`recorded recogniser outputs (${file}): decoded as printed; valid exactly when the printed zone is`, () => {
    const r = decodeReads(rec.reads.map((line) => line.map((read) => ({ text: read.text, frames: replayFrames(read) }))))!;
    assert.ok(r, 'a zone was decoded');
    assert.equal(r.format, rec.format);
    assert.deepEqual(r.lines, rec.printed);
    if (!parseMrz(rec.printed).valid) assert.equal(r.valid, false, 'printed invalid: never reported valid');
    // Reported valid only with no doubtful field; a doubtful field is listed.
    assert.equal(r.valid, parseMrz(r.lines).valid && r.doubtfulFields.length === 0);
  });
}
