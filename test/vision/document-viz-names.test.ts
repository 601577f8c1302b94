import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossCheckNames, DEFAULT_NAME_CHECK, fixOdds, type VizRead } from '../../src/server/vision/document/viz-names.js';

const TD3 = ['P<NLDHEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<', 'XA00000148NLD7110195F0604121123456782<<<<<02'];
/** Per-character probabilities: 0.95 everywhere, `low` at the given (line, index). */
function probs(lines: string[], low: [number, number, number][] = []): (number | null)[][] {
  const p = lines.map((l) => [...l].map(() => 0.95 as number | null));
  for (const [line, i, v] of low) p[line]![i] = v;
  return p;
}
const viz = (text: string, p = 0.99): VizRead => ({ text, confidence: p, chars: [...text].map((char) => ({ char, p })) });

test('a confident VIZ look-alike replaces a doubtful MRZ name letter (the IJ read as U does not block the match)', () => {
  const r = crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.6]]), [viz('MEULENDUK'), viz('Loes Albertine')]);
  assert.equal(r.lines[0], 'P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<');
  assert.equal(r.lines[1], TD3[1]);
  assert.equal(r.fixes.length, 1);
  assert.deepEqual(r.fixes[0]!.changes, [{ line: 0, index: 5, from: 'H', to: 'M', mrzP: 0.6, vizP: 0.99 }]);
  assert.deepEqual(r.confirmed, ['LOES', 'ALBERTINE']);
});

test('the MRZ letter stays when the two reads do not make the printed one likely enough, or the VIZ read is not confident', () => {
  // MRZ 0.95 against printed 0.99: odds 5.2 < 10.
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.95]]), [viz('MEULENDIJK')]).lines[0], TD3[0]);
  // MRZ 0.7 against printed 0.93: odds 5.7.
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.7]]), [viz('MEULENDIJK', 0.93)]).lines[0], TD3[0]);
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.6]]), [viz('MEULENDIJK', 0.85)]).lines[0], TD3[0]);
  // Unknown MRZ evidence: no change.
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, null as unknown as number]]), [viz('MEULENDIJK')]).lines[0], TD3[0]);
});

test('an MRZ letter read at 0.69 (not below 2/3) gives way to a printed look-alike read at 0.999: two reads, odds 450', () => {
  assert.ok(Math.abs(fixOdds(0.69, 0.999) - 448.6) < 1);
  assert.ok(fixOdds(0.95, 0.99) < DEFAULT_NAME_CHECK.minFixOdds);
  // The printed surname read with the IJ digraph misread (MEULENDIK): still within 2 edits.
  const r = crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.69]]), [{ text: 'MEULENDIK', confidence: 0.93, chars: [...'MEULENDIK'].map((char, i) => ({ char, p: i === 7 ? 0.64 : 0.999 })) }]);
  assert.equal(r.lines[0], 'P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<');
  assert.deepEqual(r.fixes[0]!.changes, [{ line: 0, index: 5, from: 'H', to: 'M', mrzP: 0.69, vizP: 0.999 }]);
  // Not spelled by the printed word after the fix: the name keeps the MRZ's confidence (doubt).
  assert.equal(r.supported.length, 0);
});

test('edits at printed letters the recogniser doubted count half: MEULENDUIK (U 0.57, I 0.76) still matches HEULENDIJK', () => {
  const chars = [...'MEULENDUIK'].map((char, i) => ({ char, p: i === 7 ? 0.57 : i === 8 ? 0.76 : 0.999 }));
  const r = crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.71]]), [{ text: 'MEULENDUIK', confidence: 0.92, chars }]);
  assert.equal(r.lines[0], 'P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<');
  // The same word read with every letter sure is 3 edits away: no match, no change.
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.71]]), [viz('MEULENDUIK', 0.99)]).lines[0], TD3[0]);
});

test('no change when a VIZ word spells the MRZ part exactly, when VIZ words disagree, or for non-look-alikes', () => {
  const p = probs(TD3, [[0, 5, 0.6]]);
  assert.equal(crossCheckNames('TD3', TD3, p, [viz('HEULENDIJK'), viz('MEULENDIJK')]).lines[0], TD3[0]);
  assert.equal(crossCheckNames('TD3', TD3, p, [viz('MEULENDIJK'), viz('NEULENDIJK')]).lines[0], TD3[0]);
  assert.equal(crossCheckNames('TD3', TD3, p, [viz('TEULENDIJK')]).lines[0], TD3[0]);
  // A VIZ letter read in lower case is never taken (l, i and I look alike).
  assert.equal(crossCheckNames('TD3', TD3, p, [viz('mEULENDIJK')]).lines[0], TD3[0]);
  // Too far apart (3 edits).
  assert.equal(crossCheckNames('TD3', TD3, p, [viz('MEULXNDUK')]).lines[0], TD3[0]);
});

test('check-digit-covered lines and short name parts are never changed', () => {
  const td1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
  // The document number's "D" (line 1) and ANNA's first N (line 3) read with doubt.
  const p = probs(td1, [[0, 5, 0.3], [2, 11, 0.5]]);
  const r = crossCheckNames('TD1', td1, p, [viz('O231458907'), viz('AMNA')]);
  assert.equal(r.lines[0], td1[0]);
  assert.equal(r.lines[1], td1[1]);
  assert.equal(r.lines[2], 'ERIKSSON<<AMNA<MARIA<<<<<<<<<<');
  assert.equal(crossCheckNames('TD1', td1, p, [viz('AMNA')], { ...DEFAULT_NAME_CHECK, minTokenLetters: 5 }).fixes.length, 0);
});
