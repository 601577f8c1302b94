/**
 * The demo page for integrators (/web-enrolment/demo): opens two sessions for a built-in demo
 * tenant and shows both integrations side by side — the iframe (as in the spec's example page,
 * with a live log of the events it posts) and the redirect — so a newcomer can go through a whole
 * enrolment with their own webcam and phone. Enabled by config (`DEMO`, on by default only when
 * PUBLIC_BASE_URL is a loopback address and the server listens on loopback only): it lets anyone
 * who reaches it open sessions for the demo tenant (counted against the session limit per address).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOCALES, isLocale } from '../../shared/i18n/index.js';
import type { WebAssets } from '../../web/build.js';
import { hashPassword } from '../session/credentials.js';
import type { SessionDeps } from '../session/deps.js';
import { initializeSession } from '../session/initialize-session.js';
import { DEFAULT_TENANT_SETTINGS } from '../session/tenant-settings.js';
import type { Tenant } from '../session/types.js';

export const DEMO_TENANT_USERNAME = 'demo';

export interface DemoOptions {
  session: SessionDeps;
  assets: WebAssets;
  sendPageHeaders: (reply: FastifyReply, request: FastifyRequest, frameAncestors: readonly string[], frameSrc?: readonly string[]) => void;
}

/** The demo tenant (created on first use): its own origin may frame the page and be returned to. */
export async function demoTenant(deps: SessionDeps): Promise<Tenant> {
  const origin = new URL(deps.publicBaseUrl).origin;
  const existing = await deps.store.tenants.getByUsername(DEMO_TENANT_USERNAME);
  if (existing) return existing;
  const tenant: Tenant = {
    id: randomUUID(),
    name: 'Web enrolment demo',
    username: DEMO_TENANT_USERNAME,
    // Nobody knows this password: the demo opens its sessions server-side.
    passwordHash: await hashPassword(randomBytes(24).toString('base64url')),
    settings: { ...DEFAULT_TENANT_SETTINGS, allowedReturnOrigins: [origin], allowedFrameOrigins: [origin] },
    disabledAt: null,
    createdAt: deps.now(),
  };
  try {
    await deps.store.tenants.insert(tenant);
  } catch {
    // Another node or request created it first.
    const again = await deps.store.tenants.getByUsername(DEMO_TENANT_USERNAME);
    if (again) return again;
    throw new Error('demo tenant could not be created');
  }
  return tenant;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function demoRoutes(app: FastifyInstance, opts: DemoOptions) {
  const deps = opts.session;
  const { demoJs, demoCss } = opts.assets;
  const origin = new URL(deps.publicBaseUrl).origin;

  app.get<{ Querystring: { lang?: string } }>('/web-enrolment/demo', async (request, reply) => {
    const lang = isLocale(request.query.lang) ? request.query.lang : 'en-US';
    const tenant = await demoTenant(deps);
    const iframeId = randomUUID();
    const redirectId = randomUUID();
    const returnUrl = (id: string) => `${deps.publicBaseUrl}/web-enrolment/demo/return?sessionId=${id}`;
    const framed = await initializeSession(deps, tenant, { sessionId: iframeId, returnUrl: returnUrl(iframeId) }, request.ip);
    const redirected = await initializeSession(deps, tenant, { sessionId: redirectId, returnUrl: returnUrl(redirectId) }, request.ip);
    const iframeSrc = `${framed.webEnrolmentUrl}&iframe=true&lang=${lang}`;
    const redirectHref = `${redirected.webEnrolmentUrl}&lang=${lang}`;
    const langs = LOCALES.map((l) => `<a href="/web-enrolment/demo?lang=${l}"${l === lang ? ' aria-current="page"' : ''}>${l}</a>`).join(' ');
    const snippet = `<iframe src="${iframeSrc.replace(/token=[^&]+/, 'token=<accessToken>')}"\n        allow="camera" style="width:100%;height:750px;border:0"></iframe>\n<script>\n  window.addEventListener('message', (event) => {\n    if (event.origin !== '${origin}') return; // only our service\n    const data = event.data; // {sessionId, hasCompleted, hasError, error?}\n    if (data.hasCompleted) { /* read the result on your backend */ }\n    else if (data.hasError) { /* open a new session */ }\n  });\n</script>`;
    opts.sendPageHeaders(reply, request, ["'self'"], ["'self'"]);
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Web enrolment demo</title>
<link rel="stylesheet" href="/web-enrolment/assets/${demoCss.name}">
<script type="module" src="/web-enrolment/assets/${demoJs.name}"></script>
</head>
<body>
<header>
<h1>Web enrolment demo</h1>
<p>Two sessions of the demo tenant were opened for you. Use your webcam, a photo of an ID document, or your phone (the QR code). Language: <span class="langs">${langs}</span></p>
</header>
<main class="demo">
<section aria-labelledby="iframe-title">
<h2 id="iframe-title">iframe integration</h2>
<p>Session <code id="iframe-session">${esc(framed.sessionId)}</code>, embedded with <code>allow="camera"</code>; the events it posts appear below.</p>
<iframe id="enrolment-frame" src="${esc(iframeSrc)}" allow="camera" title="Identity verification (iframe)"></iframe>
<h3>Events received</h3>
<ol id="event-log" aria-live="polite"></ol>
</section>
<section aria-labelledby="redirect-title">
<h2 id="redirect-title">Redirect integration</h2>
<p>Session <code>${esc(redirected.sessionId)}</code>: the applicant leaves your page and comes back to your <code>returnUrl</code>.</p>
<p><a class="button" id="redirect-link" href="${esc(redirectHref)}">Start the redirect flow</a></p>
<h3 id="snippet-title">The integrator's snippet</h3>
<pre tabindex="0" aria-labelledby="snippet-title"><code>${esc(snippet)}</code></pre>
<p>See <code>docs/embedding.md</code> for the whole contract.</p>
</section>
</main>
</body>
</html>`);
  });

  app.get<{ Querystring: { sessionId?: string } }>('/web-enrolment/demo/return', async (request, reply) => {
    const id = typeof request.query.sessionId === 'string' ? request.query.sessionId.slice(0, 64) : '';
    opts.sendPageHeaders(reply, request, ["'none'"]);
    return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back at the integrator</title><link rel="stylesheet" href="/web-enrolment/assets/${demoCss.name}"></head>
<body><main class="demo-return"><h1>Back at the integrator's returnUrl</h1>
<p>Session <code id="returned-session">${esc(id)}</code> finished the web enrolment. Your backend would now read its result with <code>GET /api/v1/sessions/${esc(id)}</code>.</p>
<p><a href="/web-enrolment/demo">Start the demo again</a></p></main></body></html>`);
  });
}
