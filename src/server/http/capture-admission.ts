/**
 * Reject before reading: the capture routes admit a request only while the bodies in flight (read,
 * parsed, decoded, waiting for or in the vision queue) fit a per-process byte budget, counted by
 * their Content-Length (a body without one counts as the largest allowed). Beyond the budget the
 * request is answered 503 SERVICE_BUSY with Retry-After from its headers, before one byte of its
 * body is read — so memory stays bounded whatever the number of concurrent uploads, and a small
 * photo is not refused because of a large one in flight. Runs after authentication (an onRequest
 * hook registered after it), so an unauthenticated caller never holds a slot.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CodedError } from '../../shared/errors.js';

/** What a refused upload is told to wait, seconds. */
export const BUSY_RETRY_AFTER_S = 2;

export interface CaptureAdmission {
  /** onRequest hook. */
  admit(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  readonly bytesInFlight: number;
  readonly requestsInFlight: number;
}

export function createCaptureAdmission(budgetBytes: number, maxBodyBytes: number): CaptureAdmission {
  let bytes = 0;
  let requests = 0;
  return {
    async admit(request, reply) {
      const declared = Number(request.headers['content-length']);
      const size = Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxBodyBytes) : maxBodyBytes;
      // One request is always admitted, whatever its size (the budget is at least one body).
      if (requests > 0 && bytes + size > budgetBytes) {
        throw new CodedError('SERVICE_BUSY', 'capture bodies in flight over budget', { retryAfterS: BUSY_RETRY_AFTER_S });
      }
      bytes += size;
      requests++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        bytes -= size;
        requests--;
      };
      reply.raw.once('finish', release);
      reply.raw.once('close', release);
    },
    get bytesInFlight() {
      return bytes;
    },
    get requestsInFlight() {
      return requests;
    },
  };
}
