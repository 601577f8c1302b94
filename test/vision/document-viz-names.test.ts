import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossCheckNames, DEFAULT_NAME_CHECK, type VizRead } from '../../src/server/vision/document/viz-names.js';

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

test('the MRZ letter stays when it was not doubtful, or the VIZ read is not confident', () => {
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.7]]), [viz('MEULENDIJK')]).lines[0], TD3[0]);
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, 0.6]]), [viz('MEULENDIJK', 0.85)]).lines[0], TD3[0]);
  // Unknown MRZ evidence: no change.
  assert.equal(crossCheckNames('TD3', TD3, probs(TD3, [[0, 5, null as unknown as number]]), [viz('MEULENDIJK')]).lines[0], TD3[0]);
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
