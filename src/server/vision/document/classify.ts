/**
 * Classification of one side of a document from the evidence the engine gathered: the MRZ, the
 * PDF417/AAMVA barcode, printed headers and names read by OCR, and the portrait. Pure: no image,
 * no model; every document-specific fact comes from the tables in families.ts.
 *
 * Order of evidence (strongest first), see docs/vision-documents.md:
 *   1. an MRZ whose document code and issuing state are readable → MRZ_RULES;
 *   2. an AAMVA PDF417 → driving licence / ID card of its jurisdiction, BACK;
 *   3. printed headers (HEADER_RULES) and country names (COUNTRY_NAMES, SUBDIVISION_NAMES) → a
 *      side without MRZ or barcode, which is the FRONT.
 * Nothing of these → not recognised.
 */
import type { Box, DocumentType, PageSide } from '../contract.js';
import type { AamvaData } from '../barcode/aamva.js';
import type { DocumentConfig } from './config.js';
import {
  COUNTRY_NAMES,
  HEADER_RULES,
  ICAO_STATE_CODES,
  ISO_CODE_FOR_ICAO,
  MRZ_RULES,
  SUBDIVISION_NAMES,
  DRIVING_LICENCE_FIELD_CUES,
  BACK_TEXT_RULES,
  COUNTRY_MARK_LINES,
  US_STATE_CODES,
  TYPE_TRAITS,
  TYPES_REQUIRING_MRZ,
  type HeaderRule,
  type MrzFormatName,
  type MrzRule,
} from './families.js';
import { findPhrases } from './text-match.js';

export interface TextEvidence {
  text: string;
  confidence: number;
  /** Working-image pixels. */
  box: Box;
}

export interface PortraitEvidence {
  /** Face box (forehead to chin), ORIGINAL-image pixels, in the upright document's frame. */
  box: Box;
  score: number;
}

export interface MrzEvidence {
  format: MrzFormatName;
  lines: string[];
  valid: boolean;
  /** Length of one MRZ line in ORIGINAL-image pixels (for the portrait-size ratio). */
  lineLengthPx: number | null;
}

export interface Evidence {
  mrz: MrzEvidence | null;
  aamva: AamvaData | null;
  text: TextEvidence[];
  portraits: PortraitEvidence[];
  /** Original-image pixels per pixel of the text boxes (the working image's 1 / scale); absent:
   * 1. Measures an MRZ-like line that could not be read against the portraits (rule 1b). */
  textToOriginalPx?: number;
}

export interface Classification {
  recognized: boolean;
  type: DocumentType | null;
  country: string | null;
  pageSide: PageSide | null;
  isTwoSideDocument: boolean | null;
  /** This side must carry a usable portrait (passport page, card front). */
  portraitRequired: boolean;
  /** The side was told by the portrait's size against an MRZ line that could not be read (rule
   * 1b): the faces must be looked for before the side is final. */
  sideByPortrait?: boolean;
  /** The portrait judged to be the document's primary one (largest usable), if any. */
  portrait: PortraitEvidence | null;
  /** Human-readable reasons, in the order they were applied. */
  evidence: string[];
  headers: Array<{ phrase: string; type: DocumentType; line: number }>;
  countryNames: Array<{ phrase: string; code: string; line: number }>;
}

/** Digits an OCR gives for the first letter of a document code (always a letter: P, I, A, C, V…;
 * the second character is the issuer's choice and may be a digit, e.g. the US "C1"). */
const CODE_LETTER: Readonly<Record<string, string>> = { '0': 'O', '1': 'I', '2': 'Z', '4': 'A', '5': 'S', '6': 'G', '8': 'B' };

/**
 * Document code (2 chars, a digit read for the first letter mapped back) and issuing
 * state as printed on MRZ line 1; the state only if it is a known code.
 */
export function mrzIdentity(lines: readonly string[]): { code: string; state: string | null } {
  const l1 = lines[0] ?? '';
  const first = l1.slice(0, 1);
  const code = (CODE_LETTER[first] ?? first) + l1.slice(1, 2);
  const state = l1.slice(2, 5).replace(/<+$/, '');
  return { code, state: ICAO_STATE_CODES.has(state) ? state : null };
}

/** The MRZ_RULES row for an MRZ as read, if any. */
export function mrzRuleFor(format: MrzFormatName, lines: readonly string[]): MrzRule | null {
  const { code, state } = mrzIdentity(lines);
  return matchRule(format, code, state);
}

function matchRule(format: MrzFormatName, code: string, state: string | null): MrzRule | null {
  for (const rule of MRZ_RULES) {
    if (!rule.formats.includes(format)) continue;
    if (!rule.codes.test(code)) continue;
    if (rule.countries && (!state || !rule.countries.includes(state))) continue;
    return rule;
  }
  return null;
}

/** OCR lines that look like MRZ lines: 20+ characters of A–Z 0–9 `<` with a filler run (`line`:
 * the text without spaces, upper case), with their boxes. */
function mrzLikeLines(text: readonly TextEvidence[], config: DocumentConfig): { line: string; box: Box }[] {
  return text
    .filter((t) => t.confidence >= config.textMinConfidence)
    .map((t) => ({ line: t.text.replace(/\s+/g, '').toUpperCase(), box: t.box }))
    .filter(({ line: t }) => t.length >= 20 && t.includes('<<') && [...t].filter((c) => /[A-Z0-9<]/.test(c)).length >= 0.9 * t.length);
}

/** ISO/IEC 18013-1 field identifiers found in the text (DRIVING_LICENCE_FIELD_CUES), by label. */
function drivingLicenceCues(text: readonly TextEvidence[], config: DocumentConfig): string[] {
  const lines = text.filter((t) => t.confidence >= config.textMinConfidence).map((t) => t.text.toUpperCase().replace(/[^A-Z0-9]+/g, ' '));
  return DRIVING_LICENCE_FIELD_CUES.filter((c) => lines.some((l) => c.pattern.test(l))).map((c) => c.label);
}

/** A BACK_TEXT_RULES row whose phrases the side prints (at least its `minHits`), with the hits. */
function backTextRule(text: readonly TextEvidence[], config: DocumentConfig): { rule: (typeof BACK_TEXT_RULES)[number]; hits: string[] } | null {
  const strings = text.filter((t) => t.confidence >= config.textMinConfidence).map((t) => t.text);
  for (const rule of BACK_TEXT_RULES) {
    const hits = [...new Set(findPhrases(strings, BACK_PHRASE_ITEMS.get(rule)!, config.fuzzyEditsPer8Chars).map((h) => h.phrase))];
    if (hits.length >= rule.minHits) return { rule, hits };
  }
  return null;
}
const BACK_PHRASE_ITEMS = new Map(BACK_TEXT_RULES.map((r) => [r, r.phrases.map((phrase) => ({ item: r, phrase }))]));

/** The country of a licence or ID-card front from a line reading exactly a country mark, or a US
 * postal address (`CITY, ST 12345`): COUNTRY_MARK_LINES, US_STATE_CODES. */
function countryFromMarks(text: readonly TextEvidence[], config: DocumentConfig): { code: string; why: string } | null {
  const lines = text.filter((t) => t.confidence >= config.textMinConfidence).map((t) => t.text.toUpperCase().replace(/\s+/g, ' ').trim());
  for (const m of COUNTRY_MARK_LINES) if (lines.some((l) => l.replace(/[^A-Z]/g, '') === m.mark)) return { code: m.code, why: `the line "${m.mark}"` };
  for (const l of lines) {
    const a = /,\s*([A-Z]{2})\s*\d{5}(?:-\d{4})?\b/.exec(l);
    if (a && US_STATE_CODES.includes(a[1]!)) return { code: 'USA', why: `a US postal address ("${l}")` };
  }
  return null;
}

/** The usable portrait: the largest face passing the score and size floors. */
export function pickPortrait(portraits: readonly PortraitEvidence[], config: DocumentConfig): PortraitEvidence | null {
  const usable = portraits
    .filter((p) => p.score >= config.portraitMinScore && p.box.height >= config.portraitMinFaceHeightPx)
    .sort((a, b) => b.box.height - a.box.height);
  return usable[0] ?? null;
}

interface TextFindings {
  headers: Array<{ phrase: string; type: DocumentType; line: number; rule: HeaderRule }>;
  countryNames: Array<{ phrase: string; code: string; line: number; subdivision: boolean }>;
  /** Country with the most weight from names and national headers, if any. */
  country: string | null;
  /** Type of the most specific header (longest phrase), if any. */
  headerType: DocumentType | null;
}

/** The phrase tables as findPhrases takes them, built once (it prepares each table once). */
const HEADER_ITEMS = HEADER_RULES.map((rule) => ({ item: rule, phrase: rule.phrase }));
const NAME_ITEMS = [
  ...COUNTRY_NAMES.flatMap((c) => c.names.map((phrase) => ({ item: { code: c.code, subdivision: false }, phrase }))),
  ...SUBDIVISION_NAMES.flatMap((c) => c.names.map((phrase) => ({ item: { code: c.code, subdivision: true }, phrase }))),
];

function readText(text: readonly TextEvidence[], config: DocumentConfig): TextFindings {
  const lines = text.filter((t) => t.confidence >= config.textMinConfidence);
  const strings = lines.map((l) => l.text);
  const headerHits = findPhrases(strings, HEADER_ITEMS, config.fuzzyEditsPer8Chars);
  const nameHits = findPhrases(strings, NAME_ITEMS, config.fuzzyEditsPer8Chars);

  // Weight of a line: its text height against the median (headers are printed large).
  const heights = lines.map((l) => Math.min(l.box.width, l.box.height)).sort((a, b) => a - b);
  const medianHeight = heights[Math.floor(heights.length / 2)] ?? 1;
  const weight = (line: number) => {
    const b = lines[line]!.box;
    return Math.max(0.5, Math.min(3, Math.min(b.width, b.height) / medianHeight));
  };
  const votes = new Map<string, number>();
  const vote = (code: string, w: number) => votes.set(code, (votes.get(code) ?? 0) + w);
  for (const h of nameHits) vote(h.item.code, weight(h.line) * (h.item.subdivision ? 0.8 : 1));
  for (const h of headerHits) if (h.item.country) vote(h.item.country, weight(h.line));
  let country: string | null = null;
  let best = 0;
  for (const [code, w] of votes) {
    if (w > best) {
      best = w;
      country = code;
    }
  }
  const longest = [...headerHits].sort((a, b) => b.phrase.length - a.phrase.length)[0];
  return {
    headers: headerHits.map((h) => ({ phrase: h.phrase, type: h.item.type, line: h.line, rule: h.item })),
    countryNames: nameHits.map((h) => ({ phrase: h.phrase, code: h.item.code, line: h.line, subdivision: h.item.subdivision })),
    country,
    headerType: longest?.item.type ?? null,
  };
}

export function classify(ev: Evidence, config: DocumentConfig): Classification {
  const evidence: string[] = [];
  const text = readText(ev.text, config);
  const portrait = pickPortrait(ev.portraits, config);
  const base = {
    headers: text.headers.map(({ phrase, type, line }) => ({ phrase, type, line })),
    countryNames: text.countryNames.map(({ phrase, code, line }) => ({ phrase, code, line })),
    portrait,
  };
  const done = (type: DocumentType, country: string | null, pageSide: PageSide, isTwoSideDocument: boolean): Classification => ({
    ...base,
    recognized: true,
    type,
    // The API reports ISO 3166 alpha-3: Germany's MRZ code D is DEU.
    country: country !== null ? (ISO_CODE_FOR_ICAO[country] ?? country) : null,
    pageSide,
    isTwoSideDocument,
    portraitRequired: TYPE_TRAITS[type].portraitOn.includes(pageSide),
    evidence,
  });

  // 1. MRZ
  if (ev.mrz) {
    const { code, state } = mrzIdentity(ev.mrz.lines);
    const rule = matchRule(ev.mrz.format, code, state);
    if (rule) {
      evidence.push(`MRZ ${ev.mrz.format} code "${code}" state ${state ?? '?'}: ${rule.note}`);
      let type = rule.type;
      if (rule.refinedByHeader && text.headerType && rule.refinedByHeader.includes(text.headerType)) {
        evidence.push(`printed header says ${text.headerType}`);
        type = text.headerType;
      }
      let side: PageSide;
      if (rule.mrzSide === 'BY_PORTRAIT') {
        const ratio = portrait && ev.mrz.lineLengthPx ? portrait.box.height / ev.mrz.lineLengthPx : 0;
        side = ratio >= config.primaryPortraitMinRatio ? 'FRONT' : 'BACK';
        evidence.push(
          portrait
            ? `portrait height / MRZ line length = ${ratio.toFixed(3)} (primary portrait from ${config.primaryPortraitMinRatio}) → ${side}`
            : `no portrait beside the MRZ → ${side}`,
        );
      } else {
        side = rule.mrzSide;
      }
      const country = state ?? text.country;
      if (!state) evidence.push(`MRZ issuing state unreadable; country from printed names: ${text.country ?? 'none'}`);
      return done(type, country, side, rule.isTwoSideDocument);
    }
    evidence.push(`MRZ ${ev.mrz.format} with code "${code}" matches no known family`);
  }

  // 1b. No MRZ could be read, but the OCR saw MRZ-like lines (long, `<`-filled): the document code
  // and issuing state at the start of the first one still classify the side. Nothing is reported
  // as an MRZ from this (the reader could not verify it).
  if (!ev.mrz) {
    const likeLines = mrzLikeLines(ev.text, config);
    const like = likeLines.map((l) => l.line);
    const first = like.find((l) => /^[A-Z0-9][A-Z0-9<][A-Z<]{3}/.test(l) && mrzIdentity([l]).state !== null) ?? like.find((l) => /^[A-Z0-9][A-Z0-9<]/.test(l));
    if (first) {
      const longest = Math.max(...like.map((l) => l.length));
      const format: MrzFormatName = longest >= 40 ? 'TD3' : longest >= 33 ? 'TD2' : 'TD1';
      const { code, state } = mrzIdentity([first]);
      const rule = matchRule(format, code, state);
      if (rule) {
        evidence.push(`MRZ-like text (${like.length} lines, longest ${longest} characters → ${format}) not readable as an MRZ; code "${code}" state ${state ?? '?'}: ${rule.note}`);
        let type = rule.type;
        if (rule.refinedByHeader && text.headerType && rule.refinedByHeader.includes(text.headerType)) type = text.headerType;
        let side: PageSide = rule.mrzSide === 'BY_PORTRAIT' ? 'BACK' : rule.mrzSide;
        if (rule.mrzSide === 'BY_PORTRAIT') {
          // The same measure as a read MRZ's (rule 1), on the line as detected: its box's long side.
          const lineLengthPx = Math.max(0, ...likeLines.map(({ box }) => Math.max(box.width, box.height))) * (ev.textToOriginalPx ?? 1);
          const ratio = portrait && lineLengthPx > 0 ? portrait.box.height / lineLengthPx : 0;
          side = ratio >= config.primaryPortraitMinRatio ? 'FRONT' : 'BACK';
          evidence.push(
            portrait
              ? `portrait height / MRZ-like line length = ${ratio.toFixed(3)} (primary portrait from ${config.primaryPortraitMinRatio}) → ${side}`
              : 'MRZ side without a measurable primary portrait → BACK',
          );
        }
        return { ...done(type, state ?? text.country, side, rule.isTwoSideDocument), sideByPortrait: rule.mrzSide === 'BY_PORTRAIT' };
      }
    }
  }

  // 2. AAMVA barcode
  if (ev.aamva) {
    const a = ev.aamva;
    evidence.push(
      `AAMVA PDF417 (IIN ${a.iin}${a.jurisdiction ? `, ${a.jurisdiction.name}` : ''}, subfiles ${a.subfileTypes.join('+') || '?'}): the barcode is on the back`,
    );
    return done(a.documentKind, a.country, 'BACK', true);
  }

  // 3a. A back without MRZ or barcode that its printed phrases identify (BACK_TEXT_RULES).
  const back = backTextRule(ev.text, config);
  if (back) {
    evidence.push(`printed back: ${back.hits.join(', ')}: ${back.rule.note}`);
    return done(back.rule.type, back.rule.country, 'BACK', TYPE_TRAITS[back.rule.type].isTwoSideDocument);
  }

  // 3. Printed text only: the side without MRZ or barcode of a known family is its front.
  // Every detected text line counts (read or not): the amount of print is the evidence here.
  const enoughText = ev.text.length >= config.minTextLinesWithoutHeader;
  const dlCues = drivingLicenceCues(ev.text, config);
  const headerType = text.headerType ?? (dlCues.length >= 2 ? 'DRIVING_LICENCE' : null);
  if (headerType && TYPES_REQUIRING_MRZ.includes(headerType)) {
    evidence.push(`printed header: ${text.headers.map((h) => h.phrase).join(', ')}; but no MRZ: a ${headerType.toLowerCase()} data page always carries one (a cover or another page)`);
  } else if (headerType || (text.country && portrait && enoughText)) {
    const type: DocumentType = headerType ?? 'IDENTITY_CARD';
    evidence.push(
      text.headerType
        ? `printed header: ${text.headers.map((h) => h.phrase).join(', ')}`
        : headerType
          ? `no type header; ISO/IEC 18013 driving-licence field numbers: ${dlCues.join(', ')}`
          : `no type header; a national name with a portrait and no MRZ is taken for an ID-card front`,
    );
    let country = text.country;
    evidence.push(`country from printed names: ${country ?? 'none'}`);
    if (!country && (type === 'DRIVING_LICENCE' || type === 'IDENTITY_CARD')) {
      const mark = countryFromMarks(ev.text, config);
      if (mark) {
        country = mark.code;
        evidence.push(`country from ${mark.why}: ${mark.code}`);
      }
    }
    evidence.push('no MRZ and no barcode on this side → FRONT');
    return done(type, country, 'FRONT', TYPE_TRAITS[type].isTwoSideDocument);
  }

  if (evidence.length === 0) evidence.push('no MRZ, no AAMVA barcode, no document header or national name');
  return {
    ...base,
    recognized: false,
    type: null,
    country: null,
    pageSide: null,
    isTwoSideDocument: null,
    portraitRequired: false,
    evidence,
  };
}
