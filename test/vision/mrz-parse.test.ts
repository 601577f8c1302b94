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
  assert.deepEqual(r.fields.corrections, []);
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

test('a corrupted digit makes the MRZ invalid and is not "corrected" away', () => {
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

test('look-alike in a date is corrected when the check digit confirms it', () => {
  const read = [TD3[0]!, TD3[1]!.replace('7408122', '74O8122')];
  const r = parseMrz(read);
  assert.equal(r.valid, true);
  assert.deepEqual(r.lines, TD3);
  assert.deepEqual(r.fields.corrections, [{ line: 1, index: 15, from: 'O', to: '0', rule: 'digit-field' }]);
});

test('look-alike in a date is refused when the check digit does not confirm it', () => {
  // 74O8132: mapping O→0 gives 740813, whose check digit is not 2.
  const read = [TD3[0]!, TD3[1]!.replace('7408122', '74O8132')];
  const r = parseMrz(read);
  assert.equal(r.valid, false);
  assert.equal(r.lines[1]!.slice(13, 20), '74O8132');
  assert.deepEqual(r.fields.corrections, []);
});

test('document number look-alike: corrected only when a unique swap verifies', () => {
  // L898902C3 read as L8989O2C3: O→0 is the only single swap that verifies.
  const read = [TD3[0]!, TD3[1]!.replace('L898902C3', 'L8989O2C3')];
  const r = parseMrz(read);
  assert.deepEqual(r.lines, TD3);
  assert.equal(r.valid, true);
  assert.equal(r.fields.corrections[0]!.rule, 'check-digit-confirmed');
  // A digit changed to another digit has no look-alike swap: stays invalid, as read.
  const wrong = [TD3[0]!, TD3[1]!.replace('L898902C3', 'L898912C3')];
  const w = parseMrz(wrong);
  assert.equal(w.valid, false);
  assert.deepEqual(w.lines, wrong);
});

test('the document code is never rewritten (C1 stays C1)', () => {
  const green = ['C1USA0223456791EAC9730051220<<', '4910040M9411014CAN<<<<<<<<<<<0', 'CRITTENDEN<<LEE<W<<<<<<<<<<<<<'];
  const r = parseMrz(green);
  assert.deepEqual(r.lines, green);
  assert.equal(r.fields.documentCode, 'C1');
  // This sample prints a failing document-number check digit: reported as printed, invalid.
  assert.equal(r.valid, false);
  assert.equal(r.fields.checks.documentNumber!.valid, false);
  assert.equal(r.fields.firstName, 'LEE W');
});

test('state codes: digits become letters only when that yields a known code', () => {
  const read = [TD3[0]!.replace('UTO', 'UT0'), TD3[1]!];
  const r = parseMrz(read);
  assert.equal(r.fields.issuingState, 'UTO');
  assert.equal(r.valid, true);
  const unknown = [TD3[0]!.replace('UTO', 'QQQ'), TD3[1]!];
  const u = parseMrz(unknown);
  assert.equal(u.fields.issuingStateKnown, false);
  assert.equal(u.valid, false, 'an unknown state code is not a valid MRZ');
  for (const code of ['D<<', 'UTO', 'GBD', 'GBN', 'XXA', 'XXB', 'XXC', 'XXX', 'EUE', 'UNO', 'RKS', 'DEU', 'TWN']) {
    assert.equal(isKnownStateCode(code), true, code);
  }
  assert.equal(isKnownStateCode('ABC'), false);
});

test('names: digits become letters, filler look-alikes between filler runs become <', () => {
  const read = ['P<UTOER1KSSON<<ANNA<MARIA<<<<<<K<<<<<<<<<<<<', TD3[1]!];
  const r = parseMrz(read);
  assert.deepEqual(r.lines, TD3);
  assert.equal(r.fields.firstName, 'ANNA MARIA');
  // A single initial after one filler is a name, not a misread filler.
  const initial = ['C1USA0223456791EAC9730051220<<', '4910040M9411014CAN<<<<<<<<<<<0', 'CRITTENDEN<<LEE<C<<<<<<<<<<<<<'];
  assert.equal(parseMrz(initial).lines[2], initial[2]);
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

test('filler repair: only runs of < change, to the format length', async () => {
  const { repairLine } = await import('../../src/server/vision/mrz/read.js');
  const { LAYOUTS } = await import('../../src/server/vision/mrz/index.js');
  // Three fillers dropped from the trailing run of a TD3 name line.
  const short = TD3[0]!.slice(0, 41);
  const opts = repairLine(short, LAYOUTS.TD3, 0);
  assert.equal(opts[0]!.text, TD3[0]);
  for (const o of opts) {
    assert.equal(o.text.length, 44);
    assert.equal(o.text.replace(/<+/g, '<'), short.replace(/<+/g, '<'), 'letters and digits unchanged');
  }
  // One filler too many inside the document number's padding of a TD1 line.
  const long = 'I<UTOD2314589<<07<<<<<<<<<<<<<<'; // 31 characters
  for (const o of repairLine(long, LAYOUTS.TD1, 0)) assert.equal(o.text.length, 30);
  // A read far too short for the format gives nothing to choose from beyond the filler tail.
  assert.ok(repairLine('P<UTO', LAYOUTS.TD3, 0).every((o) => o.text.startsWith('P<UTO<')));
});

test('a missing << separator is restored only with the recogniser naming < as the alternative', () => {
  const read = ['IDESPBAA000589599999999R<<<<<<', '8001014F2501017ESP<<<<<<<<<<<7', 'ESPANOLA<ESPANOLA<KCARMEN<<<<<'];
  const fixed = 'ESPANOLA<ESPANOLA<<CARMEN<<<<<';
  // Without evidence: left as read (KCARMEN could be a name).
  assert.equal(parseMrz(read).lines[2], read[2]);
  const evidence = read.map((l) => [...l].map(() => ({ p: 0.9, alternatives: [] as { char: string; p: number }[] })));
  evidence[2]![18] = { p: 0.55, alternatives: [{ char: '<', p: 0.35 }] };
  const r = parseMrz(read, { evidence });
  assert.equal(r.lines[2], fixed);
  assert.equal(r.fields.lastName, 'ESPANOLA ESPANOLA');
  assert.equal(r.fields.firstName, 'CARMEN');
  // A weak alternative is not enough.
  evidence[2]![18] = { p: 0.9, alternatives: [{ char: '<', p: 0.05 }] };
  assert.equal(parseMrz(read, { evidence }).lines[2], read[2]);
});

test('several look-alike swaps verify: refused without evidence, taken when the recogniser favours one', () => {
  const read = ['IDESP8AA000589599999999R<<<<<<', '8001014F2501017ESP<<<<<<<<<<<7', 'ESPANOLA<ESPANOLA<<CARMEN<<<<<'];
  const plain = parseMrz(read);
  assert.equal(plain.valid, false, 'ambiguous: more than one single swap verifies');
  assert.equal(plain.lines[0], read[0]);
  const evidence = read.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
  evidence[0]![5] = { p: 0.6, alternatives: [{ char: 'B', p: 0.3 }] };
  const r = parseMrz(read, { evidence });
  assert.equal(r.lines[0], 'IDESPBAA000589599999999R<<<<<<');
  assert.equal(r.valid, true);
  assert.deepEqual(r.fields.corrections, [{ line: 0, index: 5, from: '8', to: 'B', rule: 'check-digit-confirmed' }]);
});

test('a check digit does not vouch for 3 or more near-guesses (p < 0.3) among the characters it covers', () => {
  const sure = () => TD3.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
  // The ICAO specimen verifies as read; near-guesses in its personal number (under its own check
  // and the composite).
  const two = sure();
  two[1]![28] = { p: 0.2, alternatives: [] };
  two[1]![29] = { p: 0.25, alternatives: [] };
  const r2 = parseMrz(TD3, { evidence: two });
  assert.equal(r2.valid, true);
  assert.equal(r2.fields.checks.personalNumber!.guessed, 2);
  const three = sure();
  three[1]![28] = { p: 0.2, alternatives: [] };
  three[1]![29] = { p: 0.25, alternatives: [] };
  three[1]![30] = { p: 0.1, alternatives: [] };
  const r3 = parseMrz(TD3, { evidence: three });
  assert.equal(r3.valid, false);
  assert.deepEqual([r3.fields.checks.personalNumber!.valid, r3.fields.checks.personalNumber!.guessed], [false, 3]);
  assert.deepEqual([r3.fields.checks.composite!.valid, r3.fields.checks.documentNumber!.valid], [false, true]);
  // A doubtful but not guessed character (p 0.3 and above) does not count.
  const doubtful = sure();
  for (const i of [28, 29, 30, 31]) doubtful[1]![i] = { p: 0.3, alternatives: [] };
  assert.equal(parseMrz(TD3, { evidence: doubtful }).valid, true);
  // Without evidence, the arithmetic alone decides.
  assert.equal(parseMrz(TD3).fields.checks.personalNumber!.guessed, undefined);
});

test("the document code's second character: a doubted K/C/S with < as runner-up is the filler; otherwise left as read", () => {
  const read = ['PKUTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', TD3[1]!];
  const evidence = read.map((l) => [...l].map(() => ({ p: 0.95, alternatives: [] as { char: string; p: number }[] })));
  evidence[0]![1] = { p: 0.49, alternatives: [{ char: '<', p: 0.43 }] };
  const r = parseMrz(read, { evidence });
  assert.equal(r.lines[0], TD3[0]);
  assert.deepEqual(r.fields.corrections.at(-1), { line: 0, index: 1, from: 'K', to: '<', rule: 'code-filler' });
  // Read with confidence, or with a letter as runner-up, or without evidence: the issuer's choice.
  evidence[0]![1] = { p: 0.9, alternatives: [{ char: '<', p: 0.05 }] };
  assert.equal(parseMrz(read, { evidence }).lines[0], read[0]);
  evidence[0]![1] = { p: 0.49, alternatives: [{ char: 'X', p: 0.43 }] };
  assert.equal(parseMrz(read, { evidence }).lines[0], read[0]);
  assert.equal(parseMrz(read).lines[0], read[0]);
});
