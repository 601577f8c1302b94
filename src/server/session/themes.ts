/**
 * Per-tenant themes of the web enrolment page: a logo, colours, a corner radius and a font stack,
 * kept in the tenant's settings under a name; a session chooses one at initialize
 * (`webEnrolmentTheme`), else the tenant's default theme applies, else the built-in look.
 *
 * The page's CSP stays strict (`style-src 'self'`, no inline style): a theme reaches the page as
 * a stylesheet the service serves (`themeCss`: CSS custom properties only, from validated values),
 * and its logo as an image the service serves (raster only: PNG, JPEG or WebP; an SVG opened on its
 * own could run script on our origin).
 *
 * Contrast: a theme is refused when any text it colours is below WCAG 2.x AA (4.5:1) on its
 * background — text on the page background, button text on the primary colour and on its hover
 * shade, the primary colour as text on the background (secondary buttons, links), the page's error
 * red and its hint panel against the theme's colours.
 */
import { createHash } from 'node:crypto';

export interface WebTheme {
  colors: {
    /** Buttons, links, focus: `#rrggbb`. */
    primary: string;
    /** Text on primary buttons. */
    onPrimary: string;
    /** Page background. */
    background: string;
    /** Body text. */
    text: string;
  };
  /** Corner radius of buttons, the preview and panels, px (0–32). */
  cornerRadiusPx: number;
  /** A CSS font-family list, e.g. `"Inter", system-ui, sans-serif` (names only; no url()). */
  fontStack: string | null;
  /** The tenant's logo, shown above each screen's heading. */
  logo: { contentType: 'image/png' | 'image/jpeg' | 'image/webp'; base64: string } | null;
}

/** WCAG 2.x AA for normal text. */
export const MIN_CONTRAST = 4.5;
/** Largest logo accepted, bytes (it is sent to every applicant). */
export const MAX_LOGO_BYTES = 100 * 1024;
/** The page's fixed colours a theme must also work with (styles.css). */
export const FIXED_COLORS = { error: '#a8201a', hintBackground: '#fff4d6' } as const;
export const THEME_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

const HEX = /^#[0-9a-f]{6}$/;
const FONT_STACK = /^[A-Za-z0-9 ,"'-]{1,200}$/;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two `#rrggbb` colours (1–21). */
export function contrast(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The primary colour's hover shade: 18 % towards black (or white on a dark primary). */
export function hoverShade(primary: string): string {
  const dark = luminance(primary) < 0.1;
  const out = rgb(primary).map((c) => Math.round(dark ? c + (255 - c) * 0.18 : c * 0.82));
  return `#${out.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Every text-on-background pair the page draws with a theme, with its ratio. */
export function contrastPairs(t: WebTheme): { pair: string; ratio: number }[] {
  const c = t.colors;
  const pairs: [string, string, string][] = [
    ['text on background', c.text, c.background],
    ['onPrimary on primary', c.onPrimary, c.primary],
    ['onPrimary on primary hover', c.onPrimary, hoverShade(c.primary)],
    ['primary on background', c.primary, c.background],
    ['error text on background', FIXED_COLORS.error, c.background],
    ['text on hint panel', c.text, FIXED_COLORS.hintBackground],
  ];
  return pairs.map(([pair, fg, bg]) => ({ pair, ratio: Math.round(contrast(fg, bg) * 100) / 100 }));
}

/**
 * Validates and normalises a theme given by an operator; throws an Error whose message says what
 * to change (bad colour, radius, font stack, logo, or each pair below AA with its ratio).
 */
export function validateTheme(input: WebTheme): WebTheme {
  const colors = { ...input.colors };
  for (const key of ['primary', 'onPrimary', 'background', 'text'] as const) {
    const v = String(colors[key] ?? '').trim().toLowerCase();
    if (!HEX.test(v)) throw new Error(`colour ${key} must be #rrggbb, got ${JSON.stringify(colors[key])}`);
    colors[key] = v;
  }
  const radius = input.cornerRadiusPx;
  if (!Number.isInteger(radius) || radius < 0 || radius > 32) throw new Error('corner radius must be an integer from 0 to 32 px');
  const font = input.fontStack === null ? null : input.fontStack.trim();
  if (font !== null && !FONT_STACK.test(font)) throw new Error('font stack: font names, quotes, commas, spaces and hyphens only (≤ 200 characters)');
  let logo = input.logo;
  if (logo) {
    if (!['image/png', 'image/jpeg', 'image/webp'].includes(logo.contentType)) throw new Error('logo must be PNG, JPEG or WebP');
    const bytes = Buffer.from(logo.base64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_LOGO_BYTES) throw new Error(`logo must be 1 byte to ${MAX_LOGO_BYTES} bytes`);
    const magic: Record<string, (b: Buffer) => boolean> = {
      'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
      'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8,
      'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
    };
    if (!magic[logo.contentType]!(bytes)) throw new Error(`logo bytes are not ${logo.contentType}`);
    logo = { contentType: logo.contentType, base64: bytes.toString('base64') };
  }
  const theme: WebTheme = { colors, cornerRadiusPx: radius, fontStack: font, logo };
  const low = contrastPairs(theme).filter((p) => p.ratio < MIN_CONTRAST);
  if (low.length > 0) {
    throw new Error(`contrast below WCAG AA (${MIN_CONTRAST}:1): ${low.map((p) => `${p.pair} ${p.ratio}:1`).join('; ')}`);
  }
  return theme;
}

/** The theme's stylesheet: custom properties on :root only, from validated values. */
export function themeCss(t: WebTheme): string {
  const c = t.colors;
  const lines = [
    `--primary: ${c.primary};`,
    `--primary-hover: ${hoverShade(c.primary)};`,
    `--on-primary: ${c.onPrimary};`,
    `--bg: ${c.background};`,
    `--fg: ${c.text};`,
    `--muted: ${c.text};`,
    `--secondary-hover: ${c.background};`,
    `--radius: ${t.cornerRadiusPx}px;`,
    ...(t.fontStack ? [`--font: ${t.fontStack};`] : []),
  ];
  return `/* tenant theme */\n:root {\n  ${lines.join('\n  ')}\n}\n`;
}

/** A short content hash of the theme (the stylesheet's and logo's URLs carry it: cache forever). */
export function themeHash(t: WebTheme): string {
  return createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 12);
}
