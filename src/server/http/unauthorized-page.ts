/**
 * The capture page's answer to a token the service cannot trust (missing, garbage, forged, expired,
 * of another tenant, of a disabled tenant, of a superseded generation): a data-free error page.
 *
 * The one exception to "framed only by the tenant's origins" (docs/security.md): an untrusted
 * token names no tenant we can believe, so no origin list applies; the page must still answer the
 * parent that framed it, with the spec's SESSION_UNAUTHORIZED event. So this page, and only it,
 * says `frame-ancestors *` and posts to `'*'` — which is safe because it carries nothing: no token,
 * no session id, no tenant, no configuration; the event is the constant
 * `{hasCompleted:false, hasError:true, error:"SESSION_UNAUTHORIZED"}` and the text is the
 * localised "link invalid or expired" message. Its one script is inline and allowed by its hash
 * (no 'unsafe-inline').
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { htmlLang, MESSAGES, pickLocale, RTL_LOCALES, type Locale } from '../../shared/i18n/index.js';
import { escapeHtml, pageHead } from './page-head.js';

/** What the page posts to its parent: the spec's IframeEventData for an unknown session. */
export const UNAUTHORIZED_EVENT = Object.freeze({ hasCompleted: false, hasError: true, error: 'SESSION_UNAUTHORIZED' });

const SCRIPT = `try{if(window.self!==window.top)window.parent.postMessage(${JSON.stringify(UNAUTHORIZED_EVENT)},"*")}catch(e){}`;
const SCRIPT_HASH = `'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;

export const UNAUTHORIZED_CSP = [
  "default-src 'none'",
  `script-src ${SCRIPT_HASH}`,
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors *',
].join('; ');

/** Language tags of an Accept-Language header, best first (q-values respected). */
export function acceptLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((t) => t.tag && t.tag !== '*' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((t) => t.tag);
}

export function unauthorizedHtml(locale: Locale, cssHref: string): string {
  const m = MESSAGES[locale];
  return `${pageHead(htmlLang(locale), RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', m['app.title'], cssHref)}
</head>
<body data-current="fatal">
<main id="app"><section class="screen screen-fatal" data-screen="fatal" aria-labelledby="title-fatal">
<h1 id="title-fatal">${escapeHtml(m['fatal.title'])}</h1>
<p class="text error-text" id="error-text" data-code="SESSION_UNAUTHORIZED" role="alert">${escapeHtml(m['errors.SESSION_UNAUTHORIZED'])}</p>
</section></main>
<script>${SCRIPT}</script>
</body>
</html>`;
}

export function sendUnauthorizedPage(reply: FastifyReply, lang: string | undefined, acceptLanguage: string | undefined, cssHref: string) {
  const locale = pickLocale(lang ?? null, acceptLanguages(acceptLanguage));
  return reply
    .header('content-security-policy', UNAUTHORIZED_CSP)
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()')
    .header('cache-control', 'no-store')
    .header('cross-origin-opener-policy', 'same-origin-allow-popups')
    .type('text/html; charset=utf-8')
    .send(unauthorizedHtml(locale, cssHref));
}
