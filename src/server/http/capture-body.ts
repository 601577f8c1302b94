/**
 * The capture routes' JSON body parser. A capture body is almost always exactly
 * `{"imageBase":"<base64>"}` of up to 20 MB; parsing that the general way costs a strict UTF-8
 * decode and JSON.parse of the whole text (≈ 50–120 ms of main-thread CPU per 20 MB body, the
 * event loop blocked meanwhile). The fast path recognises that exact shape — optional whitespace
 * around the tokens, a value made only of base64 characters (`A–Z a–z 0–9 + / - _ =`), so it has no
 * escape, quote, control or non-ASCII byte — and reads the value with one latin1 slice, which is
 * then exactly what JSON.parse would give. Anything else (another key, an escape, a URL with `:`)
 * goes through the strict general parser (strict-input.ts), so the result never differs.
 */
import type { FastifyInstance } from 'fastify';
import type { CpuTurns } from './cpu-turns.js';
import { jsonBodyParser } from './strict-input.js';

const PREFIX = /^\s*\{\s*"imageBase"\s*:\s*"/;
const SUFFIX = /"\s*\}\s*$/;
const BASE64_CHARS = /^[A-Za-z0-9+/=_-]*$/;

/** The imageBase of a body of exactly the shape `{"imageBase":"<base64 chars>"}`, or null. */
export function fastImageBody(body: Buffer): { imageBase: string } | null {
  // The shape's two ends are short: look at them without converting the whole body.
  const head = body.toString('latin1', 0, Math.min(body.length, 64));
  const prefix = PREFIX.exec(head);
  if (!prefix) return null;
  const tail = body.toString('latin1', Math.max(0, body.length - 16));
  const suffix = SUFFIX.exec(tail);
  if (!suffix) return null;
  const start = prefix[0].length;
  const end = body.length - (tail.length - suffix.index);
  if (end < start) return null;
  const value = body.toString('latin1', start, end);
  return BASE64_CHARS.test(value) ? { imageBase: value } : null;
}

/**
 * Registers the parser in the capture routes' context (replacing the general JSON parser there);
 * the parse runs as one of `turns` (cpu-turns.ts).
 */
export function installCaptureBodyParser(app: FastifyInstance, turns: CpuTurns): void {
  const parseJson = jsonBodyParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    turns(() => {
      const fast = fastImageBody(body as Buffer);
      if (fast) return done(null, fast);
      parseJson(request, body as Buffer, done);
    }).catch((err: Error) => done(err, undefined));
  });
}
