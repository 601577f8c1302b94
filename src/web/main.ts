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
    if (state.ok) {
      const theme = await api.theme(stored);
      return { ...config, token: stored, session: state.body, reportSessionId: state.body.sessionId, theme: theme.ok ? theme.body.theme : null };
    }
  }
  const res = await api.redeemHandoff(config.handoffCode);
  if (!res.ok) return { ...config, error: 'HANDOFF_INVALID' };
  try {
    sessionStorage.setItem(key, res.body.token);
  } catch {
    // see above
  }
  return { ...config, token: res.body.token, session: res.body.session, reportSessionId: res.body.session.sessionId, theme: res.body.theme };
}

/**
 * The tenant's theme: its stylesheet (served by the service, so the CSP's `style-src 'self'`
 * allows it; it only sets CSS custom properties) after the page's own. The page starts once it has
 * loaded (or failed, or after THEME_WAIT_MS), so the applicant does not see the colours change.
 */
export const THEME_WAIT_MS = 1500;
function applyTheme(config: PageConfig): Promise<void> {
  const theme = config.theme;
  if (!theme || !theme.css.startsWith('/web-enrolment/themes/')) return Promise.resolve();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = theme.css;
  link.id = 'tenant-theme';
  document.body.classList.add('themed');
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, THEME_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    link.addEventListener('load', done);
    link.addEventListener('error', done);
    document.head.append(link);
  });
}

async function main(): Promise<void> {
  const config = await resumePhone(readConfig());
  await applyTheme(config);
  const locale = pickLocale(config.lang, navigator.languages ?? [navigator.language]);
  document.documentElement.lang = htmlLang(locale);
  document.documentElement.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  document.title = MESSAGES[locale]['app.title'];
  const root = document.getElementById('app');
  if (root) startApp(root, config, locale);
}

void main();
