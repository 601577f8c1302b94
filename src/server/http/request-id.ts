import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Accept a caller's X-Request-Id when it is short and plain (it goes into logs); else make one. */
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

export function genRequestId(req: IncomingMessage): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && SAFE.test(h) ? h : randomUUID();
}
