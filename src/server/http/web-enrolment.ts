/**
 * The web enrolment UI, served by the service (no CDN): the capture page at /web-enrolment/,
 * its hashed assets, the phone page of the cross-device handoff (/web-enrolment/m/<code>), the
 * handoff API the desktop polls, and the demo page for integrators (/web-enrolment/demo).
 *
 * Headers of the pages: a strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval';
 * the page config is a non-executed <script type="application/json">), `frame-ancestors` from
 * the tenant's allowed iframe origins ('none' when unknown), `Permissions-Policy: camera=(self)`,
 * no referrer (the token is in the URL), no caching; the assets are content-hashed, cached for a
 * year and precompressed (brotli/gzip by Accept-Encoding, encoded-assets.ts). The one exception: a token we cannot trust
 * gets a data-free error page that any parent may frame (unauthorized-page.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { isCaptureAdvice, type DocumentAdvice, type FatalError, type HandoffRedeemed, type PageConfig, type PageTheme } from '../../shared/embed.js';
import { CodedError } from '../../shared/errors.js';
import { DEFAULT_LOCALE, htmlLang, isLocale, MESSAGES, normaliseLang, RTL_LOCALES } from '../../shared/i18n/index.js';
import { getWebAssets, type Asset, type WebAssets } from '../../web/build.js';
import { normaliseCode } from '../handoff/code.js';
import { createHandoff, handoffStatus, redeemHandoff, snapshot } from '../handoff/handoff.js';
import { authorizeSession } from '../session/authorize-session.js';
import type { SessionDeps } from '../session/deps.js';
import { THEME_NAME, themeCss, themeHash, type WebTheme } from '../session/themes.js';
import type { Capture, Session, Tenant } from '../session/types.js';
import { bearerToken, requireSession } from './auth.js';
import { encodeAssets, negotiate, type EncodedAsset } from './encoded-assets.js';
import { pageHead } from './page-head.js';
import { sendUnauthorizedPage } from './unauthorized-page.js';
import { demoRoutes } from './web-demo.js';

export interface WebEnrolmentOptions {
  session: SessionDeps;
  /** Prebuilt assets (tests may share one build); built at registration when absent. */
  assets?: WebAssets;
  /** Serve /web-enrolment/demo (opens sessions for a demo tenant without credentials). */
  demo: boolean;
}

export const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()';

export function pageCsp(frameAncestors: readonly string[], frameSrc: readonly string[] = []): string {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    ...(frameSrc.length > 0 ? [`frame-src ${frameSrc.join(' ')}`] : []),
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** JSON for a <script type="application/json"> element: `<` escaped so no tag can end it early. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function pageHtml(assets: { js: Asset; css: Asset }, config: unknown, lang: string | null, title: string): string {
  const locale = isLocale(lang) ? lang : null;
  const langAttr = locale ? htmlLang(locale) : 'en';
  const dir = locale && RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  return `${pageHead(langAttr, dir, title, `/web-enrolment/assets/${assets.css.name}`)}
<script type="module" src="/web-enrolment/assets/${assets.js.name}"></script>
</head>
<body>
<script type="application/json" id="enrolment-config">${jsonForHtml(config)}</script>
<div id="live-polite" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
<div id="live-assertive" class="visually-hidden" aria-live="assertive" aria-atomic="true"></div>
<main id="app"></main>
</body>
</html>`;
}

const flag = (v: unknown, value: string) => typeof v === 'string' && v.toLowerCase() === value;

interface PageQuery {
  token?: string;
  iframe?: string;
  lang?: string;
  crossDevice?: string;
  onlyMobile?: string;
}

/**
 * Who the token claims to be, when reading the session failed (INTERNAL_ERROR): only used to pick
 * the tenant's allowed origins so the iframe can be shown and report the error to its parent. Claims are trusted only if the session exists and belongs to the claimed tenant; the
 * event then goes only to origins that tenant registered, never anywhere else.
 */
async function claimedSession(deps: SessionDeps, token: string | undefined): Promise<{ session: Session; tenant: Tenant } | null> {
  if (!token) return null;
  try {
    const claims = decodeJwt(token);
    if (typeof claims.sessionId !== 'string' || typeof claims.tenant !== 'string') return null;
    const session = await deps.store.sessions.get(claims.sessionId);
    if (!session || session.tenantId !== claims.tenant) return null;
    const tenant = await deps.store.tenants.get(session.tenantId);
    return tenant ? { session, tenant } : null;
  } catch {
    return null;
  }
}

/**
 * The session's latest document attempt, when it was refused: its code and the engine's
 * `details.captureAdvice` (only that code, never the engine's other details). The retake screen
 * turns it into one sentence saying what to change.
 */
export async function latestDocumentAdvice(deps: SessionDeps, sessionId: string): Promise<DocumentAdvice> {
  let last: Capture | undefined;
  for (const c of await deps.store.sessions.listCaptures(sessionId)) if (c.kind === 'DOCUMENT') last = c;
  if (!last || last.accepted) return { refusedWith: null, advice: null };
  const details = (last.result as { details?: unknown } | null)?.details;
  const advice = details && typeof details === 'object' ? (details as { captureAdvice?: unknown }).captureAdvice : null;
  return { refusedWith: last.error, advice: isCaptureAdvice(advice) ? advice : null };
}

/** The session's theme: the one it chose at initialize, else the tenant's default; null: none. */
export function sessionTheme(tenant: Tenant | null, session: Session): { name: string; theme: WebTheme } | null {
  const name = session.webTheme ?? tenant?.settings.defaultTheme ?? null;
  const theme = tenantTheme(tenant, name);
  return name && theme ? { name, theme } : null;
}

/** One of the tenant's own themes by name (never an inherited property); undefined: none. */
function tenantTheme(tenant: Tenant | null | undefined, name: string | null): WebTheme | undefined {
  const themes = tenant?.settings.themes;
  return name && themes && Object.prototype.hasOwnProperty.call(themes, name) ? themes[name] : undefined;
}

/** The theme's URLs for the page (content-hashed: a changed theme gets new URLs). */
export function pageTheme(tenant: Tenant | null, session: Session): PageTheme | null {
  const t = sessionTheme(tenant, session);
  if (!t || !tenant) return null;
  const base = `/web-enrolment/themes/${encodeURIComponent(tenant.id)}/${encodeURIComponent(t.name)}.${themeHash(t.theme)}`;
  return { name: t.name, css: `${base}.css`, logo: t.theme.logo ? `${base}.logo` : null, logoAlt: tenant.name };
}

export async function webEnrolmentPlugin(app: FastifyInstance, opts: WebEnrolmentOptions) {
  const deps = opts.session;
  const assets = opts.assets ?? (await getWebAssets());
  // Compressed once here, at start-up (encoded-assets.ts); served by Accept-Encoding.
  const byName = new Map<string, EncodedAsset>((await encodeAssets(Object.values(assets))).map((e) => [e.asset.name, e]));

  // The service's defaults add X-Frame-Options: DENY; our pages use CSP frame-ancestors instead
  // (browsers ignore X-Frame-Options when frame-ancestors is present, but older ones do not).
  // This hook runs after the service's (it is registered in this child context).
  app.addHook('onSend', async (_request, reply, payload) => {
    const csp = String(reply.getHeader('content-security-policy') ?? '');
    if (csp.includes('frame-ancestors ') && !csp.includes("frame-ancestors 'none'")) reply.removeHeader('x-frame-options');
    return payload;
  });

  function sendPage(reply: FastifyReply, config: PageConfig, frameAncestors: readonly string[]) {
    return reply
      .header('content-security-policy', pageCsp(frameAncestors))
      .header('permissions-policy', PERMISSIONS_POLICY)
      .header('cache-control', 'no-store')
      .header('cross-origin-opener-policy', 'same-origin-allow-popups')
      .type('text/html; charset=utf-8')
      .send(pageHtml({ js: assets.appJs, css: assets.appCss }, config, config.lang, MESSAGES[isLocale(config.lang) ? config.lang : DEFAULT_LOCALE]['app.title']));
  }

  app.get('/web-enrolment', (_req, reply) => reply.redirect('/web-enrolment/'));

  app.get<{ Querystring: PageQuery }>('/web-enrolment/', async (request, reply) => {
    const q = request.query;
    const iframe = flag(q.iframe, 'true');
    const onlyMobile = iframe && flag(q.onlyMobile, 'true');
    const base: PageConfig = {
      role: 'primary',
      token: null,
      session: null,
      error: null,
      reportSessionId: null,
      parentOrigins: [],
      handoff: true,
      iframe,
      // The spec: crossDevice and onlyMobile apply only in iframe mode. onlyMobile wins over
      // crossDevice=false: a desktop that may not capture must be able to hand off.
      crossDevice: onlyMobile || !(iframe && flag(q.crossDevice, 'false')),
      onlyMobile,
      lang: normaliseLang(q.lang),
      handoffCode: null,
      returnUrl: null,
      theme: null,
    };
    let session: Session;
    let tenant: Tenant | null;
    try {
      session = await authorizeSession(deps, q.token);
      tenant = (await deps.store.tenants.get(session.tenantId)) ?? null;
    } catch (err) {
      // A token we cannot trust: the data-free page any parent may frame (src/server/http/unauthorized-page.ts).
      if (err instanceof CodedError && err.code === 'SESSION_UNAUTHORIZED') {
        return sendUnauthorizedPage(reply, q.lang, request.headers['accept-language'], `/web-enrolment/assets/${assets.appCss.name}`);
      }
      const code: FatalError = 'INTERNAL_ERROR';
      request.log.error({ err }, 'web enrolment page');
      const claimed = await claimedSession(deps, q.token).catch(() => null);
      const origins = claimed?.tenant.settings.allowedFrameOrigins ?? [];
      return sendPage(reply, { ...base, error: code, reportSessionId: claimed?.session.id ?? null, parentOrigins: origins, handoff: false }, origins);
    }
    const origins = tenant?.settings.allowedFrameOrigins ?? [];
    const config: PageConfig = {
      ...base,
      token: q.token ?? null,
      session: snapshot(session),
      error: session.status === 'COMPLETED' ? 'SESSION_ALREADY_COMPLETED' : null,
      reportSessionId: session.id,
      parentOrigins: origins,
      returnUrl: iframe ? null : session.returnUrl,
      theme: pageTheme(tenant, session),
    };
    return sendPage(reply, config, origins);
  });

  // The phone's page. The code is exchanged for the phone's own token by the page's script (POST
  // below), not here: link previewers and scanners that GET the URL must not use the link up.
  app.get<{ Params: { code: string }; Querystring: { lang?: string } }>('/web-enrolment/m/:code', async (request, reply) => {
    const lang = normaliseLang(request.query.lang);
    const code = normaliseCode(request.params.code);
    const config: PageConfig = {
      role: 'phone',
      token: null,
      session: null,
      error: code ? null : 'HANDOFF_INVALID',
      reportSessionId: null,
      parentOrigins: [],
      handoff: false,
      iframe: false,
      crossDevice: false,
      onlyMobile: false,
      lang,
      handoffCode: code,
      returnUrl: null,
      theme: null,
    };
    return sendPage(reply.header('x-robots-tag', 'noindex'), config, []);
  });

  app.post<{ Body: { code: string } }>(
    '/web-enrolment/api/handoff/redeem',
    {
      schema: {
        // The capture page's own API, not the integrators': not in the OpenAPI document.
        hide: true,
        body: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code: { type: 'string', maxLength: 32 } },
        },
      },
    },
    async (request): Promise<HandoffRedeemed> => {
      const redeemed = await redeemHandoff(deps, request.body.code);
      if (!redeemed) throw new CodedError('NOT_FOUND');
      const tenant = (await deps.store.tenants.get(redeemed.session.tenantId)) ?? null;
      return { token: redeemed.token, session: snapshot(redeemed.session), theme: pageTheme(tenant, redeemed.session) };
    },
  );

  // A tenant theme's stylesheet and logo. Public (the page loads them without its token); they
  // hold only what the tenant chose to show every applicant. The URL's hash is the theme's
  // content: when it matches, cache forever; a stale hash still gets the current theme, uncached.
  app.get<{ Params: { tenantId: string; file: string } }>('/web-enrolment/themes/:tenantId/:file', async (request, reply) => {
    const m = /^(.+)\.([0-9a-f]{12})\.(css|logo)$/.exec(request.params.file);
    if (!m || !THEME_NAME.test(m[1]!)) throw new CodedError('NOT_FOUND');
    const [, name, hash, kind] = m;
    const tenant = await deps.store.tenants.get(request.params.tenantId);
    const theme = tenant?.disabledAt === null ? tenantTheme(tenant, name!) : undefined;
    if (!theme) throw new CodedError('NOT_FOUND');
    const cache = themeHash(theme) === hash ? 'public, max-age=31536000, immutable' : 'no-cache';
    reply.header('cache-control', cache).header('cross-origin-resource-policy', 'same-origin').header('x-content-type-options', 'nosniff');
    if (kind === 'css') return reply.type('text/css; charset=utf-8').send(themeCss(theme));
    if (!theme.logo) throw new CodedError('NOT_FOUND');
    return reply.type(theme.logo.contentType).send(Buffer.from(theme.logo.base64, 'base64'));
  });

  app.get<{ Params: { name: string } }>('/web-enrolment/assets/:name', async (request, reply) => {
    const e = byName.get(request.params.name);
    if (!e) throw new CodedError('NOT_FOUND');
    const coding = negotiate(request.headers['accept-encoding'], e.encoded);
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'same-origin')
      .header('vary', 'Accept-Encoding')
      .type(e.asset.contentType);
    if (coding === 'identity') return reply.send(e.asset.body);
    return reply.header('content-encoding', coding).send(e.encoded[coding]);
  });

  // The page's own API (Bearer: the session's token, desktop or phone).
  app.register(async (bearer) => {
    bearer.addHook('onRequest', requireSession(deps));
    bearer.get('/web-enrolment/api/session', async (request) => snapshot(request.enrolmentSession!));
    // The phone's page after a reload (it kept its token, not the redeem answer): its theme.
    bearer.get('/web-enrolment/api/theme', async (request): Promise<{ theme: PageTheme | null }> => {
      const session = request.enrolmentSession!;
      return { theme: pageTheme((await deps.store.tenants.get(session.tenantId)) ?? null, session) };
    });
    bearer.get('/web-enrolment/api/document-advice', async (request): Promise<DocumentAdvice> =>
      latestDocumentAdvice(deps, request.enrolmentSession!.id),
    );
    bearer.post<{ Querystring: { lang?: string } }>('/web-enrolment/api/handoff', async (request) => {
      const lang = isLocale(request.query.lang) ? request.query.lang : null;
      return createHandoff(deps, request.enrolmentSession!, bearerToken(request.headers.authorization)!, lang);
    });
    bearer.get<{ Params: { id: string } }>('/web-enrolment/api/handoff/:id', async (request) =>
      handoffStatus(deps, request.enrolmentSession!, request.params.id),
    );
  });

  if (opts.demo) await app.register(demoRoutes, { session: deps, assets, sendPageHeaders: pageHeaders });
}

/** Headers for our other HTML pages (the demo): same CSP rules, framing by ourselves only. */
export function pageHeaders(reply: FastifyReply, _request: FastifyRequest, frameAncestors: readonly string[], frameSrc: readonly string[] = []) {
  reply
    .header('content-security-policy', pageCsp(frameAncestors, frameSrc))
    .header('permissions-policy', PERMISSIONS_POLICY)
    .header('cache-control', 'no-store');
}
