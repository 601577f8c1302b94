import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, type Evidence } from '../../src/server/vision/document/classify.js';
import { DEFAULT_DOCUMENT_CONFIG as CFG } from '../../src/server/vision/document/config.js';
import { bestSubstringMatch, findPhrases, normalizeText } from '../../src/server/vision/document/text-match.js';
import { parseAamva } from '../../src/server/vision/barcode/aamva.js';
import { aamvaText } from '../../scripts/make-specimens.js';

const box = { x: 0, y: 0, width: 200, height: 20 };
const line = (text: string, height = 20) => ({ text, confidence: 0.95, box: { ...box, height } });
const face = (height: number, score = 0.9) => ({ box: { x: 10, y: 10, width: height * 0.8, height }, score });
const ev = (over: Partial<Evidence>): Evidence => ({ mrz: null, aamva: null, text: [], portraits: [], ...over });
const td1 = (l1: string) => ({ format: 'TD1' as const, lines: [l1, '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'], valid: true, lineLengthPx: 760 });
const td3 = (l1: string) => ({ format: 'TD3' as const, lines: [l1, 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'], valid: true, lineLengthPx: 1100 });

test('passport data page: MRZ code P → PASSPORT, FRONT, one-sided, portrait required', () => {
  const c = classify(ev({ mrz: td3('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'), portraits: [face(250)] }), CFG);
  assert.deepEqual([c.recognized, c.type, c.country, c.pageSide, c.isTwoSideDocument, c.portraitRequired], [true, 'PASSPORT', 'UTO', 'FRONT', false, true]);
});

test('TD1 ID card: the MRZ side is the BACK unless it carries the primary portrait', () => {
  const back = classify(ev({ mrz: td1('I<UTOD231458907<<<<<<<<<<<<<<<'), portraits: [face(70)] }), CFG); // ghost portrait, ratio 0.09
  assert.deepEqual([back.type, back.country, back.pageSide, back.isTwoSideDocument, back.portraitRequired], ['IDENTITY_CARD', 'UTO', 'BACK', true, false]);
  const front = classify(ev({ mrz: td1('I<UTOD231458907<<<<<<<<<<<<<<<'), portraits: [face(200)] }), CFG); // ratio 0.26
  assert.equal(front.pageSide, 'FRONT');
  assert.equal(front.portraitRequired, true);
});

test('residence permits: by document code (IR) and by printed header over a generic code', () => {
  const ir = classify(ev({ mrz: td1('IRPRT1234AZ5679<<<<<<<<<<<<<<<') }), CFG);
  assert.deepEqual([ir.type, ir.country, ir.pageSide], ['RESIDENCE_PERMIT', 'PRT', 'BACK']);
  const header = classify(ev({ mrz: td1('I<UTOD231458907<<<<<<<<<<<<<<<'), text: [line('AUFENTHALTSTITEL', 30)] }), CFG);
  assert.equal(header.type, 'RESIDENCE_PERMIT');
  // A passport's code is not refined by headers.
  const p = classify(ev({ mrz: td3('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<'), text: [line('RESIDENCE PERMIT')] }), CFG);
  assert.equal(p.type, 'PASSPORT');
});

test('country rows of the table: USA TD1 code I is the EAD (OTHER), code C the green card', () => {
  const ead = classify(ev({ mrz: td1('IAUSA0000000033LIN1044750079<<') }), CFG);
  assert.deepEqual([ead.type, ead.country, ead.pageSide], ['OTHER', 'USA', 'BACK']);
  const prc = classify(ev({ mrz: td1('C1USA0223456791EAC9730051220<<'), portraits: [face(200)] }), CFG);
  assert.deepEqual([prc.type, prc.country, prc.pageSide], ['RESIDENCE_PERMIT', 'USA', 'FRONT']);
});

test('an unreadable document code still classifies by format; an unknown state falls back to printed names', () => {
  const c = classify(ev({ mrz: td1('1DESPBAA000589599999999R<<<<<<') }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide], ['IDENTITY_CARD', 'ESP', 'BACK']);
  const s = classify(ev({ mrz: td3('P<<<<<ANMRTIN<<SAH<<<<<<<<<<<<<<<<<<<<<<<<<<'), text: [line('CANADA', 40), line('PASSPORT')] }), CFG);
  assert.deepEqual([s.type, s.country], ['PASSPORT', 'CAN']);
});

test("Germany's MRZ code D is reported as ISO 3166 alpha-3 DEU (MRZ and printed header alike)", () => {
  const back = classify(ev({ mrz: td1('IDD<<T220001293<<<<<<<<<<<<<<<') }), CFG);
  assert.deepEqual([back.type, back.country, back.pageSide], ['IDENTITY_CARD', 'DEU', 'BACK']);
  const front = classify(ev({ text: [line('BUNDESREPUBLIK DEUTSCHLAND', 30), line('PERSONALAUSWEIS', 30)], portraits: [face(60, 0.7)] }), CFG);
  assert.deepEqual([front.type, front.country, front.pageSide], ['IDENTITY_CARD', 'DEU', 'FRONT']);
  // ICAO-only codes without an ISO equivalent stay as printed.
  assert.equal(classify(ev({ mrz: td1('I<UTOD231458907<<<<<<<<<<<<<<<') }), CFG).country, 'UTO');
});

test('a header several states share names no state: the national name beside it does (ЛИЧНА КАРТА: BGR, SRB, MKD)', () => {
  const srb = classify(ev({ text: [line('РЕПУБЛИКА СРБИЈА', 30), line('ЛИЧНА КАРТА', 30)], portraits: [face(60, 0.7)] }), CFG);
  assert.deepEqual([srb.type, srb.country, srb.pageSide], ['IDENTITY_CARD', 'SRB', 'FRONT']);
  const bgr = classify(ev({ text: [line('РЕПУБЛИКА БЪЛГАРИЯ', 30), line('ЛИЧНА КАРТА', 30)], portraits: [face(60, 0.7)] }), CFG);
  assert.equal(bgr.country, 'BGR');
  const mlt = classify(ev({ text: [line('KARTA TAL-IDENTITÀ', 30)], portraits: [face(60, 0.7)] }), CFG);
  assert.deepEqual([mlt.type, mlt.country], ['IDENTITY_CARD', 'MLT']);
});

test('AAMVA barcode → licence of its jurisdiction, BACK', () => {
  const c = classify(ev({ aamva: parseAamva(aamvaText()) }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide, c.isTwoSideDocument, c.portraitRequired], ['DRIVING_LICENCE', 'USA', 'BACK', true, false]);
});

test('no MRZ, no barcode: headers and names make a FRONT that needs a portrait', () => {
  const c = classify(ev({ text: [line('PRINCIPAUTEDEMONACO', 30), line("Carte d'Identité")], portraits: [face(60, 0.7)] }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide, c.isTwoSideDocument, c.portraitRequired], ['IDENTITY_CARD', 'MCO', 'FRONT', true, true]);
  assert.ok(c.portrait);
  const dl = classify(ev({ text: [line('CALIFORNIA', 40), line('DRIVER LICENSE')] }), CFG);
  assert.deepEqual([dl.type, dl.country, dl.pageSide], ['DRIVING_LICENCE', 'USA', 'FRONT']);
  assert.equal(dl.portrait, null);
});

test('not a document: no MRZ, barcode, header; a name alone with a face and little text is not enough', () => {
  assert.equal(classify(ev({}), CFG).recognized, false);
  assert.equal(classify(ev({ portraits: [face(300)] }), CFG).recognized, false);
  const shirt = classify(ev({ text: [line('ITALIA', 40)], portraits: [face(300)] }), CFG);
  assert.equal(shirt.recognized, false);
});

test('portraits below the score or size floor are not usable', () => {
  const mrz = td3('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
  assert.equal(classify(ev({ mrz, portraits: [face(250, CFG.portraitMinScore - 0.01)] }), CFG).portrait, null);
  assert.equal(classify(ev({ mrz, portraits: [face(CFG.portraitMinFaceHeightPx - 1)] }), CFG).portrait, null);
});

test('phrase matching: accents, dropped spaces, one OCR slip per 8 letters, longest first', () => {
  assert.equal(normalizeText("Carte d'Identité — Nationalité"), 'CARTE D IDENTITE NATIONALITE');
  const items = [
    { item: 'id', phrase: 'NATIONAL IDENTITY CARD' },
    { item: 'nm', phrase: 'NEW MEXICO' },
    { item: 'mx', phrase: 'MEXICO' },
    { item: 'oh', phrase: 'OHIO' },
  ];
  const hits = (s: string) => findPhrases([s], items, 1).map((h) => h.item).sort();
  assert.deepEqual(hits('NATIONALIDENTITYCARD'), ['id']);
  assert.deepEqual(hits('NATI0NAL IDENTITV CARD'), ['id']);
  assert.deepEqual(hits('State of New Mexico'), ['nm']);
  assert.deepEqual(hits('OHI0'), []); // short names must be exact
  assert.deepEqual(hits('IDAHO'), []);
});

test('no MRZ read, but MRZ-like OCR lines: classified by their code and state, no MRZ reported', () => {
  const c = classify(ev({ text: [line('1974-SAOPAULO'), line('IRPRT1234AZ5679<<<<<<<'), line('7404076F0912220BRA<<<<<<<<<<<4'), line('GARCAO<DE<MAGALHAES<<INES<<<<<')] }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide, c.isTwoSideDocument], ['RESIDENCE_PERMIT', 'PRT', 'BACK', true]);
  const p = classify(ev({ text: [line('REPUBLIC OF CHINA', 30), line('P<T2<1E2<2G<<<<<<<<<<<<<<<<<<<<'), line('M000004264TWN6803029M9801048F122187664<<<<66')] }), CFG);
  assert.deepEqual([p.type, p.country, p.pageSide, p.isTwoSideDocument], ['PASSPORT', 'TWN', 'FRONT', false]);
  assert.equal(classify(ev({ text: [line('<<<<<<<<<<<<<<<<<<<<<<<<')] }), CFG).recognized, false);
});

test('an MRZ-like line that could not be read tells the side by the portrait, measured as a read MRZ', () => {
  // The one-line driving-licence MRZ (ISO/IEC 18013) of an EU licence front; the line box is 400 px.
  const dl = (portraits: Evidence['portraits'], textToOriginalPx = 1) =>
    classify(ev({ text: [line('PERMIS DE CONDUIRE', 30), { text: 'D1FRA13AA000026181231MARTIN<<9', confidence: 0.99, box: { x: 0, y: 0, width: 400, height: 14 } }], portraits, textToOriginalPx }), CFG);
  const front = dl([face(76)]); // 76 / 400 = 0.19
  assert.deepEqual([front.type, front.country, front.pageSide, front.sideByPortrait], ['DRIVING_LICENCE', 'FRA', 'FRONT', true]);
  assert.equal(dl([face(76)], 2).pageSide, 'BACK', 'the same face against a line twice as long in original pixels: 0.095');
  assert.equal(dl([]).pageSide, 'BACK', 'no portrait: the back');
  // A passport's code says the side by itself: no portrait needed.
  const p = classify(ev({ text: [line('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<')] }), CFG);
  assert.deepEqual([p.pageSide, p.sideByPortrait], ['FRONT', false]);
});

test('backs identified by what they print: the Peruvian DNI voting record needs three of its phrases', () => {
  const peru = classify(ev({ text: [line('CONSTANCIA'), line('SUFRAGIO'), line('Donacion de Organos'), line('Gupo de Votacion 2048:25')] }), CFG);
  assert.deepEqual([peru.recognized, peru.type, peru.country, peru.pageSide, peru.isTwoSideDocument], [true, 'IDENTITY_CARD', 'PER', 'BACK', true]);
  assert.equal(classify(ev({ text: [line('CONSTANCIA DE SUFRAGIO')] }), CFG).recognized, false, 'one line of two phrases is not enough');
});

test('the family tables are consistent: known state codes, no phrase claimed by two countries', async () => {
  const { COUNTRY_NAMES, SUBDIVISION_NAMES, HEADER_RULES, MRZ_RULES, ICAO_STATE_CODES } = await import('../../src/server/vision/document/families.js');
  const owner = new Map<string, string>();
  for (const c of [...COUNTRY_NAMES, ...SUBDIVISION_NAMES]) {
    assert.ok(ICAO_STATE_CODES.has(c.code), `unknown code ${c.code}`);
    for (const n of c.names) {
      const key = normalizeText(n);
      assert.ok(!owner.has(key) || owner.get(key) === c.code, `"${n}" claimed by ${owner.get(key)} and ${c.code}`);
      owner.set(key, c.code);
    }
  }
  for (const h of HEADER_RULES) if (h.country) assert.ok(ICAO_STATE_CODES.has(h.country), h.phrase);
  for (const r of MRZ_RULES) for (const c of r.countries ?? []) assert.ok(ICAO_STATE_CODES.has(c), c);
});

test('bestSubstringMatch with a bound: the same distance and span within it, bound + 1 beyond it', () => {
  // Seeded pseudo-random strings over a small alphabet, so that near matches are common.
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const word = (len: number) => Array.from({ length: len }, () => 'ABCDE'[rnd(5)]).join('');
  let within = 0;
  for (let k = 0; k < 400; k++) {
    const pattern = word(4 + rnd(12));
    // The pattern with 0–4 random substitutions, insertions or deletions, inside other letters.
    const chars = [...pattern];
    for (let e = rnd(5); e > 0; e--) chars.splice(rnd(chars.length + 1), rnd(3) === 0 ? 0 : 1, ...(rnd(3) === 1 ? [] : [word(1)]));
    const text = word(rnd(8)) + chars.join('') + word(rnd(8));
    const max = rnd(4);
    const free = bestSubstringMatch(pattern, text);
    const bounded = bestSubstringMatch(pattern, text, max);
    if (free.edits <= max) {
      within++;
      assert.deepEqual(bounded, free, `${pattern} in ${text}`);
    } else assert.equal(bounded.edits, max + 1, `${pattern} in ${text}`);
  }
  assert.ok(within > 100 && within < 390, `only ${within} of 400 cases fell within the bound`);
  assert.deepEqual(bestSubstringMatch('IDENTITYCARD', 'NATIONALIDENTITYCARDX', 1), { edits: 0, start: 8, end: 20 });
});

test('EU model licence and residence-permit titles name the type, and a national title the issuer', () => {
  const hun = classify(ev({ text: [line('VEZETŐI ENGEDÉLY', 30), line('MAGYARORSZÁG', 24)], portraits: [face(60)] }), CFG);
  assert.deepEqual([hun.type, hun.country, hun.pageSide], ['DRIVING_LICENCE', 'HUN', 'FRONT']);
  const nor = classify(ev({ text: [line('FØRERKORT', 30), line('NORGE', 24)], portraits: [face(60)] }), CFG);
  assert.deepEqual([nor.type, nor.country], ['DRIVING_LICENCE', 'NOR']);
  const svk = classify(ev({ text: [line('POVOLENIE NA POBYT', 30)], portraits: [face(60)] }), CFG);
  assert.deepEqual([svk.type, svk.country], ['RESIDENCE_PERMIT', 'SVK']);
});

test('a title printed by several states leaves the issuer to the national name beside it', () => {
  const arg = classify(ev({ text: [line('REPUBLICA ARGENTINA', 24), line('DOCUMENTO NACIONAL DE IDENTIDAD', 30)], portraits: [face(60)] }), CFG);
  assert.deepEqual([arg.type, arg.country], ['IDENTITY_CARD', 'ARG']);
  const esp = classify(ev({ text: [line('ESPAÑA', 24), line('DOCUMENTO NACIONAL DE IDENTIDAD', 30)], portraits: [face(60)] }), CFG);
  assert.deepEqual([esp.type, esp.country], ['IDENTITY_CARD', 'ESP']);
  const cyp = classify(ev({ text: [line('ΚΥΠΡΙΑΚΗ ΔΗΜΟΚΡΑΤΙΑ', 24), line('ΔΕΛΤΙΟ ΤΑΥΤΟΤΗΤΑΣ', 30)], portraits: [face(60)] }), CFG);
  assert.deepEqual([cyp.type, cyp.country], ['IDENTITY_CARD', 'CYP']);
});

test('one type vocabulary: a visa (code V) is OTHER, as are the US EAD (I) and Border Crossing Card (A); the schema lists the same types', async () => {
  const visa = { format: 'MRV-A' as const, lines: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'], valid: true, lineLengthPx: 1100 };
  const v = classify(ev({ mrz: visa }), CFG);
  assert.deepEqual([v.type, v.country, v.pageSide, v.isTwoSideDocument], ['OTHER', 'UTO', 'FRONT', false]);
  const bcc = classify(ev({ mrz: { ...td1('A3USA085043401<01<9108<<<<<<<<'), lines: ['A3USA085043401<01<9108<<<<<<<<', '7006171F0108168<<<<<<A5AA37743', 'GONZALEZ<MENDEZ<<CRISTINA<MARI'] } }), CFG);
  assert.deepEqual([bcc.type, bcc.country, bcc.pageSide], ['OTHER', 'USA', 'BACK']);
  const { DOCUMENT_TYPES } = await import('../../src/server/vision/contract.js');
  const { DocumentTypeSchema } = await import('../../src/server/http/schemas.js');
  assert.deepEqual(DocumentTypeSchema.anyOf.map((s: { const: string }) => s.const), [...DOCUMENT_TYPES]);
  assert.ok(!(DOCUMENT_TYPES as readonly string[]).includes('VISA'));
  const { MRZ_RULES, HEADER_RULES } = await import('../../src/server/vision/document/families.js');
  for (const r of [...MRZ_RULES, ...HEADER_RULES]) assert.ok((DOCUMENT_TYPES as readonly string[]).includes(r.type), r.type);
});

test('the French national ID card: its 2 × 36 zone (FRA-ID) is on the FRONT', () => {
  const fra = { format: 'FRA-ID' as const, lines: ['IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<', '8806923102858CORINNE<<<<<<<6512068F6'], valid: true, lineLengthPx: 900 };
  const c = classify(ev({ mrz: fra }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide, c.isTwoSideDocument, c.portraitRequired], ['IDENTITY_CARD', 'FRA', 'FRONT', true, true]);
});

test('a front without MRZ or title: ISO/IEC 18013 field numbers make a driving licence, the state name its country', () => {
  const text = [line('GEORGIA', 40), line('4d DLNO.999999999'), line('9CLASS C'), line('4bEXP02/22/2028'), line('1SAMPLE'), line('2IMA GEORGIA'), line('02/22/1954')];
  const c = classify(ev({ text, portraits: [face(130, 0.85)] }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide], ['DRIVING_LICENCE', 'USA', 'FRONT']);
  // One field number alone is not enough (a date or a number may start so).
  const one = classify(ev({ text: [line('GEORGIA', 40), line('4d DLNO.999999999'), line('A'), line('B'), line('C'), line('D')], portraits: [face(130, 0.85)] }), CFG);
  assert.equal(one.type, 'IDENTITY_CARD');
});

test('a passport title without an MRZ is not a data page (a cover or another page): not recognised', () => {
  const cover = classify(ev({ text: [line('UTOPIA', 40), line('PASSPORT', 40)] }), CFG);
  assert.equal(cover.recognized, false);
  assert.ok(cover.evidence.some((e) => /no MRZ/.test(e)));
  // With its MRZ the page is the data page.
  assert.equal(classify(ev({ text: [line('PASSPORT', 40)], mrz: td3('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<') }), CFG).type, 'PASSPORT');
});

test('a licence front whose state name is a logo the OCR misread: the "USA" mark line or a US postal address gives the country', () => {
  const text = [line('Ahizona', 80), line('DRIVER LICENSE'), line('USA'), line('4dDLND12345678'), line('SAMPLE')];
  const c = classify(ev({ text, portraits: [face(130, 0.85)] }), CFG);
  assert.deepEqual([c.type, c.country, c.pageSide], ['DRIVING_LICENCE', 'USA', 'FRONT']);
  assert.ok(c.evidence.some((e) => /the line "USA"/.test(e)));
  const address = classify(ev({ text: [line('DRIVER LICENSE'), line('123MAINSTREET'), line('PHOENIX,AZ85007')], portraits: [face(130, 0.85)] }), CFG);
  assert.equal(address.country, 'USA');
  // Not for a residence permit (its holder's nationality may read USA), nor a word that only
  // contains the mark, nor a postcode after a code that is no US state.
  assert.equal(classify(ev({ text: [line('RESIDENCE PERMIT'), line('USA')], portraits: [face(130, 0.85)] }), CFG).country, null);
  assert.equal(classify(ev({ text: [line('DRIVER LICENSE'), line('USAGE')], portraits: [face(130, 0.85)] }), CFG).country, null);
  assert.equal(classify(ev({ text: [line('DRIVER LICENSE'), line('LONDON, XX 12345')], portraits: [face(130, 0.85)] }), CFG).country, null);
});

test('a back without MRZ or barcode named by its printed phrases: the French 1988–2021 ID card back (address, validity, authority)', () => {
  const text = [line('Adresse:104 RUE DES FLEURS'), line('92100 BOULOGNE-BILLANCOURT'), line("Carte valable jusqu'au:21.06.1998"), line('delivree le:22.06.1988'), line('Par:SOUS-PREFECTURE DE BOULOGNE'), line("Signature de l'autorite")];
  const c = classify(ev({ text }), CFG);
  assert.deepEqual([c.recognized, c.type, c.country, c.pageSide, c.isTwoSideDocument, c.portraitRequired], [true, 'IDENTITY_CARD', 'FRA', 'BACK', true, false]);
  // Two phrases are not enough (an address and a date appear on many papers).
  assert.equal(classify(ev({ text: [line('Adresse: 1 rue X'), line('delivree le 01.01.2000')] }), CFG).recognized, false);
});

test('the Dutch and Irish titles of the EU uniform residence permit', () => {
  assert.equal(classify(ev({ text: [line('VERBLIJFSTITEL', 40)], portraits: [face(130)] }), CFG).type, 'RESIDENCE_PERMIT');
  const irl = classify(ev({ text: [line('CEAD CONAITHE', 40)], portraits: [face(130)] }), CFG);
  assert.deepEqual([irl.type, irl.country], ['RESIDENCE_PERMIT', 'IRL']);
});
