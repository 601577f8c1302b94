/**
 * The 17 languages: every locale has exactly the keys of en-US, non-empty, with the same
 * placeholders, really translated (not an English copy), and a screen text for every error code
 * the document, face and complete endpoints can answer.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERRORS } from '../../src/shared/errors.js';
import { DEFAULT_LOCALE, LOCALES, MESSAGES, format, htmlLang, pickLocale, type Locale } from '../../src/shared/i18n/index.js';

const en = MESSAGES['en-US'];
const keys = Object.keys(en).sort();
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('exactly the 17 codes of the spec, jp-JP included', () => {
  assert.deepEqual([...LOCALES].sort(), [
    'ar-SA', 'cs-CZ', 'da-DK', 'de-DE', 'en-US', 'es-ES', 'fi-FI', 'fr-CA', 'fr-FR', 'hu-HU',
    'jp-JP', 'lv-LV', 'pt-PT', 'ro-RO', 'sk-SK', 'sv-SE', 'uk-UA',
  ]);
  assert.deepEqual(Object.keys(MESSAGES).sort(), [...LOCALES].sort());
});

for (const locale of LOCALES) {
  test(`${locale}: same keys as en-US, non-empty, same placeholders`, () => {
    const m = MESSAGES[locale] as Record<string, string>;
    assert.deepEqual(Object.keys(m).sort(), keys, `${locale} keys differ from en-US`);
    for (const k of keys) {
      assert.ok(typeof m[k] === 'string' && m[k]!.trim().length > 0, `${locale} ${k} is empty`);
      assert.deepEqual(placeholders(m[k]!), placeholders(en[k as keyof typeof en]), `${locale} ${k} placeholders`);
    }
  });
  if (locale === 'en-US') continue;
  test(`${locale}: really translated (no string left in English)`, () => {
    const m = MESSAGES[locale] as Record<string, string>;
    const same = keys.filter((k) => m[k] === (en as Record<string, string>)[k]);
    assert.deepEqual(same, [], `${locale} has English copies`);
  });
}

test('every error code of the document, face and complete endpoints has a screen text', () => {
  // The spec's lists, our image-input codes, and the catalogue's IMAGE_* codes as they grow.
  const codes = new Set<string>([
    'DOCUMENT_NOT_RECOGNIZED', 'FACE_QUALITY_LOW', 'INTERNAL_ERROR', 'SESSION_ALREADY_COMPLETED', 'WRONG_SIDE',
    'FACE_ANGLE_TOO_LARGE', 'FACE_CLOSE_TO_BORDER', 'FACE_CROPPED', 'FACE_IS_OCCLUDED', 'FACE_NOT_FOUND',
    'FACE_TOO_CLOSE', 'FACE_TOO_SMALL', 'TOO_MANY_FACES', 'MISSING_DOCUMENT_AND_FACE', 'SESSION_UNAUTHORIZED',
    'IMAGE_MISSING', 'IMAGE_UNDECODABLE', 'IMAGE_TOO_LARGE', 'IMAGE_DIMENSIONS_TOO_LARGE', 'IMAGE_TOO_SMALL',
    'SERVICE_BUSY',
  ]);
  for (const code of codes) assert.ok(code in ERRORS, `${code} is not in the catalogue`);
  for (const locale of LOCALES) {
    for (const code of codes) {
      assert.ok(`errors.${code}` in MESSAGES[locale], `${locale} lacks errors.${code}`);
    }
  }
});

test('pickLocale: lang parameter exactly, else browser languages, else English', () => {
  assert.equal(pickLocale('jp-JP', ['de-DE']), 'jp-JP');
  assert.equal(pickLocale('xx-YY', ['de-DE']), 'de-DE');
  assert.equal(pickLocale(null, ['ja']), 'jp-JP');
  assert.equal(pickLocale(null, ['ja-JP']), 'jp-JP');
  assert.equal(pickLocale(null, ['fr-CA', 'en']), 'fr-CA');
  assert.equal(pickLocale(null, ['fr-BE']), 'fr-FR');
  assert.equal(pickLocale(null, ['pt-BR']), 'pt-PT');
  assert.equal(pickLocale(null, ['ko-KR', 'zh']), DEFAULT_LOCALE);
  assert.equal(pickLocale(undefined, []), 'en-US');
  assert.equal(htmlLang('jp-JP' as Locale), 'ja-JP');
});

test('format fills placeholders and leaves unknown ones', () => {
  assert.equal(format(en, 'progress.step', { current: 1, total: 2 }), 'Step 1 of 2');
  assert.equal(format(en, 'progress.step', { current: 1 }), 'Step 1 of {total}');
});

test('normaliseLang: the spec codes in any case, ISO 639-1 alone, other regions of a known language; else null', async () => {
  const { normaliseLang } = await import('../../src/shared/i18n/index.js');
  const cases: [unknown, string | null][] = [
    ['de-DE', 'de-DE'], ['de', 'de-DE'], ['de-de', 'de-DE'], ['DE', 'de-DE'], ['de_DE', 'de-DE'], ['de-AT', 'de-DE'],
    ['jp-JP', 'jp-JP'], ['ja-JP', 'jp-JP'], ['ja', 'jp-JP'], ['jp', 'jp-JP'], ['JP', 'jp-JP'],
    ['fr', 'fr-FR'], ['fr-ca', 'fr-CA'], ['FR-CA', 'fr-CA'], ['fr-BE', 'fr-FR'], ['en', 'en-US'], ['en-GB', 'en-US'],
    ['pt-BR', 'pt-PT'], ['ar', 'ar-SA'], ['uk', 'uk-UA'], ['sv', 'sv-SE'],
    ['ko', null], ['', null], ['x', null], ['de-DE; drop', null], [undefined, null], [42, null], ['a'.repeat(40), null],
  ];
  for (const [input, expected] of cases) assert.equal(normaliseLang(input), expected, String(input));
});
