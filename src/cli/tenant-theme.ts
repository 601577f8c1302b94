/**
 * `tenant theme`: add, replace or remove one of a tenant's web page themes (server/session/themes.ts).
 *
 *   npm run --silent tenant -- theme --id <tenantId> --theme <name> --primary '#0b57d0' --on-primary '#ffffff'
 *        --background '#ffffff' --text '#1b1b1f' [--radius 12] [--font '"Inter", system-ui, sans-serif']
 *        [--logo logo.png] [--default]
 *   npm run --silent tenant -- theme --id <tenantId> --theme <name> --remove
 *
 * A theme below WCAG AA contrast is refused, with each failing pair and its ratio.
 */
import { readFileSync } from 'node:fs';
import { THEME_NAME, validateTheme, type WebTheme } from '../server/session/themes.js';
import type { TenantSettings } from '../server/session/types.js';

export const THEME_OPTIONS = {
  theme: { type: 'string' },
  primary: { type: 'string' },
  'on-primary': { type: 'string' },
  background: { type: 'string' },
  text: { type: 'string' },
  radius: { type: 'string' },
  font: { type: 'string' },
  logo: { type: 'string' },
  default: { type: 'boolean' },
  remove: { type: 'boolean' },
} as const;

const LOGO_TYPES: Record<string, 'image/png' | 'image/jpeg' | 'image/webp'> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** The tenant's settings with the theme changed; throws Error with a message for the operator. */
export function applyThemeCommand(values: Record<string, unknown>, settings: TenantSettings): TenantSettings {
  const name = typeof values.theme === 'string' ? values.theme : '';
  if (!THEME_NAME.test(name)) throw new Error('--theme <name>: lower-case letters, digits, - and _, up to 40');
  const themes = { ...(settings.themes ?? {}) };
  if (values.remove === true) {
    if (!Object.prototype.hasOwnProperty.call(themes, name)) throw new Error(`no theme ${name}`);
    delete themes[name];
    return { ...settings, themes, defaultTheme: settings.defaultTheme === name ? null : settings.defaultTheme ?? null };
  }
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  for (const k of ['primary', 'on-primary', 'background', 'text']) if (!str(k)) throw new Error(`--${k} '#rrggbb' is required`);
  let logo: WebTheme['logo'] = null;
  const logoPath = str('logo');
  if (logoPath) {
    const ext = logoPath.toLowerCase().split('.').pop() ?? '';
    const contentType = LOGO_TYPES[ext];
    if (!contentType) throw new Error('--logo: a .png, .jpg or .webp file');
    logo = { contentType, base64: readFileSync(logoPath).toString('base64') };
  }
  const theme = validateTheme({
    colors: { primary: str('primary')!, onPrimary: str('on-primary')!, background: str('background')!, text: str('text')! },
    cornerRadiusPx: str('radius') === undefined ? 12 : Number(str('radius')),
    fontStack: str('font') ?? null,
    logo,
  });
  themes[name] = theme;
  return { ...settings, themes, defaultTheme: values.default === true ? name : settings.defaultTheme ?? null };
}

/** Settings for printing: a logo as its type and size, not its bytes. */
export function printableSettings(settings: TenantSettings): unknown {
  if (!settings.themes) return settings;
  const themes = Object.fromEntries(
    Object.entries(settings.themes).map(([n, t]) => [n, { ...t, logo: t.logo ? { contentType: t.logo.contentType, bytes: Buffer.from(t.logo.base64, 'base64').length } : null }]),
  );
  return { ...settings, themes };
}
