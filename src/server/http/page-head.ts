/**
 * The opening of the service's own HTML pages (the capture page and the data-free error page):
 * doctype, language and direction, the meta lines every page carries, its title and stylesheet.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Everything up to and including `<link rel="stylesheet">`; the caller adds the rest of `<head>`. */
export function pageHead(lang: string, dir: 'ltr' | 'rtl', title: string, cssHref: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(cssHref)}">`;
}
