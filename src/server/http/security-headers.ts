import type { FastifyInstance } from 'fastify';

/**
 * Headers on every response (a route may set its own first; the web enrolment plugin sets its
 * CSP and frame-ancestors for the tenant's allowed parents). API answers are never cached and
 * never framed. With an https public URL, browsers are told to use https only (HSTS, one year;
 * not includeSubDomains: the operator's other hosts are not ours to decide).
 */
const DEFAULTS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};
export const HSTS = 'max-age=31536000';

export function securityHeaders(hsts: boolean): Record<string, string> {
  return hsts ? { ...DEFAULTS, 'strict-transport-security': HSTS } : { ...DEFAULTS };
}

export function installSecurityHeaders(app: FastifyInstance, opts: { hsts: boolean }): void {
  const headers = Object.entries(securityHeaders(opts.hsts));
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    for (const [k, v] of headers) if (!reply.hasHeader(k)) reply.header(k, v);
    return payload;
  });
}
