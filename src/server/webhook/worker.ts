/**
 * The outbox worker: claims due events, signs and posts each, logs every attempt, and schedules
 * the next one with exponential backoff (baseDelayMs · 2^(attempt−1), capped at maxDelayMs, with
 * ± jitter/2 random spread so retries of many events do not come back in one burst) until the
 * event is older than giveUpAfterMs (default 3 days: retries last well over a day), then marks it
 * FAILED (the dead letter: kept, shown in the session's `webhookEvents`, counted in /metrics).
 * Events survive restarts (they are rows); a claim lapses after lockMs, so an event claimed by a
 * node that died is sent again (at-least-once: receivers deduplicate by id).
 *
 * Fairness: a node has at most `concurrency` requests in flight, and a tenant at most
 * `perTenantConcurrency` (counted over every node, in the claim: store/webhooks.ts claimDue).
 * Deliveries run on their own; the poller does not wait for them, so a receiver that hangs until
 * the timeout holds only its own tenant's slots and the other tenants' events go out at the next
 * poll.
 */
import type { OutboxRow, WebhookRepo } from '../store/webhooks.js';
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
  /** Events claimed per tick at most (and requests in flight on this node at most). */
  batchSize: number;
  /** Requests in flight per tenant at most, over all nodes. */
  perTenantConcurrency: number;
  /** Spread of a retry delay: the delay is backoff · (1 ± jitter/2), jitter in [0, 1]. */
  jitter: number;
}

export const DEFAULT_WEBHOOK_WORKER_OPTIONS: WebhookWorkerOptions = {
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 3600_000,
  timeoutMs: 10_000,
  lockMs: 60_000,
  batchSize: 32,
  perTenantConcurrency: 4,
  jitter: 0.5,
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

/** The delay before retry `attempt + 1`: the backoff with its random spread (`random` in [0, 1)). */
export function retryDelayMs(attempt: number, o: Pick<WebhookWorkerOptions, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>, random = Math.random()): number {
  return Math.round(backoffMs(attempt, o) * (1 + o.jitter * (random - 0.5)));
}

export interface WebhookWorker {
  /** One pass: claims due events (up to the free slots) and sends them; resolves when they are sent. Returns how many were attempted. */
  tick(): Promise<number>;
  /**
   * Claims due events for the free slots and starts sending them; resolves once claimed (not sent).
   * From then on a slot freed by a settled request is claimed again at once. Returns how many started.
   */
  poll(): Promise<number>;
  /** Stops refilling slots and resolves when every request in flight has settled. */
  idle(): Promise<void>;
  /** Requests in flight on this node. */
  inFlight(): number;
}

export function createWebhookWorker(deps: WebhookWorkerDeps): WebhookWorker {
  const o: WebhookWorkerOptions = { ...DEFAULT_WEBHOOK_WORKER_OPTIONS, ...deps.options };
  const flying = new Set<Promise<void>>();
  const deliver = async (e: OutboxRow): Promise<void> => {
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
    return deps.webhooks.retryLater(e.id, attempt, at + retryDelayMs(attempt, o), result.error ?? 'failed');
  };
  // Background mode (poll(), the service's timer): when a request settles, the freed slot is
  // claimed again at once (a backlog drains at the receivers' pace, not one claim per poll).
  let background = false;
  let stopped = false;
  let claiming = false;
  const refill = () => {
    if (!background || stopped || claiming) return;
    void start().catch(() => undefined);
  };
  const start = async (): Promise<Promise<void>[]> => {
    const free = o.batchSize - flying.size;
    if (free <= 0 || claiming) return [];
    claiming = true;
    let due: OutboxRow[];
    try {
      due = await deps.webhooks.claimDue(deps.now(), free, o.lockMs, o.perTenantConcurrency);
    } finally {
      claiming = false;
    }
    return due.map((e) => {
      const p: Promise<void> = deliver(e)
        .catch(() => undefined) // the claim lapses; the event is tried again
        .finally(() => {
          flying.delete(p);
          setImmediate(refill);
        });
      flying.add(p);
      return p;
    });
  };
  return {
    async tick() {
      const started = await start();
      await Promise.all(started);
      return started.length;
    },
    async poll() {
      background = true;
      stopped = false;
      return (await start()).length;
    },
    async idle() {
      stopped = true;
      while (flying.size > 0 || claiming) {
        await Promise.all([...flying]);
        await new Promise((r) => setImmediate(r));
      }
    },
    inFlight: () => flying.size,
  };
}
