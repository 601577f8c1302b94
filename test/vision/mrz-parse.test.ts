import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMrz, checkDigit, isKnownStateCode } from '../../src/server/vision/mrz/index.js';

// ICAO Doc 9303 specimens (parts 4–7).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const MRVA = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'];
const MRVB = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];

const checks = (r: ReturnType<typeof parseMrz>) => Object.fromEntries(Object.entries(r.fields.checks).map(([k, v]) => [k, v.valid]));

test('check digit: ICAO worked examples', () => {
  assert.equal(checkDigit('L898902C3'), 6);
  assert.equal(checkDigit('740812'), 2);
  assert.equal(checkDigit('120415'), 9);
  assert.equal(checkDigit('ZE184226B<<<<<'), 1);
  const l2 = TD3[1]!;
  assert.equal(checkDigit(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43)), 0);
});

test('TD3 specimen parses and verifies', () => {
  const r = parseMrz(TD3);
  assert.equal(r.format, 'TD3');
  assert.equal(r.valid, true);
  assert.deepEqual(r.lines, TD3);
  assert.deepEqual(checks(r), { documentNumber: true, birthDate: true, expirationDate: true, personalNumber: true, composite: true });
  assert.equal(r.fields.documentNumber, 'L898902C3');
  assert.equal(r.fields.issuingState, 'UTO');
  assert.equal(r.fields.nationality, 'UTO');
  assert.equal(r.fields.birthDate, '740812');
  assert.equal(r.fields.expirationDate, '120415');
  assert.equal(r.fields.sex, 'F');
  assert.equal(r.fields.lastName, 'ERIKSSON');
  assert.equal(r.fields.firstName, 'ANNA MARIA');
});

test('TD1, TD2, MRV-A and MRV-B specimens parse and verify', () => {
  const cases: [string[], string, Record<string, boolean>][] = [
    [TD1, 'TD1', { documentNumber: true, birthDate: true, expirationDate: true, composite: true }],
    [TD2, 'TD2', { documentNumber: true, birthDate: true, expirationDate: true, composite: true }],
    [MRVA, 'MRV-A', { documentNumber: true, birthDate: true, expirationDate: true }],
    [MRVB, 'MRV-B', { documentNumber: true, birthDate: true, expirationDate: true }],
  ];
  for (const [lines, format, expected] of cases) {
    const r = parseMrz(lines);
    assert.equal(r.format, format);
    assert.equal(r.valid, true, format);
    assert.deepEqual(r.lines, lines);
    assert.deepEqual(checks(r), expected);
    assert.equal(r.fields.lastName, 'ERIKSSON');
  }
  assert.equal(parseMrz(TD1).fields.documentNumber, 'D23145890');
});

test('a corrupted digit makes the MRZ invalid: the parser verifies, it never corrects', () => {
  // birth date 740812 → 740813: its check digit 2 no longer verifies.
  const bad = [TD3[0]!, TD3[1]!.replace('7408122', '7408132')];
  const r = parseMrz(bad);
  assert.equal(r.valid, false);
  assert.equal(r.fields.checks.birthDate!.valid, false);
  assert.deepEqual(r.lines, bad);
  // A wrong composite digit alone also fails.
  const comp = [TD3[0]!, TD3[1]!.slice(0, 43) + '1'];
  const rc = parseMrz(comp);
  assert.equal(rc.valid, false);
  assert.equal(rc.fields.checks.composite!.valid, false);
});

test('the document code is parsed as printed (C1 stays C1)', () => {
  const green = ['C1USA0223456791EAC9730051220<<', '4910040M9411014CAN<<<<<<<<<<<0', 'CRITTENDEN<<LEE<W<<<<<<<<<<<<<'];
  const r = parseMrz(green);
  assert.deepEqual(r.lines, green);
  assert.equal(r.fields.documentCode, 'C1');
  // This sample prints a failing document-number check digit: reported as printed, invalid.
  assert.equal(r.valid, false);
  assert.equal(r.fields.checks.documentNumber!.valid, false);
  assert.equal(r.fields.firstName, 'LEE W');
});

test('TD1 long document number continues in the optional field', () => {
  // Doc 9303 part 5 example shape: number D23145890 + extension 1234, check at the end.
  const number = 'D231458901234';
  const c = checkDigit(number);
  const l1 = `I<UTOD23145890<1234${c}<<<<<<<<<<`;
  const line2 = '7408122F1204159UTO<<<<<<<<<<<';
  const composite = checkDigit(l1.slice(5, 30) + line2.slice(0, 7) + line2.slice(8, 15) + line2.slice(18, 29));
  const r = parseMrz([l1, line2 + composite, TD1[2]!]);
  assert.equal(r.fields.documentNumber, number);
  assert.equal(r.fields.checks.documentNumber!.valid, true);
  assert.equal(r.valid, true);
});

test('lines that fit no format are refused', () => {
  assert.throws(() => parseMrz(['P<UTO', 'L898']), RangeError);
  assert.throws(() => parseMrz([TD3[0]!, TD3[1]!, TD3[1]!]), RangeError);
});

test('characters outside the MRZ alphabet make it invalid, never crash', () => {
  const r = parseMrz([TD3[0]!.replace('ANNA', 'AnNA'), TD3[1]!.replace('F', '#')]);
  assert.equal(r.valid, false);
  assert.ok(r.fields.badCharacters.length >= 1);
  const impossibleDate = [TD3[0]!, TD3[1]!.replace('740812', '741345')];
  const d = parseMrz(impossibleDate);
  assert.equal(d.fields.birthDateValid, false);
  assert.equal(d.valid, false);
});

test('state codes: the ICAO list, Germany\'s D<<, and codes no longer in ISO 3166 still printed on valid documents', () => {
  const unknown = [TD3[0]!.replace('UTO', 'QQQ'), TD3[1]!];
  const u = parseMrz(unknown);
  assert.equal(u.fields.issuingStateKnown, false);
  assert.equal(u.valid, false, 'an unknown state code is not a valid MRZ');
  for (const code of ['D<<', 'UTO', 'GBD', 'GBN', 'XXA', 'XXB', 'XXC', 'XXX', 'EUE', 'UNO', 'RKS', 'DEU', 'TWN', 'ROM', 'SI<', 'YUG', 'SCG']) {
    assert.equal(isKnownStateCode(code), true, code);
  }
  assert.equal(isKnownStateCode('ABC'), false);
});

test('the French national ID card (2 × 36, FRA-ID): its own fields and check digits', () => {
  // Specimen layout (ANTS): surname, office, card number 12, given names 14, birth date, sex.
  const l1 = 'IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<';
  const number = '880692310285';
  const l2a = `${number}${checkDigit(number)}CORINNE<<<<<<<6512068${'F'}`;
  const fra = [l1, l2a.slice(0, 27) + '651206' + checkDigit('651206') + 'F'];
  fra[1] = fra[1]! + checkDigit(fra[0]! + fra[1]!);
  const r = parseMrz(fra);
  assert.equal(r.format, 'FRA-ID');
  assert.equal(r.fields.documentNumber, number);
  assert.equal(r.fields.lastName, 'BERTHIER');
  assert.equal(r.fields.firstName, 'CORINNE');
  assert.equal(r.fields.birthDate, '651206');
  assert.equal(r.fields.nationality, 'FRA', 'issued to French nationals only');
  assert.equal(r.fields.expirationDate, '', 'no expiry in this zone');
  assert.deepEqual(checks(r), { documentNumber: true, birthDate: true, composite: true });
  assert.equal(r.valid, true);
  // The same lines read as an ICAO TD2 verify nothing: the layout is not TD2.
  const td2 = parseMrz(fra, 'TD2');
  assert.equal(td2.valid, false);
});
