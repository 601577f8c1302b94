/** Entry point of the capture page bundle: read the server's config, pick the language, start. */
import type { PageConfig } from '../shared/embed.js';
import { htmlLang, pickLocale, RTL_LOCALES, MESSAGES } from '../shared/i18n/index.js';
import { startApp } from './app.js';

function readConfig(): PageConfig {
  const el = document.getElementById('enrolment-config');
  return JSON.parse(el?.textContent ?? '{}') as PageConfig;
}

const config = readConfig();
const locale = pickLocale(config.lang, navigator.languages ?? [navigator.language]);
document.documentElement.lang = htmlLang(locale);
document.documentElement.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
document.title = MESSAGES[locale]['app.title'];
const root = document.getElementById('app');
if (root) startApp(root, config, locale);
