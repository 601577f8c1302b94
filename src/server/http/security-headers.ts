import type { FastifyInstance } from 'fastify';

/**
 * Headers on every response (a route may set its own first; the web enrolment plugin sets its
 * CSP and frame-ancestors for the tenant's allowed parents). API answers are never cached and
 * never framed.
 */
const DEFAULTS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    for (const [k, v] of Object.entries(DEFAULTS)) if (!reply.hasHeader(k)) reply.header(k, v);
    return payload;
  });
}
