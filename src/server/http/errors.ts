/**
 * Every error leaves as `{hasError: true, error, message, requestId}` with the catalogue's status
 * and the security headers — also the ones Fastify and Node's HTTP parser would answer on their
 * own (bad URL, URL parameter too long, header overflow, request timeout), which never echo the
 * request. CodedError → its code; framework errors (validation, body size, media type, bad JSON)
 * → our codes; anything else → INTERNAL_ERROR with a generic message (details go to the log only).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { CodedError, ERRORS, type ErrorCode } from '../../shared/errors.js';
import { securityHeaders } from './security-headers.js';

export function errorBody(code: ErrorCode, requestId: string, message: string = ERRORS[code].message) {
  return { hasError: true as const, error: code, message, requestId };
}

const SENT_CODE = new WeakMap<FastifyRequest, ErrorCode>();
/** The catalogue code a request was answered with (for /metrics), if it was an error. */
export const sentErrorCode = (request: FastifyRequest): ErrorCode | undefined => SENT_CODE.get(request);

/** Seconds a client should wait before retrying a 503 that did not say (SERVICE_BUSY, SERVICE_NOT_READY). */
export const DEFAULT_RETRY_AFTER_S: Partial<Record<ErrorCode, number>> = { SERVICE_BUSY: 2, SERVICE_NOT_READY: 5 };

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message?: string, retryAfterS?: number | null) {
  SENT_CODE.set(request, code);
  retryAfterS ??= DEFAULT_RETRY_AFTER_S[code] ?? null;
  if (code === 'TENANT_UNAUTHORIZED') reply.header('www-authenticate', 'Basic realm="enrolment", charset="UTF-8"');
  if (code === 'SESSION_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="enrolment"');
  if (retryAfterS != null) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterS))));
  return reply.code(ERRORS[code].status).send(errorBody(code, request.id, message));
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_VALIDATION: 'REQUEST_INVALID',
  FST_ERR_BAD_URL: 'REQUEST_INVALID',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'INTERNAL_ERROR',
};

/** The catalogue code of any error thrown while handling a request. */
function codeOf(err: FastifyError): ErrorCode | undefined {
  if (err.code && FRAMEWORK_CODES[err.code]) return FRAMEWORK_CODES[err.code];
  if (err instanceof SyntaxError || err.statusCode === 400) return 'REQUEST_INVALID';
  if (err.statusCode === 413) return 'BODY_TOO_LARGE';
  if (err.statusCode === 414) return 'URI_TOO_LONG';
  if (err.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (err.statusCode === 431) return 'HEADERS_TOO_LARGE';
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof CodedError) {
      if (ERRORS[err.code].status >= 500) request.log.error({ err }, 'coded server error');
      // The catalogue message is the safe one; a CodedError's detail stays in the log unless it
      // is one of our fixed sentences marked `expose`.
      return sendError(reply, request, err.code, err.expose ? err.message.slice(0, 300) : undefined, err.retryAfterS);
    }
    if (err.validation) {
      return sendError(reply, request, 'REQUEST_INVALID', `${err.validationContext ?? 'request'}: ${err.validation[0]?.message ?? 'invalid'}`.slice(0, 300));
    }
    const mapped = codeOf(err);
    if (mapped && mapped !== 'INTERNAL_ERROR') return sendError(reply, request, mapped);
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL_ERROR');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, 'NOT_FOUND'));
}

/** A complete error response written by hand (no route context): catalogue body, security headers. */
function rawErrorResponse(code: ErrorCode, requestId: string, hsts: boolean, extra: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: string } {
  const body = JSON.stringify(errorBody(code, requestId));
  return {
    status: ERRORS[code].status,
    headers: {
      ...securityHeaders(hsts),
      ...extra,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
    },
    body,
  };
}

/**
 * Fastify options that route its own early answers through the catalogue: `frameworkErrors`
 * (bad URL, a URL parameter over maxParamLength) and `clientErrorHandler` (Node's parser: header
 * overflow → 431, request timeout → 408, anything else malformed → 400), each without echoing
 * the request.
 */
export const frameworkErrorOptions = (hsts: boolean): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> => ({
  frameworkErrors(error, request, reply) {
    const code = codeOf(error as FastifyError) ?? 'REQUEST_INVALID';
    const r = rawErrorResponse(code, request.id, hsts);
    reply.raw.writeHead(r.status, r.headers);
    reply.raw.end(r.body);
  },
  clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const code: ErrorCode = err.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'REQUEST_TIMEOUT' : 'REQUEST_INVALID';
    const r = rawErrorResponse(code, randomUUID(), hsts, { connection: 'close' });
    if (socket.writable) {
      const head = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] ?? 'Error'}\r\n${head}\r\n${r.body}`);
    }
    socket.destroy();
  },
});
