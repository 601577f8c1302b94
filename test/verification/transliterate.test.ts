import { test } from 'node:test';
import assert from 'node:assert/strict';
import { icaoTransliterate, mrzName, nameSpellings, plainTransliterate } from '../../src/server/verification/transliterate.js';
import { editDistance, matchName } from '../../src/server/verification/name-match.js';

test('ICAO 9303 transliteration of national characters', () => {
  const cases: Array<[string, string]> = [
    ['Müller', 'MUELLER'],
    ['Ängström', 'AENGSTROEM'],
    ['Groß', 'GROSS'],
    ['Åsa', 'AASA'],
    ['Ærø', 'AEROE'],
    ['Øster', 'OESTER'],
    ['Þór', 'THOR'],
    ['Čapek', 'CAPEK'],
    ['Muñoz', 'MUNOZ'],
    ['Łukasz', 'LUKASZ'],
    ["O'Brien-Smith", 'O BRIEN SMITH'],
    ['  José   María ', 'JOSE MARIA'],
  ];
  for (const [input, want] of cases) assert.equal(icaoTransliterate(input), want, input);
  assert.equal(plainTransliterate('Müller'), 'MULLER');
  assert.equal(plainTransliterate('Øster'), 'OESTER'); // no plain form without the ICAO spelling
  assert.deepEqual(nameSpellings('Ä'), ['AE', 'A']);
  assert.equal(mrzName('ESPANOLA<ESPANOLA'), 'ESPANOLA ESPANOLA');
});

test('name matching: exact, tolerant, mismatch', () => {
  assert.equal(matchName('Müller', 'MUELLER'), 'EXACT');
  assert.equal(matchName('Müller', 'MULLER'), 'EXACT');
  assert.equal(matchName('García Márquez', 'GARCIA<MARQUEZ'), 'EXACT');
  assert.equal(matchName('Anna', 'ANNA MARIA'), 'TOLERANT');
  assert.equal(matchName('Mustermann', 'MUSTERMAN'), 'TOLERANT');
  assert.equal(matchName('Wolfeschlegelsteinhausen', 'WOLFESCHLEGELSTEIN'), 'TOLERANT'); // MRZ truncation
  assert.equal(matchName('Schmidt', 'MUSTERMANN'), 'MISMATCH');
  assert.equal(matchName('Ann', 'AMY'), 'MISMATCH');
  assert.equal(editDistance('kitten', 'sitting'), 3);
});
