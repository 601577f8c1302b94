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
 * The phone's page: exchange the link's code for the phone's own token (once; a GET of the link
 * does not use it up, so previewers cannot). The token is kept for this tab only
 * (sessionStorage), so a reload continues (iOS may reload the page after the camera prompt).
 */
async function resumePhone(config: PageConfig): Promise<PageConfig> {
  if (config.role !== 'phone' || !config.handoffCode) return config;
  const key = `idv-phone:${config.handoffCode}`;
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(key);
  } catch {
    stored = null; // storage unavailable (some private modes): a reload will need a new code
  }
  if (stored) {
    const state = await api.state(stored);
    if (state.ok) return { ...config, token: stored, session: state.body, reportSessionId: state.body.sessionId };
  }
  const res = await api.redeemHandoff(config.handoffCode);
  if (!res.ok) return { ...config, error: 'HANDOFF_INVALID' };
  try {
    sessionStorage.setItem(key, res.body.token);
  } catch {
    // see above
  }
  return { ...config, token: res.body.token, session: res.body.session, reportSessionId: res.body.session.sessionId };
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
