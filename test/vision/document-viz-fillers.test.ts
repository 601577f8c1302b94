/** MRZ name fillers misread as K/C/S, undone by the printed names (viz-names.ts, pure). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossCheckNames, DEFAULT_NAME_CHECK, type VizRead } from '../../src/server/vision/document/viz-names.js';

const viz = (text: string, p = 0.99): VizRead => ({ text, confidence: p, chars: [...text].map((char) => ({ char, p })) });
const probs = (lines: string[], p = 0.95) => lines.map((l) => [...l].map(() => p as number | null));
const TD3 = (names: string) => [('P<HRV' + names + '<'.repeat(44)).slice(0, 44), '0070070071HRV8212258F1407019<<<<<<<<<<<<<<06'];

test('filler look-alikes glued to a printed name (end, start, between two printed words) become fillers', () => {
  const read = TD3('SPECIMENK<SPECIMENKK');
  const r = crossCheckNames('TD3', read, probs(read), [viz('SPECIMEN')]);
  assert.equal(r.lines[0], TD3('SPECIMEN<<SPECIMEN')[0]);
  assert.equal(r.lines[1], read[1], 'the check-digit line is never touched');
  assert.equal(r.fixes.length, 2);
  assert.deepEqual(
    r.fixes[1]!.changes.map((c) => [c.index, c.from, c.to]),
    [
      [23, 'K', '<'],
      [24, 'K', '<'],
    ],
  );
  const given = TD3('MEULENDIJK<<LOESKALBERTINEC');
  assert.equal(crossCheckNames('TD3', given, probs(given), [viz('MEULENDIJK'), viz('LOES ALBERTINE')]).lines[0], TD3('MEULENDIJK<<LOES<ALBERTINE')[0]);
  const lead = TD3('KSPECIMEN<<TEST');
  assert.equal(crossCheckNames('TD3', lead, probs(lead), [viz('SPECIMEN'), viz('TEST')]).lines[0], TD3('<SPECIMEN<<TEST')[0]);
});

test('kept: the name printed with the letter, letters other than K/C/S, unsure or lower-case VIZ, too many letters', () => {
  const nowak = TD3('NOWAK<<ANNA');
  assert.equal(crossCheckNames('TD3', nowak, probs(nowak), [viz('NOWAK'), viz('NOWA')]).lines[0], nowak[0], 'a VIZ word spells NOWAK: confirmed');
  const marta = TD3('MARTAX<<ANNA');
  assert.equal(crossCheckNames('TD3', marta, probs(marta), [viz('MARTA')]).lines[0], marta[0], 'X is no filler look-alike');
  const spec = TD3('SPECIMENK');
  assert.equal(crossCheckNames('TD3', spec, probs(spec), [viz('SPECIMEN', 0.8)]).lines[0], spec[0], 'VIZ read not confident');
  assert.equal(crossCheckNames('TD3', spec, probs(spec), [viz('Specimen')]).lines[0], spec[0], 'VIZ read in lower case');
  const many = TD3('SARAHCCCC');
  assert.equal(crossCheckNames('TD3', many, probs(many), [viz('SARAH')]).lines[0], many[0], 'more than maxFillerLetters');
  assert.equal(crossCheckNames('TD3', spec, probs(spec), [viz('SPECIMEN')], { ...DEFAULT_NAME_CHECK, maxFillerLetters: 0 }).lines[0], spec[0]);
  // Short VIZ words (below minTokenLetters) never vouch for a split.
  const lee = TD3('LEEK<<ANNA');
  assert.equal(crossCheckNames('TD3', lee, probs(lee), [viz('LEE')]).lines[0], lee[0]);
});
