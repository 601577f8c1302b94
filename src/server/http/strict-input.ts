/**
 * Strict input, for every route at once (installed on the root before any route):
 * - JSON bodies are decoded as UTF-8 with invalid bytes refused (no silent U+FFFD), then parsed
 *   with Fastify's own parser (prototype poisoning refused); an empty body is no body (the spec's
 *   `complete` is called with `-d ""`).
 * - Any other content type with a non-empty body → 415 UNSUPPORTED_MEDIA_TYPE before the body is
 *   read (a route's own plugin may register a parser, as the review console does for its forms);
 *   an empty body of any type (curl's `-d ""` sends application/x-www-form-urlencoded) is no body.
 * - Body schemas validate without type coercion (`["…"]` is not a string, `42` is not a string,
 *   `"true"` is not a boolean); querystring, params and headers keep Fastify's coercion (they are
 *   text by nature: `?limit=5`).
 * - NUL characters and ill-formed Unicode (invalid percent-encoded UTF-8, lone surrogates) in the
 *   URL, the query, the path parameters or anywhere in the body → 400 REQUEST_INVALID before any
 *   handler or SQL runs (PostgreSQL refuses NUL in text; SQLite would store it).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import AjvCompiler from '@fastify/ajv-compiler';
import { CodedError } from '../../shared/errors.js';

/** True when `s` has no NUL and no lone surrogate. */
export function isCleanText(s: string): boolean {
  // String.prototype.isWellFormed is in Node 20 (ES2024; our lib is ES2022).
  return !s.includes('\u0000') && (s as string & { isWellFormed(): boolean }).isWellFormed();
}

/** True when some string in `value` (a key or a value, at any depth) is not clean text. */
export function hasUncleanText(value: unknown): boolean {
  if (typeof value === 'string') return !isCleanText(value);
  if (value === null || typeof value !== 'object') return false;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!isCleanText(k) || hasUncleanText(v)) return true;
  }
  return false;
}

const refuse = (part: string, why: string) => new CodedError('REQUEST_INVALID', `${part}: ${why}`, { expose: true });

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 strictly: invalid bytes → REQUEST_INVALID. */
export function decodeUtf8(bytes: Uint8Array, what = 'body'): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw refuse(what, 'not valid UTF-8');
  }
}

function assertCleanUrl(request: FastifyRequest): void {
  const raw = request.raw.url ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw refuse('url', 'invalid percent-encoding');
  }
  if (!isCleanText(decoded)) throw refuse('url', 'NUL or invalid Unicode');
  if (hasUncleanText(request.query)) throw refuse('querystring', 'NUL or invalid Unicode');
  if (hasUncleanText(request.params)) throw refuse('params', 'NUL or invalid Unicode');
}

/** Builds the validators: the body without coercion, the other parts with Fastify's defaults. */
const ajvFactory = AjvCompiler();
export const strictBodyValidators: AjvCompiler.BuildCompilerFromPool = (externalSchemas, ajvOptions) => {
  const base = (ajvOptions ?? {}) as AjvCompiler.Options & { customOptions?: AjvCompiler.Options };
  const strict = ajvFactory(externalSchemas, { ...base, customOptions: { ...base.customOptions, coerceTypes: false } } as never);
  const coercing = ajvFactory(externalSchemas, ajvOptions);
  return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
};

type ParserDone = (err: Error | null, body?: unknown) => void;
export type JsonBodyParser = (request: FastifyRequest, body: Buffer, done: ParserDone) => void;

/** Strict UTF-8, then Fastify's JSON parser (prototype poisoning refused); empty → no body. */
export function jsonBodyParser(app: FastifyInstance): JsonBodyParser {
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  return (request, body, done) => {
    let text: string;
    try {
      text = decodeUtf8(body);
    } catch (err) {
      return done(err as Error, undefined);
    }
    if (text.trim() === '') return done(null, undefined);
    defaultJson(request, text, done);
  };
}

export function installStrictInput(app: FastifyInstance): void {
  const parseJson = jsonBodyParser(app);
  app.removeContentTypeParser('application/json');
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => parseJson(request, body as Buffer, done));
  // Every other type: an empty body is no body; anything else is refused at its first byte.
  app.addContentTypeParser('*', (_request, payload, done) => {
    let finished = false;
    const finish = (err: Error | null) => {
      if (finished) return;
      finished = true;
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
      done(err, undefined);
    };
    const onData = (chunk: Buffer) => {
      if (chunk.length > 0) finish(new CodedError('UNSUPPORTED_MEDIA_TYPE'));
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) => finish(err);
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });

  app.addHook('onRequest', async (request) => assertCleanUrl(request));
  app.addHook('preValidation', async (request) => {
    if (hasUncleanText(request.body)) throw refuse('body', 'NUL or invalid Unicode');
  });
}
