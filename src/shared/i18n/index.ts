/**
 * The 17 languages of the spec (`&lang=`), exact codes, including `jp-JP`. No Node, no DOM: the
 * web UI bundles this, the server and tests import it. The UI owns the words; the server sends
 * codes. Add a language: add its code to LOCALES, a file in messages/, and an entry below.
 */
import arSA from './messages/ar-SA.js';
import csCZ from './messages/cs-CZ.js';
import daDK from './messages/da-DK.js';
import deDE from './messages/de-DE.js';
import enUS from './messages/en-US.js';
import esES from './messages/es-ES.js';
import fiFI from './messages/fi-FI.js';
import frCA from './messages/fr-CA.js';
import frFR from './messages/fr-FR.js';
import huHU from './messages/hu-HU.js';
import jpJP from './messages/jp-JP.js';
import lvLV from './messages/lv-LV.js';
import ptPT from './messages/pt-PT.js';
import roRO from './messages/ro-RO.js';
import skSK from './messages/sk-SK.js';
import svSE from './messages/sv-SE.js';
import ukUA from './messages/uk-UA.js';

export type MessageKey = keyof typeof enUS;
/** A locale's messages: exactly the keys of en-US (extra or missing keys fail type checking). */
export type Messages = { readonly [K in MessageKey]: string };

export const LOCALES = [
  'ar-SA', 'cs-CZ', 'da-DK', 'en-US', 'fi-FI', 'fr-FR', 'fr-CA', 'de-DE', 'hu-HU',
  'jp-JP', 'lv-LV', 'pt-PT', 'ro-RO', 'sk-SK', 'es-ES', 'sv-SE', 'uk-UA',
] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en-US';

export const MESSAGES: Record<Locale, Messages> = {
  'ar-SA': arSA, 'cs-CZ': csCZ, 'da-DK': daDK, 'en-US': enUS, 'fi-FI': fiFI, 'fr-FR': frFR,
  'fr-CA': frCA, 'de-DE': deDE, 'hu-HU': huHU, 'jp-JP': jpJP, 'lv-LV': lvLV, 'pt-PT': ptPT,
  'ro-RO': roRO, 'sk-SK': skSK, 'es-ES': esES, 'sv-SE': svSE, 'uk-UA': ukUA,
};

/** Right-to-left locales. */
export const RTL_LOCALES: ReadonlySet<Locale> = new Set<Locale>(['ar-SA']);

/** The BCP 47 tag for the `lang` attribute (the spec's `jp-JP` is Japanese, `ja-JP`). */
export function htmlLang(locale: Locale): string {
  return locale === 'jp-JP' ? 'ja-JP' : locale;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Language (ISO 639-1, lower case) → the locale it means when the parameter names no region. */
const BY_LANGUAGE: Readonly<Record<string, Locale>> = {
  ar: 'ar-SA', cs: 'cs-CZ', da: 'da-DK', en: 'en-US', fi: 'fi-FI', fr: 'fr-FR', de: 'de-DE', hu: 'hu-HU',
  ja: 'jp-JP', jp: 'jp-JP', lv: 'lv-LV', pt: 'pt-PT', ro: 'ro-RO', sk: 'sk-SK', es: 'es-ES', sv: 'sv-SE',
  uk: 'uk-UA',
};

/**
 * The `lang` parameter as one of the 17 locales, or null. Any case; `_` or `-`; a spec code
 * (`de-DE`, `jp-JP`), its BCP 47 twin (`ja-JP`), or an ISO 639-1 code alone (`de` → de-DE,
 * `ja`/`jp` → jp-JP, `fr` → fr-FR). A known language with another region (`de-AT`, `pt-BR`,
 * `en-GB`) → that language's locale; `fr-CA` stays fr-CA. Anything else → null (browser languages
 * decide).
 */
export function normaliseLang(value: unknown): Locale | null {
  if (typeof value !== 'string' || value.length > 35) return null;
  const tag = value.trim().replace(/_/g, '-').toLowerCase();
  if (!/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(tag)) return null;
  const exact = LOCALES.find((l) => l.toLowerCase() === tag || htmlLang(l).toLowerCase() === tag);
  if (exact) return exact;
  return BY_LANGUAGE[tag.split('-')[0]!] ?? null;
}

/**
 * Pick the locale: a `lang` parameter wins (normalised: `de`, `de-de` → de-DE); else the first browser language that matches a
 * locale exactly, then by language (`de` → de-DE, `ja` → jp-JP, `fr` → fr-FR); else English.
 */
export function pickLocale(langParam: string | null | undefined, browserLanguages: readonly string[]): Locale {
  const fromParam = normaliseLang(langParam);
  if (fromParam) return fromParam;
  for (const raw of browserLanguages) {
    const tag = raw.trim();
    const exact = LOCALES.find((l) => htmlLang(l).toLowerCase() === tag.toLowerCase() || l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
  }
  for (const raw of browserLanguages) {
    const lang = raw.trim().toLowerCase().split('-')[0];
    const preferred: Record<string, Locale> = { fr: 'fr-FR', ja: 'jp-JP', jp: 'jp-JP' };
    if (lang && preferred[lang]) return preferred[lang];
    const byLang = LOCALES.find((l) => htmlLang(l).toLowerCase().split('-')[0] === lang);
    if (byLang) return byLang;
  }
  return DEFAULT_LOCALE;
}

/** The message with `{name}` placeholders filled in. */
export function format(messages: Messages, key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
