/**
 * Every error leaves as `{hasError: true, error, message, requestId}` with the catalogue's status.
 * CodedError → its code; framework errors (validation, body size, media type, bad JSON) → our
 * codes; anything else → INTERNAL_ERROR with a generic message (details go to the log only).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CodedError, ERRORS, type ErrorCode } from '../../shared/errors.js';

export function errorBody(code: ErrorCode, requestId: string, message: string = ERRORS[code].message) {
  return { hasError: true as const, error: code, message, requestId };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message?: string) {
  if (code === 'TENANT_UNAUTHORIZED') reply.header('www-authenticate', 'Basic realm="enrolment", charset="UTF-8"');
  if (code === 'SESSION_UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="enrolment"');
  return reply.code(ERRORS[code].status).send(errorBody(code, request.id, message));
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_CTP_INVALID_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_VALIDATION: 'REQUEST_INVALID',
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof CodedError) {
      if (ERRORS[err.code].status >= 500) request.log.error({ err }, 'coded server error');
      // The catalogue message is the safe one; a CodedError's detail stays in the log.
      return sendError(reply, request, err.code);
    }
    if (err.validation) {
      return sendError(reply, request, 'REQUEST_INVALID', `${err.validationContext ?? 'request'}: ${err.validation[0]?.message ?? 'invalid'}`.slice(0, 300));
    }
    const mapped = (err.code && FRAMEWORK_CODES[err.code]) || (err instanceof SyntaxError || err.statusCode === 400 ? 'REQUEST_INVALID' : undefined);
    if (mapped) return sendError(reply, request, mapped);
    if (err.statusCode === 413) return sendError(reply, request, 'BODY_TOO_LARGE');
    if (err.statusCode === 415) return sendError(reply, request, 'UNSUPPORTED_MEDIA_TYPE');
    request.log.error({ err }, 'unhandled error');
    return sendError(reply, request, 'INTERNAL_ERROR');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, 'NOT_FOUND'));
}
