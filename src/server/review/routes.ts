/**
 * The review console (server-rendered HTML, no script): its own operator login per tenant, the
 * session list with filters, the session page (pictures, extracted data, factor table, audit
 * trail, webhook log) and approve/reject with a reason. Every page carries a strict CSP; forms
 * carry the login's CSRF token; the login cookie is HttpOnly, SameSite=Strict, path /console.
 * Routes have no OpenAPI schema: the console is not part of the integrators' API.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CodedError, ERRORS } from '../../shared/errors.js';
import { listSessions } from '../session/list-sessions.js';
import { readSession } from '../session/read-session.js';
import { getPortraitCrop, getSessionImage } from '../session/session-images.js';
import type { DocumentResult } from '../vision/contract.js';
import { extractDocument } from '../verification/extract-document.js';
import type { VerificationServices } from '../verification/services.js';
import { DECISIONS_FOR_FILTER, STATUSES_FOR_FILTER } from './filters.js';
import { html, page } from './html.js';
import { COOKIE_NAME, LOGIN_TTL_MS, createLoginThrottle, currentUser, logIn, logOut, type ConsoleUser } from './login.js';
import { displayName } from './format.js';
import { listPage, loginPage, sessionPage, type ListRow } from './pages.js';
import { reviewSession } from './review-session.js';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const CSS = readFileSync(new URL('../../console/console.css', import.meta.url), 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FORM_LIMIT_BYTES = 16 * 1024;

type Form = Record<string, string>;

export interface ReviewRouteOptions {
  verification: VerificationServices;
  /** Mark the login cookie Secure (when the public URL is https). */
  secureCookie: boolean;
}

export async function reviewRoutes(app: FastifyInstance, opts: ReviewRouteOptions) {
  const v = opts.verification;
  const deps = { store: v.store };
  const throttle = createLoginThrottle(v.store.rateLimits, v.now);

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))));
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/console')) reply.header('content-security-policy', CSP);
  });

  const sendPage = (reply: FastifyReply, status: number, title: string, body: Parameters<typeof page>[1], user?: ConsoleUser) =>
    reply.code(status).type('text/html; charset=utf-8').send(page(title, body, user ? { username: user.operator.username, csrfToken: user.csrfToken } : undefined));

  /** Runs a page handler: no login → the login page; a catalogue error → an error page with its code. */
  const guarded =
    (fn: (request: FastifyRequest, reply: FastifyReply, user: ConsoleUser) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      let user: ConsoleUser;
      try {
        user = await currentUser(v.operators, request.headers.cookie, v.now());
      } catch {
        if (request.method === 'GET') return reply.redirect('/console/login', 303);
        return sendPage(reply, 401, 'Sign in', html`<p class="error">${ERRORS.OPERATOR_UNAUTHORIZED.message} (OPERATOR_UNAUTHORIZED)</p><p><a href="/console/login">Sign in</a></p>`);
      }
      if (request.method === 'POST' && (request.body as Form | undefined)?.csrf !== user.csrfToken) {
        return sendPage(reply, 401, 'Error', html`<p class="error">The form has expired; reload the page. (OPERATOR_UNAUTHORIZED)</p>`, user);
      }
      try {
        return await fn(request, reply, user);
      } catch (err) {
        if (!(err instanceof CodedError)) throw err;
        return sendPage(reply, ERRORS[err.code].status, 'Error', html`<p class="error" role="alert">${err.message} (${err.code})</p><p><a href="/console/sessions">Sessions</a></p>`, user);
      }
    };

  // The console's entry, with or without the slash people type (the sessions list, or the sign-in page).
  app.get('/console', async (_req, reply) => reply.redirect('/console/sessions', 303));
  app.get('/console/', async (_req, reply) => reply.redirect('/console/sessions', 303));
  app.get('/console/assets/console.css', async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(CSS));

  app.get('/console/login', async (_req, reply) => sendPage(reply, 200, 'Sign in', loginPage(null)));
  app.post('/console/login', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    try {
      const { token } = await logIn(v.operators, throttle, String(form.username ?? '').slice(0, 64), String(form.password ?? '').slice(0, 200), v.now(), request.ip);
      const cookie = `${COOKIE_NAME}=${token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${LOGIN_TTL_MS / 1000}${opts.secureCookie ? '; Secure' : ''}`;
      return reply.header('set-cookie', cookie).redirect('/console/sessions', 303);
    } catch (err) {
      if (err instanceof CodedError && err.code === 'OPERATOR_UNAUTHORIZED') {
        return sendPage(reply, 401, 'Sign in', loginPage(err.message === 'too many failed sign-ins' ? 'Too many failed sign-ins; try again in 15 minutes.' : 'Wrong username or password.'));
      }
      throw err;
    }
  });
  app.post(
    '/console/logout',
    guarded(async (_request, reply, user) => {
      await logOut(v.operators, user.tokenHash);
      return reply.header('set-cookie', `${COOKIE_NAME}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/console/login', 303);
    }),
  );

  app.get(
    '/console/sessions',
    guarded(async (request, reply, user) => {
      const q = request.query as Record<string, string | undefined>;
      // The review queue is the default; an explicit empty status (the "any" option) lists all.
      const status = q.verificationStatus === undefined ? 'WAITING_FOR_MANUAL_APPROVE' : q.verificationStatus;
      const filter = {
        ...(status && STATUSES_FOR_FILTER.includes(status) ? { verificationStatus: status } : {}),
        ...(q.decision && (DECISIONS_FOR_FILTER as readonly string[]).includes(q.decision) ? { decision: q.decision } : {}),
      };
      const cursor = typeof q.cursor === 'string' && q.cursor.length <= 200 ? q.cursor : undefined;
      const result = await listSessions(deps, user.operator.tenantId, { ...filter, ...(cursor ? { cursor } : {}), limit: 50 });
      const rows = await Promise.all(result.sessions.map(async (row): Promise<ListRow> => ({ ...row, document: await documentSummary(row.sessionId) })));
      return sendPage(reply, 200, 'Sessions', listPage(rows, filter, result.nextCursor), user);
    }),
  );

  /** Name, document and country of a list row, from the normalised document. */
  const documentSummary = async (sessionId: string): Promise<ListRow['document']> => {
    const s = await v.store.sessions.get(sessionId);
    const result = async (id: string | null | undefined) => (id ? (((await v.store.sessions.getCapture(id))?.result as DocumentResult | undefined) ?? null) : null);
    const [front, back] = [await result(s?.frontCaptureId), await result(s?.backCaptureId)];
    if (!s || (!front && !back)) return null;
    const d = extractDocument(front, back, s.completedAt ?? s.updatedAt);
    return { name: displayName(d.surname?.value, d.givenNames?.value), type: d.type, number: d.number?.value ?? null, country: d.country };
  };

  const sessionIdOf = (request: FastifyRequest) => {
    const id = (request.params as { sessionId?: string }).sessionId ?? '';
    if (!UUID.test(id)) throw new CodedError('SESSION_NOT_FOUND');
    return id.toLowerCase();
  };

  app.get(
    '/console/sessions/:sessionId',
    guarded(async (request, reply, user) => {
      const id = sessionIdOf(request);
      const view = await readSession(deps, user.operator.tenantId, id, { detail: 'full' });
      return sendPage(reply, 200, `Session ${id}`, sessionPage(view, await v.verification.audit(id), user.csrfToken, null, v.now()), user);
    }),
  );

  app.get(
    '/console/sessions/:sessionId/images/:imageId',
    guarded(async (request, reply, user) => {
      const id = sessionIdOf(request);
      const imageId = (request.params as { imageId?: string }).imageId ?? '';
      if (!UUID.test(imageId)) throw new CodedError('IMAGE_NOT_FOUND');
      const img = await getSessionImage(deps, user.operator.tenantId, id, imageId.toLowerCase());
      return reply.type(img.contentType).header('cache-control', 'private, no-store').send(img.bytes);
    }),
  );

  app.get(
    '/console/sessions/:sessionId/portrait/:captureId',
    guarded(async (request, reply, user) => {
      const id = sessionIdOf(request);
      const captureId = (request.params as { captureId?: string }).captureId ?? '';
      if (!UUID.test(captureId)) throw new CodedError('IMAGE_NOT_FOUND');
      const bytes = await getPortraitCrop(deps, user.operator.tenantId, id, captureId);
      return reply.type('image/jpeg').header('cache-control', 'private, no-store').send(bytes);
    }),
  );

  app.post(
    '/console/sessions/:sessionId/review',
    guarded(async (request, reply, user) => {
      const id = sessionIdOf(request);
      const form = request.body as Form;
      const action = form.action === 'APPROVE' || form.action === 'REJECT' ? form.action : null;
      if (!action) throw new CodedError('REQUEST_INVALID', 'choose approve or reject');
      await reviewSession(v, user.operator, id, action, String(form.reason ?? ''));
      return reply.redirect(`/console/sessions/${id}`, 303);
    }),
  );
}
