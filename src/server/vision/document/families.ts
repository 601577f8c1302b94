/**
 * What we know about identity-document families, as DATA. The classifier (classify.ts) reads
 * these tables and holds no country- or document-specific branch of its own: to support a new
 * document, add a row here (and a test), never an `if`.
 *
 * Sources: ICAO Doc 9303 parts 3–7 (document codes, MRZ layouts, card sizes), the EU PRADO
 * register of identity and travel documents (printed headers and which side carries the MRZ),
 * AAMVA DL/ID Card Design Standard (North American cards).
 */
import { HISTORICAL_STATE_CODES, MRZ_STATE_CODES } from '../mrz/countries.js';
import type { DocumentType, PageSide } from '../contract.js';

export type MrzFormatName = 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B' | 'FRA-ID';

/**
 * How to read the side of a document that carries an MRZ. Rules are tried in order; the first
 * whose `codes`, `formats` and `countries` all match wins.
 */
export interface MrzRule {
  /** Document codes (first two MRZ characters, `<` as filler) this rule covers, as a regex. */
  codes: RegExp;
  formats: readonly MrzFormatName[];
  /** Issuing states (MRZ line 1, characters 3–5, alpha-3) the rule is limited to; absent = all. */
  countries?: readonly string[];
  type: DocumentType;
  /**
   * Which side the MRZ is printed on. 'BY_PORTRAIT' = cards that exist in both layouts: the
   * MRZ side is the FRONT when it carries the primary portrait (see config
   * `primaryPortraitMinRatio`), else the BACK.
   */
  mrzSide: PageSide | 'BY_PORTRAIT';
  isTwoSideDocument: boolean;
  /**
   * Printed-header types that override `type` on this side: a generic card code (I, A, C) is used
   * by ID cards, residence permits and other cards alike; the header tells them apart.
   */
  refinedByHeader?: readonly DocumentType[];
  /** Why the rule exists (shown in `details.evidence`). */
  note: string;
}

export const MRZ_RULES: readonly MrzRule[] = [
  // --- country-specific rows first ---
  {
    codes: /^I/,
    formats: ['TD1'],
    countries: ['USA'],
    type: 'OTHER',
    mrzSide: 'BACK',
    isTwoSideDocument: true,
    note: 'The USA issues no national identity card; a USA TD1 with code I is the Employment Authorization Document (Form I-766), MRZ on the back.',
  },
  {
    codes: /^A/,
    formats: ['TD1'],
    countries: ['USA'],
    type: 'OTHER',
    mrzSide: 'BACK',
    isTwoSideDocument: true,
    note: 'The USA issues no national identity card; a USA TD1 with code A is the Border Crossing Card (DSP-150), MRZ on the back.',
  },
  {
    codes: /^C/,
    formats: ['TD1'],
    countries: ['USA'],
    type: 'RESIDENCE_PERMIT',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    note: 'US Permanent Resident Card (code C1/C<): MRZ on the front with the portrait (1997–2010 design) or on the back (2010+).',
  },
  {
    codes: /^ID/,
    formats: ['FRA-ID'],
    countries: ['FRA'],
    type: 'IDENTITY_CARD',
    mrzSide: 'FRONT',
    isTwoSideDocument: true,
    note: 'French national identity card (1988–2021): its 2 × 36 zone is printed on the FRONT, under the portrait; the back carries the address.',
  },
  // --- residence permits by document code (EU uniform format and others) ---
  {
    codes: /^(IR|AR|CR|RP|RT|RF|IT|AT)/,
    formats: ['TD1', 'TD2'],
    type: 'RESIDENCE_PERMIT',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    note: 'Residence permit codes (EU uniform residence permit, Council Reg. 1030/2002: IR/AR/RT…).',
  },
  // --- generic ICAO rows ---
  {
    codes: /^P/,
    formats: ['TD3', 'TD2'],
    type: 'PASSPORT',
    mrzSide: 'FRONT',
    isTwoSideDocument: false,
    note: 'ICAO 9303 part 4: document code P = passport; the data page is one side (reported FRONT).',
  },
  {
    codes: /^V/,
    formats: ['MRV-A', 'MRV-B', 'TD3', 'TD2'],
    type: 'OTHER',
    mrzSide: 'FRONT',
    isTwoSideDocument: false,
    note: 'ICAO 9303 part 7: document code V = machine-readable visa (a sticker, one side): not a document of identity, reported OTHER.',
  },
  {
    codes: /^D/,
    formats: ['TD1', 'TD2'],
    type: 'DRIVING_LICENCE',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    note: 'Document code D: driving licences that print an ICAO-style MRZ.',
  },
  {
    codes: /^[IAC]/,
    formats: ['TD1'],
    type: 'IDENTITY_CARD',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    refinedByHeader: ['RESIDENCE_PERMIT', 'DRIVING_LICENCE', 'OTHER'],
    note: 'ICAO 9303 part 5: TD1 card with code I/A/C; the MRZ is on the back (zone VII) unless the side also carries the primary portrait.',
  },
  {
    codes: /^[IAC]/,
    formats: ['TD2'],
    type: 'IDENTITY_CARD',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    refinedByHeader: ['RESIDENCE_PERMIT', 'DRIVING_LICENCE', 'OTHER'],
    note: 'ICAO 9303 part 6: TD2 card with code I/A/C (e.g. older French ID cards print it next to the portrait).',
  },
  // --- last resort: the document code is unknown or unreadable; the format decides ---
  {
    codes: /^/,
    formats: ['TD1', 'TD2'],
    type: 'IDENTITY_CARD',
    mrzSide: 'BY_PORTRAIT',
    isTwoSideDocument: true,
    refinedByHeader: ['RESIDENCE_PERMIT', 'DRIVING_LICENCE', 'OTHER'],
    note: 'Unknown document code on a card-size MRZ: taken for an identity card (headers may refine it).',
  },
  {
    codes: /^/,
    formats: ['TD3'],
    type: 'PASSPORT',
    mrzSide: 'FRONT',
    isTwoSideDocument: false,
    note: 'Unknown document code on a passport-size MRZ: taken for a passport data page.',
  },
];

/** Per type: is it two-sided, and which sides must carry a usable portrait. */
export const TYPE_TRAITS: Readonly<Record<DocumentType, { isTwoSideDocument: boolean; portraitOn: readonly PageSide[] }>> = {
  PASSPORT: { isTwoSideDocument: false, portraitOn: ['FRONT'] },
  IDENTITY_CARD: { isTwoSideDocument: true, portraitOn: ['FRONT'] },
  DRIVING_LICENCE: { isTwoSideDocument: true, portraitOn: ['FRONT'] },
  RESIDENCE_PERMIT: { isTwoSideDocument: true, portraitOn: ['FRONT'] },
  OTHER: { isTwoSideDocument: true, portraitOn: [] },
};

/**
 * Printed headers that name the kind of document, in the languages of the issuers we know.
 * Matched on normalised OCR text (upper case, accents removed, punctuation → space) as whole words.
 * Longer, more specific phrases win over shorter ones (e.g. "PERMANENT RESIDENT CARD" over "CARD").
 */
export interface HeaderRule {
  phrase: string;
  type: DocumentType;
  /** Side the header is printed on when it is specific to one (e.g. AAMVA backs say nothing). */
  side?: PageSide;
  /** Country when the header itself is national (e.g. "DOCUMENTO NACIONAL DE IDENTIDAD" → ESP). */
  country?: string;
}

export const HEADER_RULES: readonly HeaderRule[] = [
  // passports
  { phrase: 'PASSPORT', type: 'PASSPORT' },
  { phrase: 'PASSEPORT', type: 'PASSPORT' },
  { phrase: 'REISEPASS', type: 'PASSPORT' },
  { phrase: 'PASAPORTE', type: 'PASSPORT' },
  { phrase: 'PASSAPORTO', type: 'PASSPORT' },
  { phrase: 'PASSAPORTE', type: 'PASSPORT' },
  { phrase: 'PASZPORT', type: 'PASSPORT' },
  { phrase: 'CESTOVNI PAS', type: 'PASSPORT' },
  { phrase: 'PUTOVNICA', type: 'PASSPORT' },
  { phrase: 'PASPOORT', type: 'PASSPORT' },
  { phrase: 'PASSI', type: 'PASSPORT' },
  { phrase: 'VEGABREF', type: 'PASSPORT' },
  { phrase: 'PASAS', type: 'PASSPORT' },
  { phrase: 'UTLEVEL', type: 'PASSPORT' },
  { phrase: 'ПАСПОРТ', type: 'PASSPORT' },
  { phrase: 'ПАСПОРТ ГРАЖДАНИНА', type: 'PASSPORT' },
  // identity cards
  { phrase: 'IDENTITY CARD', type: 'IDENTITY_CARD' },
  { phrase: 'NATIONAL IDENTITY CARD', type: 'IDENTITY_CARD' },
  { phrase: 'ID CARD', type: 'IDENTITY_CARD' },
  { phrase: 'CARTE D IDENTITE', type: 'IDENTITY_CARD' },
  { phrase: 'CARTE NATIONALE D IDENTITE', type: 'IDENTITY_CARD', country: 'FRA' },
  { phrase: 'PERSONALAUSWEIS', type: 'IDENTITY_CARD', country: 'D' },
  { phrase: 'IDENTITATSKARTE', type: 'IDENTITY_CARD' },
  // Spain, Argentina and Peru all print it: the national name beside it decides.
  { phrase: 'DOCUMENTO NACIONAL DE IDENTIDAD', type: 'IDENTITY_CARD' },
  { phrase: 'CARTA D IDENTITA', type: 'IDENTITY_CARD', country: 'ITA' },
  { phrase: 'CARTA DI IDENTITA', type: 'IDENTITY_CARD', country: 'ITA' },
  { phrase: 'CARTAO DE CIDADAO', type: 'IDENTITY_CARD', country: 'PRT' },
  { phrase: 'BILHETE DE IDENTIDADE', type: 'IDENTITY_CARD', country: 'PRT' },
  { phrase: 'IDENTITEITSKAART', type: 'IDENTITY_CARD' },
  { phrase: 'IDENTITETSKORT', type: 'IDENTITY_CARD' },
  { phrase: 'NATIONELLT IDENTITETSKORT', type: 'IDENTITY_CARD', country: 'SWE' },
  { phrase: 'HENKILOKORTTI', type: 'IDENTITY_CARD', country: 'FIN' },
  { phrase: 'ISIKUTUNNISTUS', type: 'IDENTITY_CARD', country: 'EST' },
  { phrase: 'PERSONAS APLIECIBA', type: 'IDENTITY_CARD', country: 'LVA' },
  { phrase: 'ASMENS TAPATYBES KORTELE', type: 'IDENTITY_CARD', country: 'LTU' },
  { phrase: 'DOWOD OSOBISTY', type: 'IDENTITY_CARD', country: 'POL' },
  { phrase: 'OBCANSKY PRUKAZ', type: 'IDENTITY_CARD', country: 'CZE' },
  { phrase: 'OBCIANSKY PREUKAZ', type: 'IDENTITY_CARD', country: 'SVK' },
  { phrase: 'OSOBNA ISKAZNICA', type: 'IDENTITY_CARD', country: 'HRV' },
  { phrase: 'OSEBNA IZKAZNICA', type: 'IDENTITY_CARD', country: 'SVN' },
  { phrase: 'SZEMELYAZONOSITO IGAZOLVANY', type: 'IDENTITY_CARD', country: 'HUN' },
  { phrase: 'CARTE DE IDENTITATE', type: 'IDENTITY_CARD', country: 'ROU' },
  { phrase: 'LICHNA KARTA', type: 'IDENTITY_CARD', country: 'BGR' },
  // Bulgarian, Serbian and Macedonian cards all print "ЛИЧНА КАРТА": the state comes from the
  // national name beside it ("РЕПУБЛИКА БЪЛГАРИЯ", "РЕПУБЛИКА СРБИЈА"…), not from this header.
  { phrase: 'ЛИЧНА КАРТА', type: 'IDENTITY_CARD' },
  { phrase: 'KARTA TAL IDENTITA', type: 'IDENTITY_CARD', country: 'MLT' },
  // Greek and Cypriot cards both print it ("ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ" / "ΚΥΠΡΙΑΚΗ ΔΗΜΟΚΡΑΤΙΑ" decides).
  { phrase: 'ΔΕΛΤΙΟ ΤΑΥΤΟΤΗΤΑΣ', type: 'IDENTITY_CARD' },
  { phrase: 'NASJONALT ID KORT', type: 'IDENTITY_CARD', country: 'NOR' },
  { phrase: 'NAFNSKIRTEINI', type: 'IDENTITY_CARD', country: 'ISL' },
  { phrase: 'LICNA KARTA', type: 'IDENTITY_CARD' },
  // Albanian and Kosovar cards both print it.
  { phrase: 'LETERNJOFTIM', type: 'IDENTITY_CARD' },
  { phrase: 'BULETIN DE IDENTITATE', type: 'IDENTITY_CARD', country: 'MDA' },
  { phrase: 'CARTEIRA DE IDENTIDADE', type: 'IDENTITY_CARD', country: 'BRA' },
  { phrase: 'CREDENCIAL PARA VOTAR', type: 'IDENTITY_CARD', country: 'MEX' },
  { phrase: 'ОСОБОВА КАРТКА', type: 'IDENTITY_CARD', country: 'UKR' },
  { phrase: 'ПАСПОРТ ГРОМАДЯНИНА УКРАЇНИ', type: 'IDENTITY_CARD', country: 'UKR' },
  { phrase: 'IDENTIFICATION CARD', type: 'IDENTITY_CARD' },
  { phrase: 'CEDULA DE IDENTIDAD', type: 'IDENTITY_CARD' },
  { phrase: 'CEDULA DE CIUDADANIA', type: 'IDENTITY_CARD', country: 'COL' },
  { phrase: 'DOCUMENTO DE IDENTIDAD', type: 'IDENTITY_CARD' },
  { phrase: 'DOCUMENTO NACIONAL DE IDENTIDADE', type: 'IDENTITY_CARD' },
  { phrase: 'KIMLIK KARTI', type: 'IDENTITY_CARD', country: 'TUR' },
  // driving licences
  { phrase: 'DRIVER LICENSE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVERS LICENSE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVER S LICENSE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVER LICENCE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVERS LICENCE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVER S LICENCE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVING LICENCE', type: 'DRIVING_LICENCE' },
  { phrase: 'DRIVING LICENSE', type: 'DRIVING_LICENCE' },
  { phrase: 'COMMERCIAL DRIVER LICENSE', type: 'DRIVING_LICENCE' },
  { phrase: 'PERMIS DE CONDUIRE', type: 'DRIVING_LICENCE' },
  { phrase: 'FUHRERSCHEIN', type: 'DRIVING_LICENCE' },
  { phrase: 'PERMISO DE CONDUCCION', type: 'DRIVING_LICENCE' },
  { phrase: 'LICENCIA DE CONDUCIR', type: 'DRIVING_LICENCE' },
  { phrase: 'PATENTE DI GUIDA', type: 'DRIVING_LICENCE' },
  { phrase: 'RIJBEWIJS', type: 'DRIVING_LICENCE' },
  { phrase: 'PRAWO JAZDY', type: 'DRIVING_LICENCE' },
  { phrase: 'RIDICSKY PRUKAZ', type: 'DRIVING_LICENCE' },
  { phrase: 'KORKORT', type: 'DRIVING_LICENCE' },
  { phrase: 'KOREKORT', type: 'DRIVING_LICENCE' },
  { phrase: 'AJOKORTTI', type: 'DRIVING_LICENCE' },
  { phrase: 'CARTA DE CONDUCAO', type: 'DRIVING_LICENCE' },
  { phrase: 'PERMIS DE CONDUCERE', type: 'DRIVING_LICENCE' },
  // The other titles of the EU model licence (Directive 2006/126/EC, annex I), one per language;
  // a title used by one issuer only names it. Ø is a letter of its own (not an accented O), so
  // Danish and Norwegian titles are listed with it and as OCR often reads it, with O.
  { phrase: 'KØREKORT', type: 'DRIVING_LICENCE', country: 'DNK' },
  { phrase: 'FØRERKORT', type: 'DRIVING_LICENCE', country: 'NOR' },
  { phrase: 'FORERKORT', type: 'DRIVING_LICENCE', country: 'NOR' },
  { phrase: 'СВИДЕТЕЛСТВО ЗА УПРАВЛЕНИЕ НА МПС', type: 'DRIVING_LICENCE', country: 'BGR' },
  { phrase: 'JUHILUBA', type: 'DRIVING_LICENCE', country: 'EST' },
  { phrase: 'CEADUNAS TIOMANA', type: 'DRIVING_LICENCE', country: 'IRL' },
  { phrase: 'ΑΔΕΙΑ ΟΔΗΓΗΣΗΣ', type: 'DRIVING_LICENCE' }, // Greece and Cyprus
  { phrase: 'VOZACKA DOZVOLA', type: 'DRIVING_LICENCE' }, // Croatia, and Serbia, Bosnia, Montenegro
  { phrase: 'VADITAJA APLIECIBA', type: 'DRIVING_LICENCE', country: 'LVA' },
  { phrase: 'VAIRUOTOJO PAZYMEJIMAS', type: 'DRIVING_LICENCE', country: 'LTU' },
  { phrase: 'VEZETOI ENGEDELY', type: 'DRIVING_LICENCE', country: 'HUN' },
  { phrase: 'LICENZJA TAS SEWQAN', type: 'DRIVING_LICENCE', country: 'MLT' },
  { phrase: 'VOZNISKO DOVOLJENJE', type: 'DRIVING_LICENCE', country: 'SVN' },
  { phrase: 'VODICSKY PREUKAZ', type: 'DRIVING_LICENCE', country: 'SVK' },
  { phrase: 'OKUSKIRTEINI', type: 'DRIVING_LICENCE', country: 'ISL' },
  { phrase: 'ВОДИТЕЛЬСКОЕ УДОСТОВЕРЕНИЕ', type: 'DRIVING_LICENCE' },
  // residence permits
  { phrase: 'RESIDENCE PERMIT', type: 'RESIDENCE_PERMIT' },
  { phrase: 'PERMANENT RESIDENT', type: 'RESIDENCE_PERMIT' },
  { phrase: 'PERMANENT RESIDENT CARD', type: 'RESIDENCE_PERMIT' },
  { phrase: 'RESIDENT CARD', type: 'RESIDENCE_PERMIT' },
  { phrase: 'AUFENTHALTSTITEL', type: 'RESIDENCE_PERMIT' },
  { phrase: 'AUFENTHALTSKARTE', type: 'RESIDENCE_PERMIT' },
  { phrase: 'TITULO DE RESIDENCIA', type: 'RESIDENCE_PERMIT' },
  { phrase: 'AUTORIZACION DE RESIDENCIA', type: 'RESIDENCE_PERMIT' },
  { phrase: 'TITRE DE SEJOUR', type: 'RESIDENCE_PERMIT' },
  { phrase: 'PERMIS DE SEJOUR', type: 'RESIDENCE_PERMIT' },
  { phrase: 'CARTE DE SEJOUR', type: 'RESIDENCE_PERMIT' },
  { phrase: 'PERMESSO DI SOGGIORNO', type: 'RESIDENCE_PERMIT' },
  { phrase: 'VERBLIJFSVERGUNNING', type: 'RESIDENCE_PERMIT' },
  // The Dutch title of the EU uniform residence permit (Netherlands, and Belgium beside the French
  // and German ones).
  { phrase: 'VERBLIJFSTITEL', type: 'RESIDENCE_PERMIT' },
  { phrase: 'VERBLIJFSDOCUMENT', type: 'RESIDENCE_PERMIT' },
  { phrase: 'KARTA POBYTU', type: 'RESIDENCE_PERMIT' },
  { phrase: 'POVOLENI K POBYTU', type: 'RESIDENCE_PERMIT' },
  { phrase: 'UPPEHALLSTILLSTAND', type: 'RESIDENCE_PERMIT' },
  { phrase: 'OPHOLDSTILLADELSE', type: 'RESIDENCE_PERMIT' },
  { phrase: 'OPPHOLDSTILLATELSE', type: 'RESIDENCE_PERMIT' },
  { phrase: 'OLESKELULUPA', type: 'RESIDENCE_PERMIT' },
  // The other titles of the EU uniform residence permit (Regulation (EC) 1030/2002), and the
  // Swiss foreigner's card.
  { phrase: 'РАЗРЕШЕНИЕ ЗА ПРЕБИВАВАНЕ', type: 'RESIDENCE_PERMIT', country: 'BGR' },
  { phrase: 'ELAMISLUBA', type: 'RESIDENCE_PERMIT', country: 'EST' },
  { phrase: 'ΑΔΕΙΑ ΔΙΑΜΟΝΗΣ', type: 'RESIDENCE_PERMIT' }, // Greece and Cyprus
  { phrase: 'PERMISO DE RESIDENCIA', type: 'RESIDENCE_PERMIT' },
  { phrase: 'AUTORIZACAO DE RESIDENCIA', type: 'RESIDENCE_PERMIT', country: 'PRT' },
  { phrase: 'DOZVOLA BORAVKA', type: 'RESIDENCE_PERMIT', country: 'HRV' },
  { phrase: 'UZTURESANAS ATLAUJA', type: 'RESIDENCE_PERMIT', country: 'LVA' },
  { phrase: 'LEIDIMAS GYVENTI', type: 'RESIDENCE_PERMIT', country: 'LTU' },
  { phrase: 'TARTOZKODASI ENGEDELY', type: 'RESIDENCE_PERMIT', country: 'HUN' },
  { phrase: 'PERMESS TA RESIDENZA', type: 'RESIDENCE_PERMIT', country: 'MLT' },
  { phrase: 'PERMIS DE SEDERE', type: 'RESIDENCE_PERMIT', country: 'ROU' },
  { phrase: 'DOVOLJENJE ZA PREBIVANJE', type: 'RESIDENCE_PERMIT', country: 'SVN' },
  { phrase: 'POVOLENIE NA POBYT', type: 'RESIDENCE_PERMIT', country: 'SVK' },
  { phrase: 'DVALARLEYFI', type: 'RESIDENCE_PERMIT', country: 'ISL' },
  { phrase: 'CEAD CONAITHE', type: 'RESIDENCE_PERMIT', country: 'IRL' },
  { phrase: 'AUSLANDERAUSWEIS', type: 'RESIDENCE_PERMIT', country: 'CHE' },
  { phrase: 'BIOMETRIC RESIDENCE PERMIT', type: 'RESIDENCE_PERMIT', country: 'GBR' },
  { phrase: 'ВИД НА ЖИТЕЛЬСТВО', type: 'RESIDENCE_PERMIT' },
  // other identity-related documents that are not one of the types above
  { phrase: 'EMPLOYMENT AUTHORIZATION', type: 'OTHER', country: 'USA' },
  { phrase: 'EMPLOYMENT AUTHORIZATION CARD', type: 'OTHER', country: 'USA' },
  { phrase: 'BORDER CROSSING CARD', type: 'OTHER' },
  { phrase: 'BORDER CROSSER', type: 'OTHER' },
];

/**
 * Field identifiers of ISO/IEC 18013-1 (the driving-licence standard: the EU model licence and
 * the AAMVA 2016 card design number their fields the same way) as printed beside the labels:
 * 4a issue date, 4b expiry, 4d licence number, 9 categories or class, 9a endorsements, 12
 * restrictions, 5 document discriminator. Two of them on a side without a type title make it a
 * driving licence (one could be a date or a number that happens to start so).
 */
export const DRIVING_LICENCE_FIELD_CUES: readonly { label: string; pattern: RegExp }[] = [
  { label: '4a issue', pattern: /\b4A\s*(ISS|DATE)/ },
  { label: '4b expiry', pattern: /\b4B\s*(EXP|DATE)/ },
  { label: '4d number', pattern: /\b4D\s*(DL|LIC|NO|N0)/ },
  { label: '9 class', pattern: /\b9\s*(CLASS|CLASE|KAT|CAT)/ },
  { label: '9a endorsements', pattern: /\b9A\s*END/ },
  { label: '12 restrictions', pattern: /\b12\s*REST/ },
  { label: '5 discriminator', pattern: /\b5\s*DD\b/ },
];

/** A passport's data page always carries an MRZ (ICAO Doc 9303 part 4): a side read as a
 * passport by its title alone is its cover or another page, not the data page. */
export const TYPES_REQUIRING_MRZ: readonly DocumentType[] = ['PASSPORT'];

/**
 * Country names as printed on documents (English, the national language(s) — Latin and Cyrillic
 * script — and the forms used in headers such as "REPUBLIC OF …"). Whole-word match on
 * normalised text. `code` is the MRZ issuing-state code (ISO 3166-1 alpha-3, ICAO `D` for Germany).
 * Names that are also common words or places elsewhere are left out (noted where it matters).
 */
export interface CountryName {
  code: string;
  names: readonly string[];
}

export const COUNTRY_NAMES: readonly CountryName[] = [
  { code: 'ALB', names: ['ALBANIA', 'SHQIPERIA', 'REPUBLIKA E SHQIPERISE'] },
  { code: 'AND', names: ['ANDORRA', 'PRINCIPAT D ANDORRA'] },
  { code: 'ARG', names: ['ARGENTINA', 'REPUBLICA ARGENTINA'] },
  { code: 'ARM', names: ['ARMENIA', 'REPUBLIC OF ARMENIA', 'ՀԱՅԱՍՏԱՆ'] },
  { code: 'AUS', names: ['AUSTRALIA'] },
  { code: 'AUT', names: ['AUSTRIA', 'REPUBLIK OSTERREICH', 'OSTERREICH'] },
  { code: 'AZE', names: ['AZERBAIJAN', 'AZERBAYCAN', 'AZƏRBAYCAN', 'AZERBAYCAN RESPUBLIKASI', 'AZƏRBAYCAN RESPUBLIKASI', 'REPUBLIC OF AZERBAIJAN'] },
  { code: 'BEL', names: ['BELGIUM', 'BELGIQUE', 'BELGIE', 'BELGIEN', 'KINGDOM OF BELGIUM', 'ROYAUME DE BELGIQUE'] },
  { code: 'BGR', names: ['BULGARIA', 'REPUBLIC OF BULGARIA', 'РЕПУБЛИКА БЪЛГАРИЯ', 'БЪЛГАРИЯ'] },
  { code: 'BIH', names: ['BOSNIA AND HERZEGOVINA', 'BOSNA I HERCEGOVINA', 'БОСНА И ХЕРЦЕГОВИНА'] },
  { code: 'BLR', names: ['BELARUS', 'REPUBLIC OF BELARUS', 'РЭСПУБЛІКА БЕЛАРУСЬ', 'РЕСПУБЛИКА БЕЛАРУСЬ', 'БЕЛАРУСЬ'] },
  { code: 'BRA', names: ['REPUBLICA FEDERATIVA DO BRASIL'] },
  { code: 'CAN', names: ['CANADA'] },
  { code: 'CHE', names: ['SWITZERLAND', 'SCHWEIZ', 'SUISSE', 'SVIZZERA', 'SVIZRA', 'SCHWEIZERISCHE EIDGENOSSENSCHAFT', 'CONFEDERATION SUISSE', 'CONFEDERAZIONE SVIZZERA'] },
  { code: 'CHL', names: ['REPUBLICA DE CHILE'] },
  { code: 'CHN', names: ["PEOPLE S REPUBLIC OF CHINA", 'PEOPLES REPUBLIC OF CHINA', '中华人民共和国'] },
  { code: 'COL', names: ['REPUBLICA DE COLOMBIA'] },
  { code: 'CYP', names: ['CYPRUS', 'KYPROS', 'REPUBLIC OF CYPRUS', 'ΚΥΠΡΙΑΚΗ ΔΗΜΟΚΡΑΤΙΑ', 'KIBRIS CUMHURIYETI'] },
  { code: 'CZE', names: ['CZECH REPUBLIC', 'CESKA REPUBLIKA', 'CZECHIA'] },
  { code: 'D', names: ['GERMANY', 'BUNDESREPUBLIK DEUTSCHLAND', 'DEUTSCHLAND', 'FEDERAL REPUBLIC OF GERMANY', 'REPUBLIQUE FEDERALE D ALLEMAGNE'] },
  { code: 'DNK', names: ['DENMARK', 'DANMARK', 'KONGERIGET DANMARK'] },
  { code: 'ESP', names: ['SPAIN', 'ESPANA', 'REINO DE ESPANA', 'KINGDOM OF SPAIN'] },
  { code: 'EST', names: ['ESTONIA', 'EESTI', 'EESTI VABARIIK', 'REPUBLIC OF ESTONIA'] },
  { code: 'FIN', names: ['FINLAND', 'SUOMI', 'SUOMI FINLAND', 'REPUBLIC OF FINLAND'] },
  { code: 'FRA', names: ['FRANCE', 'REPUBLIQUE FRANCAISE', 'FRENCH REPUBLIC'] },
  { code: 'GBR', names: ['UNITED KINGDOM', 'UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND', 'GREAT BRITAIN'] },
  { code: 'GEO', names: ['SAKARTVELO', 'საქართველო'] }, // "GEORGIA" is also a US state: left out
  { code: 'GRC', names: ['GREECE', 'HELLENIC REPUBLIC', 'ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ', 'ELLINIKI DIMOKRATIA'] },
  { code: 'HRV', names: ['CROATIA', 'REPUBLIKA HRVATSKA', 'REPUBLIC OF CROATIA', 'HRVATSKA'] },
  { code: 'HUN', names: ['HUNGARY', 'MAGYARORSZAG'] },
  { code: 'IND', names: ['REPUBLIC OF INDIA', 'भारत गणराज्य'] },
  { code: 'IRL', names: ['IRELAND', 'EIRE'] },
  { code: 'ISL', names: ['ICELAND'] }, // "ISLAND" (Icelandic) also ends Rhode Island, Prince Edward Island
  { code: 'ISR', names: ['STATE OF ISRAEL', 'ISRAEL'] },
  { code: 'ITA', names: ['ITALY', 'REPUBBLICA ITALIANA', 'ITALIA'] },
  { code: 'JPN', names: ['JAPAN', '日本国'] },
  { code: 'KAZ', names: ['KAZAKHSTAN', 'REPUBLIC OF KAZAKHSTAN', 'ҚАЗАҚСТАН', 'КАЗАХСТАН', 'ҚАЗАҚСТАН РЕСПУБЛИКАСЫ'] },
  { code: 'KGZ', names: ['KYRGYZ REPUBLIC', 'КЫРГЫЗ РЕСПУБЛИКАСЫ', 'КЫРГЫЗСКАЯ РЕСПУБЛИКА'] },
  { code: 'KOR', names: ['REPUBLIC OF KOREA', '대한민국'] },
  { code: 'LIE', names: ['LIECHTENSTEIN', 'FURSTENTUM LIECHTENSTEIN'] },
  { code: 'LTU', names: ['LITHUANIA', 'LIETUVA', 'LIETUVOS RESPUBLIKA', 'REPUBLIC OF LITHUANIA'] },
  { code: 'LUX', names: ['LUXEMBOURG', 'GRAND DUCHE DE LUXEMBOURG', 'LETZEBUERG'] },
  { code: 'LVA', names: ['LATVIA', 'LATVIJA', 'LATVIJAS REPUBLIKA', 'REPUBLIC OF LATVIA'] },
  { code: 'MCO', names: ['MONACO', 'PRINCIPAUTE DE MONACO', 'PRINCIPALITY OF MONACO'] },
  { code: 'MDA', names: ['MOLDOVA', 'REPUBLICA MOLDOVA', 'REPUBLIC OF MOLDOVA'] },
  { code: 'MEX', names: ['ESTADOS UNIDOS MEXICANOS', 'MEXICO'] },
  { code: 'MKD', names: ['NORTH MACEDONIA', 'REPUBLIC OF NORTH MACEDONIA', 'РЕПУБЛИКА СЕВЕРНА МАКЕДОНИЈА'] },
  { code: 'MLT', names: ['MALTA', 'REPUBLIC OF MALTA', 'REPUBBLIKA TA MALTA'] },
  { code: 'MNE', names: ['MONTENEGRO', 'CRNA GORA', 'ЦРНА ГОРА'] },
  { code: 'NLD', names: ['NETHERLANDS', 'NEDERLAND', 'KONINKRIJK DER NEDERLANDEN', 'KINGDOM OF THE NETHERLANDS'] },
  { code: 'NOR', names: ['NORWAY', 'NORGE', 'NOREG', 'KONGERIKET NORGE'] },
  { code: 'NZL', names: ['NEW ZEALAND'] },
  { code: 'POL', names: ['POLAND', 'POLSKA', 'RZECZPOSPOLITA POLSKA', 'REPUBLIC OF POLAND'] },
  { code: 'PRT', names: ['PORTUGAL', 'REPUBLICA PORTUGUESA', 'PORTUGUESE REPUBLIC'] },
  { code: 'ROU', names: ['ROMANIA'] },
  { code: 'RUS', names: ['RUSSIAN FEDERATION', 'РОССИЙСКАЯ ФЕДЕРАЦИЯ', 'РОССИЯ'] },
  { code: 'SMR', names: ['SAN MARINO', 'REPUBBLICA DI SAN MARINO'] },
  { code: 'SRB', names: ['SERBIA', 'REPUBLIKA SRBIJA', 'РЕПУБЛИКА СРБИЈА', 'REPUBLIC OF SERBIA'] },
  { code: 'SVK', names: ['SLOVAKIA', 'SLOVENSKA REPUBLIKA', 'SLOVAK REPUBLIC'] },
  { code: 'SVN', names: ['SLOVENIA', 'REPUBLIKA SLOVENIJA', 'SLOVENIJA'] },
  { code: 'SWE', names: ['SWEDEN', 'SVERIGE', 'KONUNGARIKET SVERIGE', 'SUEDE'] },
  { code: 'TUR', names: ['TURKEY', 'TURKIYE', 'TURKIYE CUMHURIYETI', 'REPUBLIC OF TURKEY', 'REPUBLIC OF TURKIYE'] },
  { code: 'TWN', names: ['REPUBLIC OF CHINA', 'TAIWAN', '中華民國'] },
  { code: 'UKR', names: ['UKRAINE', 'УКРАЇНА'] },
  { code: 'USA', names: ['UNITED STATES OF AMERICA', 'UNITED STATES', 'U S DEPARTMENT OF'] }, // bare "USA" is also a nationality or birthplace on foreign cards
  { code: 'ARE', names: ['UNITED ARAB EMIRATES'] },
  { code: 'BGD', names: ['PEOPLE S REPUBLIC OF BANGLADESH'] },
  { code: 'BOL', names: ['ESTADO PLURINACIONAL DE BOLIVIA'] },
  { code: 'DZA', names: ['REPUBLIQUE ALGERIENNE DEMOCRATIQUE ET POPULAIRE'] },
  { code: 'ECU', names: ['REPUBLICA DEL ECUADOR'] },
  { code: 'EGY', names: ['ARAB REPUBLIC OF EGYPT'] },
  { code: 'GHA', names: ['REPUBLIC OF GHANA'] },
  { code: 'HKG', names: ['HONG KONG SPECIAL ADMINISTRATIVE REGION', 'HONG KONG'] },
  { code: 'IDN', names: ['REPUBLIK INDONESIA', 'REPUBLIC OF INDONESIA'] },
  { code: 'KEN', names: ['REPUBLIC OF KENYA'] },
  { code: 'MAR', names: ['ROYAUME DU MAROC', 'KINGDOM OF MOROCCO'] },
  { code: 'MYS', names: ['MALAYSIA'] },
  { code: 'NGA', names: ['FEDERAL REPUBLIC OF NIGERIA'] },
  { code: 'PAK', names: ['ISLAMIC REPUBLIC OF PAKISTAN'] },
  { code: 'PER', names: ['REPUBLICA DEL PERU'] },
  { code: 'PHL', names: ['REPUBLIC OF THE PHILIPPINES', 'REPUBLIKA NG PILIPINAS'] },
  { code: 'PRY', names: ['REPUBLICA DEL PARAGUAY'] },
  { code: 'SAU', names: ['KINGDOM OF SAUDI ARABIA'] },
  { code: 'SGP', names: ['REPUBLIC OF SINGAPORE', 'SINGAPORE'] },
  { code: 'THA', names: ['KINGDOM OF THAILAND'] },
  { code: 'TUN', names: ['REPUBLIQUE TUNISIENNE'] },
  { code: 'URY', names: ['REPUBLICA ORIENTAL DEL URUGUAY'] },
  { code: 'VEN', names: ['REPUBLICA BOLIVARIANA DE VENEZUELA'] },
  { code: 'VNM', names: ['SOCIALIST REPUBLIC OF VIET NAM', 'VIET NAM'] },
  { code: 'UTO', names: ['UTOPIA'] }, // ICAO Doc 9303's fictional issuing state of its specimens
  { code: 'UZB', names: ['UZBEKISTAN', 'O ZBEKISTON', 'OZBEKISTON', 'ЎЗБЕКИСТОН'] },
  { code: 'ZAF', names: ['REPUBLIC OF SOUTH AFRICA', 'SOUTH AFRICA'] },
];

/**
 * Sub-national issuers (US states, Canadian provinces) that print their own name as the header of
 * driving licences and state ID cards. Names that are also countries (Georgia) stay here only.
 */
export const SUBDIVISION_NAMES: readonly CountryName[] = [
  {
    code: 'USA',
    names: [
      'ALABAMA', 'ALASKA', 'ARIZONA', 'ARKANSAS', 'CALIFORNIA', 'COLORADO', 'CONNECTICUT', 'DELAWARE',
      'DISTRICT OF COLUMBIA', 'FLORIDA', 'GEORGIA', 'HAWAII', 'IDAHO', 'ILLINOIS', 'INDIANA', 'IOWA', 'KANSAS',
      'KENTUCKY', 'LOUISIANA', 'MAINE', 'MARYLAND', 'MASSACHUSETTS', 'MICHIGAN', 'MINNESOTA', 'MISSISSIPPI',
      'MISSOURI', 'MONTANA', 'NEBRASKA', 'NEVADA', 'NEW HAMPSHIRE', 'NEW JERSEY', 'NEW MEXICO', 'NEW YORK',
      'NORTH CAROLINA', 'NORTH DAKOTA', 'OHIO', 'OKLAHOMA', 'OREGON', 'PENNSYLVANIA', 'RHODE ISLAND',
      'SOUTH CAROLINA', 'SOUTH DAKOTA', 'TENNESSEE', 'TEXAS', 'UTAH', 'VERMONT', 'VIRGINIA', 'WASHINGTON',
      'WEST VIRGINIA', 'WISCONSIN', 'WYOMING', 'PUERTO RICO',
    ],
  },
  {
    code: 'CAN',
    names: [
      'ALBERTA', 'BRITISH COLUMBIA', 'MANITOBA', 'NEW BRUNSWICK', 'NOUVEAU BRUNSWICK', 'NEWFOUNDLAND AND LABRADOR',
      'NOVA SCOTIA', 'NOUVELLE ECOSSE', 'ONTARIO', 'PRINCE EDWARD ISLAND', 'QUEBEC', 'SASKATCHEWAN', 'YUKON',
      'NORTHWEST TERRITORIES', 'NUNAVUT',
    ],
  },
];

/**
 * The issuing country of a driving-licence or identity-card FRONT whose printed names gave none,
 * from two marks of North American cards (used only then, and never for residence permits, whose
 * holders' nationality may be printed):
 * - `COUNTRY_MARK_LINES`: a text line that reads exactly the mark. The AAMVA DL/ID Card Design
 *   Standard (2016) prints "USA" beside the jurisdiction's name on US cards, whose name may be a
 *   stylised logo the recogniser misreads ("Ahizona").
 * - `US_STATE_CODES` in a postal address (`CITY, ST 12345`, USPS format): the holder's address.
 */
export const COUNTRY_MARK_LINES: readonly { mark: string; code: string }[] = [{ mark: 'USA', code: 'USA' }];
export const US_STATE_CODES: readonly string[] = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD',
  'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD',
  'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR',
];

/**
 * Backs without MRZ or barcode that their printed text identifies: the phrases of the back of a
 * known family (at least `minHits` of them on the side). Such a back needs no portrait.
 */
export interface BackTextRule {
  phrases: readonly string[];
  minHits: number;
  type: DocumentType;
  country: string;
  note: string;
}

export const BACK_TEXT_RULES: readonly BackTextRule[] = [
  {
    phrases: ['CARTE VALABLE JUSQU AU', 'DELIVREE LE', 'SIGNATURE DE L AUTORITE', 'PREFECTURE', 'ADRESSE'],
    minHits: 3,
    type: 'IDENTITY_CARD',
    country: 'FRA',
    note: "French national identity card (1988–2021), back: address, validity (\"Carte valable jusqu'au\"), issue date and authority (\"délivrée le … par … préfecture\"); its MRZ is on the front (PRADO FRA-BO-02).",
  },
  {
    phrases: ['CONSTANCIA', 'SUFRAGIO', 'GRUPO DE VOTACION', 'DONACION DE ORGANOS'],
    minHits: 3,
    type: 'IDENTITY_CARD',
    country: 'PER',
    note: 'Peruvian national identity card (DNI), back: the voting record ("constancia de sufragio", "grupo de votación"), organ donation and address; a PDF417 that is not AAMVA; its MRZ is on the front.',
  },
];

/**
 * Physical formats by MRZ format (ICAO 9303 parts 4–7): page size and MRZ line length (2.54 mm per
 * character), mm. Used to find the document around its MRZ (e.g. to look for the portrait).
 */
export const MRZ_PAGE_GEOMETRY: Readonly<Record<MrzFormatName, { widthMm: number; heightMm: number; lineMm: number }>> = {
  /** ID-1 card 85.60 × 53.98 mm, 30 characters. */
  TD1: { widthMm: 85.6, heightMm: 53.98, lineMm: 76.2 },
  /** 105 × 74 mm, 36 characters. */
  TD2: { widthMm: 105, heightMm: 74, lineMm: 91.44 },
  /** Passport data page 125 × 88 mm, 44 characters. */
  TD3: { widthMm: 125, heightMm: 88, lineMm: 111.76 },
  /** Visa sticker 120 × 80 mm, 44 characters. */
  'MRV-A': { widthMm: 120, heightMm: 80, lineMm: 111.76 },
  /** Visa sticker 108 × 80 mm, 36 characters. */
  'MRV-B': { widthMm: 108, heightMm: 80, lineMm: 91.44 },
  /** French national ID card (1988–2021), ID-2 size 105 × 74 mm, 36 characters. */
  'FRA-ID': { widthMm: 105, heightMm: 74, lineMm: 91.44 },
};

/**
 * Valid MRZ issuing-state codes: ISO 3166-1 alpha-3 plus ICAO's own (Doc 9303 part 3, 5), as the
 * MRZ reader's table (`mrz/countries.ts`) without the filler of the one-letter German code.
 * The country reported from an MRZ must be one of these (an OCR slip in the code is not a country).
 */
export const ICAO_STATE_CODES: ReadonlySet<string> = new Set([...MRZ_STATE_CODES].map((c) => c.replace(/<+$/, '')));

/**
 * ICAO codes that are not ISO 3166-1 alpha-3, mapped to the ISO code the API reports (its
 * `country` is ISO 3166 alpha-3). Germany prints `D` in its MRZs; the other ICAO-only codes
 * (UTO, EUE, UNO, XXA, RKS…) have no ISO equivalent and are reported as printed.
 */
export const ISO_CODE_FOR_ICAO: Readonly<Record<string, string>> = {
  D: 'DEU',
  // Withdrawn codes still printed (mrz/countries.ts HISTORICAL_STATE_CODES): the current state.
  ...Object.fromEntries(
    Object.entries(HISTORICAL_STATE_CODES)
      .filter((e): e is [string, string] => e[1] !== null)
      .map(([k, v]) => [k.replace(/<+$/, ''), v]),
  ),
};
