/**
 * Wires the verification part into the service: the repositories, the complete hook, the
 * webhook worker and the maintenance jobs (started and stopped by the Fastify plugin in
 * src/server/review/plugin.ts through `startJobs`/`stopJobs`).
 */
import type { AddressPolicy } from '../net/address-policy.js';
import type { Store } from '../store/index.js';
import { verificationRepo, type VerificationRepo } from '../store/verification.js';
import { webhookRepo, type WebhookRepo } from '../store/webhooks.js';
import { operatorRepo, type OperatorRepo } from '../store/operators.js';
import { createWebhookPoster, type WebhookPosterDeps } from '../webhook/post.js';
import { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from '../webhook/worker.js';
import { decideSession, type VerificationDeps } from './decide-session.js';
import { decideUndecided, DEFAULT_MAINTENANCE_OPTIONS, expireSessions, pruneWebhookLog, purgeImages, type JobCount, type MaintenanceOptions } from './maintenance.js';

export interface VerificationSettings {
  /** Unfinished sessions expire this long after creation, ms. */
  sessionExpiryMs: number;
  /** Images are deleted this long after the session's result settled, ms. */
  imageRetentionMs: number;
  /** Webhook request deadline, ms. */
  webhookTimeoutMs: number;
  /** Where webhooks may go besides public addresses (WEBHOOK_INTERNAL_ALLOW; default none). */
  webhookAddressPolicy?: AddressPolicy;
}

/** Options only tests pass (through createServices' ServiceOptions.verification). */
export interface VerificationOptions {
  /** Tests only: e.g. an address policy that lets webhooks reach a receiver on 127.0.0.1. */
  webhookPoster?: WebhookPosterDeps;
  webhookWorker?: Partial<WebhookWorkerOptions>;
  maintenance?: Partial<MaintenanceOptions>;
  /** Background timers (webhook worker, maintenance). Default on; tests that drive ticks turn them off. */
  backgroundJobs?: boolean;
}

export interface VerificationServices extends VerificationDeps {
  operators: OperatorRepo;
  settings: VerificationSettings;
  worker: WebhookWorker;
  /** The complete hook: decide now; never throws (the maintenance job retries a failure). */
  onCompleted(sessionId: string): Promise<void>;
  /** One pass of every maintenance job; returns what each applied, and what each claimed. */
  maintain(): Promise<MaintenanceCounts>;
  /** Starts the timers; a pass that throws, or rows that fail, are reported to `log`. */
  startJobs(log?: JobLog): void;
  stopJobs(): Promise<void>;
}

/** The part of a pino logger the background jobs report to. */
export interface JobLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MaintenanceCounts {
  decided: number;
  expired: number;
  purged: number;
  webhookRowsPruned: number;
  claimed: { decide: number; expire: number; purge: number };
  /** Rows whose work threw (kept leased, tried again when the lease lapses). */
  failed: { decide: number; expire: number; purge: number };
}

export const WEBHOOK_POLL_MS = 500;
export const MAINTENANCE_EVERY_MS = 60_000;

export function createVerificationServices(
  store: Store,
  clock: { now: () => number; newId: () => string },
  settings: VerificationSettings,
  opts: VerificationOptions = {},
): VerificationServices {
  const verification: VerificationRepo = verificationRepo(store.db);
  const webhooks: WebhookRepo = webhookRepo(store.db);
  const deps: VerificationDeps = { store, verification, webhooks, now: clock.now, newId: clock.newId };
  const worker = createWebhookWorker({
    webhooks,
    post: createWebhookPoster({ ...(settings.webhookAddressPolicy ? { addressPolicy: settings.webhookAddressPolicy } : {}), ...opts.webhookPoster }),
    now: clock.now,
    newId: clock.newId,
    options: { timeoutMs: settings.webhookTimeoutMs, ...opts.webhookWorker },
  });
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const track = (p: Promise<unknown>) => {
    const q = p.catch(() => undefined).finally(() => running.delete(q));
    running.add(q);
  };
  let workerBusy = false;
  let maintBusy = false;
  const mo: MaintenanceOptions = { ...DEFAULT_MAINTENANCE_OPTIONS, ...opts.maintenance };
  const maintain = async (): Promise<MaintenanceCounts> => {
    const e: JobCount = await expireSessions(deps, settings.sessionExpiryMs, mo);
    const d: JobCount = await decideUndecided(deps, mo);
    const p: JobCount = await purgeImages(deps, settings.imageRetentionMs, mo);
    return {
      decided: d.applied,
      expired: e.applied,
      purged: p.applied,
      webhookRowsPruned: await pruneWebhookLog(deps),
      claimed: { decide: d.claimed, expire: e.claimed, purge: p.claimed },
      failed: { decide: d.failed, expire: e.failed, purge: p.failed },
    };
  };
  return {
    ...deps,
    operators: operatorRepo(store.db),
    settings,
    worker,
    async onCompleted(sessionId) {
      try {
        await decideSession(deps, sessionId);
      } catch {
        // Left for the maintenance job (decideUndecided); the complete itself succeeded.
      }
    },
    maintain,
    startJobs(log) {
      if (opts.backgroundJobs === false || timers.length > 0) return;
      stopped = false;
      // The poller waits for its claim, not for the requests (worker.ts: fairness).
      const workerTick = () => {
        if (stopped || workerBusy) return;
        workerBusy = true;
        track(
          worker
            .poll()
            .catch((err: unknown) => log?.error({ err }, 'webhook poll failed (next poll in 0.5 s)'))
            .finally(() => (workerBusy = false)),
        );
      };
      const maintTick = () => {
        if (stopped || maintBusy) return;
        maintBusy = true;
        track(
          maintain()
            .then((c) => {
              if (c.failed.decide + c.failed.expire + c.failed.purge > 0) {
                log?.warn({ failed: c.failed, claimed: c.claimed }, 'maintenance: rows failed (each is tried again when its lease lapses)');
              }
            })
            .catch((err: unknown) => log?.error({ err }, 'maintenance pass failed (next pass in a minute)'))
            .finally(() => (maintBusy = false)),
        );
      };
      timers.push(setInterval(workerTick, WEBHOOK_POLL_MS), setInterval(maintTick, MAINTENANCE_EVERY_MS));
      for (const t of timers) t.unref();
      maintTick();
    },
    async stopJobs() {
      stopped = true;
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all([...running]);
      await worker.idle();
    },
  };
}
