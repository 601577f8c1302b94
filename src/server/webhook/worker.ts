/**
 * The outbox worker: claims due events, signs and posts each, logs every attempt, and schedules
 * the next one with exponential backoff (baseDelayMs · 2^(attempt−1), capped at maxDelayMs) until
 * the event is older than giveUpAfterMs (default 3 days: retries last well over a day), then
 * marks it FAILED. Events survive restarts (they are rows); a claim lapses after lockMs, so an
 * event claimed by a node that died is sent again (at-least-once: receivers deduplicate by id).
 */
import type { WebhookRepo } from '../store/webhooks.js';
import { HEADER_EVENT_ID, HEADER_EVENT_TYPE, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign } from './signing.js';
import type { WebhookPoster } from './post.js';

export interface WebhookWorkerOptions {
  /** First retry delay, ms. */
  baseDelayMs: number;
  /** Longest delay between attempts, ms. */
  maxDelayMs: number;
  /** Stop retrying an event this long after it was created, ms (≥ 1 day). */
  giveUpAfterMs: number;
  /** Per-request deadline, ms. */
  timeoutMs: number;
  /** How long a claimed event stays invisible to other workers, ms (> timeoutMs). */
  lockMs: number;
  /** Events claimed per tick. */
  batchSize: number;
}

export const DEFAULT_WEBHOOK_WORKER_OPTIONS: WebhookWorkerOptions = {
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
  timeoutMs: 10_000,
  lockMs: 60_000,
  batchSize: 20,
};

export interface WebhookWorkerDeps {
  webhooks: WebhookRepo;
  post: WebhookPoster;
  now: () => number;
  newId: () => string;
  options?: Partial<WebhookWorkerOptions>;
}

export function backoffMs(attempt: number, o: Pick<WebhookWorkerOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  return Math.min(o.baseDelayMs * 2 ** Math.max(0, attempt - 1), o.maxDelayMs);
}

export interface WebhookWorker {
  /** One pass: sends every due event (up to batchSize); returns how many were attempted. */
  tick(): Promise<number>;
}

export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const o: WebhookWorkerOptions = { ...DEFAULT_WEBHOOK_WORKER_OPTIONS, ...deps.options };
  return {
    async tick() {
      const now = deps.now();
      const due = await deps.webhooks.claimDue(now, o.batchSize, o.lockMs);
      await Promise.all(
        due.map(async (e) => {
          const attempt = e.attempts + 1;
          const endpoint = await deps.webhooks.getEndpoint(e.tenantId);
          let result: { ok: boolean; statusCode: number | null; error: string | null };
          const t0 = performance.now();
          if (!endpoint) {
            result = { ok: false, statusCode: null, error: 'no webhook endpoint configured' };
          } else {
            const ts = Math.floor(deps.now() / 1000);
            result = await deps.post(
              endpoint.url,
              e.payload,
              {
                [HEADER_EVENT_ID]: e.id,
                [HEADER_EVENT_TYPE]: e.type,
                [HEADER_TIMESTAMP]: String(ts),
                [HEADER_SIGNATURE]: sign(endpoint.secret, ts, e.payload),
              },
              o.timeoutMs,
            );
          }
          const at = deps.now();
          await deps.webhooks.logDelivery({
            id: deps.newId(),
            eventId: e.id,
            tenantId: e.tenantId,
            sessionId: e.sessionId,
            attempt,
            statusCode: result.statusCode,
            error: result.error,
            durationMs: Math.round(performance.now() - t0),
            createdAt: at,
          });
          if (result.ok) return deps.webhooks.delivered(e.id, attempt, at);
          if (at - e.createdAt >= o.giveUpAfterMs) return deps.webhooks.failed(e.id, attempt, result.error ?? 'failed');
          return deps.webhooks.retryLater(e.id, attempt, at + backoffMs(attempt, o), result.error ?? 'failed');
        }),
      );
      return due.length;
    },
  };
}
