/** Entry point of the capture page bundle: read the server's config, pick the language, start. */
import type { PageConfig } from '../shared/embed.js';
import { htmlLang, pickLocale, RTL_LOCALES, MESSAGES } from '../shared/i18n/index.js';
import { api } from './api.js';
import { startApp } from './app.js';

function readConfig(): PageConfig {
  const el = document.getElementById('enrolment-config');
  return JSON.parse(el?.textContent ?? '{}') as PageConfig;
}

/**
 * The phone's link works once; a reload (iOS may reload after the camera prompt) would find it
 * used. The phone's own token is kept for this tab only (sessionStorage) so a reload continues.
 */
async function resumePhone(config: PageConfig): Promise<PageConfig> {
  if (config.role !== 'phone') return config;
  const key = `idv-phone:${location.pathname}`;
  try {
    if (config.token) {
      sessionStorage.setItem(key, config.token);
      return config;
    }
    const token = config.error === 'HANDOFF_INVALID' ? sessionStorage.getItem(key) : null;
    if (!token) return config;
    const state = await api.state(token);
    if (!state.ok) return config;
    return { ...config, token, session: state.body, error: null, reportSessionId: state.body.sessionId };
  } catch {
    return config; // storage unavailable (private mode): the link simply stays single-use
  }
}

async function main(): Promise<void> {
  const config = await resumePhone(readConfig());
  const locale = pickLocale(config.lang, navigator.languages ?? [navigator.language]);
  document.documentElement.lang = htmlLang(locale);
  document.documentElement.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  document.title = MESSAGES[locale]['app.title'];
  const root = document.getElementById('app');
  if (root) startApp(root, config, locale);
}

void main();
