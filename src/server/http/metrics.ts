/**
 * GET /metrics in the Prometheus text format (prom-client), for an operator's scraper and a load
 * balancer's dashboards:
 *  - idv_http_request_duration_seconds{method,route,status}: latency histogram per route pattern
 *    (the route as registered, e.g. /api/v1/sessions/:sessionId; `unmatched` for 404s of no route);
 *  - idv_http_errors_total{method,route,code}: answers ≥ 400 by catalogue code;
 *  - idv_vision_queue_{running,waiting,concurrency,max_queued}, idv_vision_saturated: this node;
 *  - with the shared vision queue (VISION_QUEUE=database): idv_vision_shared_{queued,running},
 *    idv_vision_shared_oldest_queued_seconds, idv_vision_consumers_live,
 *    idv_vision_consumer_threads_live (all nodes, as of the node's last read, every 2 s);
 *  - idv_webhook_outbox_due, idv_webhook_outbox_oldest_due_seconds, idv_webhook_in_flight,
 *    idv_webhook_events{state="failed"}: the shared outbox (the same on every node);
 *  - idv_db_pool_{connections,idle,waiting,max} on PostgreSQL;
 *  - prom-client's process metrics (CPU seconds, RSS, heap, event-loop lag), prefix idv_.
 * Access: with METRICS_TOKEN set, `Authorization: Bearer <token>`; without it only clients on the
 * loopback interface (the socket's address, never X-Forwarded-For). Anyone else gets 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { VisionQueue } from '../session/vision-queue.js';
import type { Db } from '../store/db.js';
import type { VisionQueueStats } from '../store/vision-jobs.js';
import type { WebhookRepo } from '../store/webhooks.js';
import { sendError, sentErrorCode } from './errors.js';

export interface MetricsDeps {
  token: string | null;
  vision: VisionQueue;
  /** The shared vision queue's last figures, when this node uses it. */
  sharedVision?: () => VisionQueueStats | null;
  webhooks: WebhookRepo;
  db: Db;
  now: () => number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function allowed(request: FastifyRequest, token: string | null): boolean {
  if (token === null) return LOOPBACK.has(request.socket.remoteAddress ?? '');
  const h = request.headers.authorization ?? '';
  return h.startsWith('Bearer ') && timingSafeEqual(digest(h.slice(7)), digest(token));
}

export function installMetrics(app: FastifyInstance, deps: MetricsDeps): client.Registry {
  const register = new client.Registry();
  client.collectDefaultMetrics({ register, prefix: 'idv_' });
  const latency = new client.Histogram({
    name: 'idv_http_request_duration_seconds',
    help: 'Time from request to response, per route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [register],
  });
  const errors = new client.Counter({
    name: 'idv_http_errors_total',
    help: 'Answers with status >= 400, per route and error code',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [register],
  });
  const gauge = (name: string, help: string, read: () => number) =>
    new client.Gauge({
      name,
      help,
      registers: [register],
      collect() {
        this.set(read());
      },
    });
  gauge('idv_vision_queue_running', 'Vision jobs running on this node', () => deps.vision.running);
  gauge('idv_vision_queue_waiting', 'Vision jobs waiting on this node', () => deps.vision.waiting);
  gauge('idv_vision_queue_concurrency', 'Vision jobs allowed to run at once (VISION_CONCURRENCY)', () => deps.vision.concurrency);
  gauge('idv_vision_queue_max_queued', 'Vision jobs allowed to wait (VISION_MAX_QUEUED)', () => deps.vision.maxQueued);
  gauge('idv_vision_saturated', '1 when the vision queue is full (/ready answers 503)', () => (deps.vision.saturated ? 1 : 0));
  const shared = deps.sharedVision;
  if (shared) {
    const sharedGauge = (name: string, help: string, pick: (s: VisionQueueStats) => number) =>
      new client.Gauge({
        name,
        help,
        registers: [register],
        collect() {
          const s = shared();
          if (s) this.set(pick(s));
        },
      });
    sharedGauge('idv_vision_shared_queued', 'Vision jobs waiting in the shared queue (all nodes)', (s) => s.queued);
    sharedGauge('idv_vision_shared_running', 'Vision jobs claimed by a consumer (all nodes)', (s) => s.running);
    sharedGauge('idv_vision_shared_oldest_queued_seconds', 'Age of the oldest unclaimed vision job', (s) => s.oldestQueuedMs / 1000);
    sharedGauge('idv_vision_consumers_live', 'Vision consumers with a recent heartbeat', (s) => s.liveWorkers);
    sharedGauge('idv_vision_consumer_threads_live', 'Worker threads of the live vision consumers', (s) => s.liveThreads);
  }
  const pool = deps.db.poolStats;
  if (pool) {
    gauge('idv_db_pool_connections', 'PostgreSQL connections open in this node’s pool', () => pool().total);
    gauge('idv_db_pool_idle', 'Idle PostgreSQL connections in this node’s pool', () => pool().idle);
    gauge('idv_db_pool_waiting', 'Queries waiting for a PostgreSQL connection', () => pool().waiting);
    gauge('idv_db_pool_max', 'PostgreSQL pool size (DATABASE_POOL_SIZE)', () => pool().max);
  }
  // The outbox figures need one query: read once per scrape.
  let backlog: Promise<Awaited<ReturnType<WebhookRepo['backlog']>> | null> | null = null;
  const readBacklog = () => (backlog ??= deps.webhooks.backlog(deps.now()).catch(() => null));
  const outboxGauge = (name: string, help: string, pick: (b: Awaited<ReturnType<WebhookRepo['backlog']>>) => number, labels?: Record<string, string>) =>
    new client.Gauge({
      name,
      help,
      labelNames: labels ? Object.keys(labels) : [],
      registers: [register],
      async collect() {
        const b = await readBacklog();
        if (b) {
          if (labels) this.set(labels, pick(b));
          else this.set(pick(b));
        }
      },
    });
  outboxGauge('idv_webhook_outbox_due', 'Webhook events due and not yet sent (all nodes)', (b) => b.due);
  outboxGauge('idv_webhook_outbox_oldest_due_seconds', 'Age of the oldest due webhook event', (b) => b.oldestDueMs / 1000);
  outboxGauge('idv_webhook_in_flight', 'Webhook requests claimed and in flight (all nodes)', (b) => b.inFlight);
  outboxGauge('idv_webhook_events', 'Webhook events given up (dead letters, kept 90 days)', (b) => b.failed, { state: 'failed' });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 400) errors.inc({ method: request.method, route, code: sentErrorCode(request) ?? String(reply.statusCode) });
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!allowed(request, deps.token)) return sendError(reply, request, 'NOT_FOUND');
    backlog = null;
    const body = await register.metrics();
    return reply.type(register.contentType).header('cache-control', 'no-store').send(body);
  });
  return register;
}
