/**
 * Builds the Fastify app from explicit dependencies (no listening, no process.env): main.ts
 * passes the real ones, tests pass a temp store, a fixed clock and test engines.
 * Other parts register their plugin at the marked line.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { createCaptureAdmission, type CaptureAdmission } from './http/capture-admission.js';
import { frameworkErrorOptions, installErrorHandling } from './http/errors.js';
import { collectOpenApi } from './http/openapi.js';
import { genRequestId } from './http/request-id.js';
import { enrolmentRoutes } from './http/routes/enrolment.js';
import { opsRoutes } from './http/routes/ops.js';
import { installMetrics } from './http/metrics.js';
import { sessionRoutes } from './http/routes/sessions.js';
import { SHARED_SCHEMAS } from './http/schemas.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installStrictInput, strictBodyValidators } from './http/strict-input.js';
import { webEnrolmentPlugin } from './http/web-enrolment.js';
import { createAddressPolicy } from './net/address-policy.js';
import { createImageDownloader, type DownloaderDeps, type ImageDownloader } from './net/download-image.js';
import { createTenantAuthenticator, type TenantAuthenticator } from './session/authenticate-tenant.js';
import type { Engines, SessionDeps } from './session/deps.js';
import { createTokenService } from './session/jwt.js';
import { createRateLimiter, type RateLimiter } from './session/rate-limits.js';
import { resolveJwtSecret } from './session/jwt-secret.js';
import { createVisionQueue } from './session/vision-queue.js';
import type { RemoteVision } from './session/vision-remote.js';
import type { Store } from './store/index.js';
import { DEFAULT_DECODE_LIMITS } from './vision/decode-image.js';
import { verificationPlugin } from './review/plugin.js';
import { createVerificationServices, type VerificationOptions, type VerificationServices } from './verification/services.js';

/** Everything the routes use. Also what other plugins (web enrolment) receive. */
export interface Services {
  config: Config;
  store: Store;
  session: SessionDeps;
  authenticateTenant: TenantAuthenticator;
  download: ImageDownloader;
  /** Decision, webhooks, review console, expiry and retention (src/server/verification/). */
  verification: VerificationServices;
  /** Rate limits counted in the database (shared by every node). */
  limiter: RateLimiter;
  /** The capture routes' byte budget of bodies in flight (reject before reading). */
  captureAdmission: CaptureAdmission;
  /**
   * Install the engines once the models are loaded; /ready turns 200. With the shared vision
   * queue (session/vision-remote.ts), `shared` also decides readiness (a consumer alive) and
   * saturation (the queue full), and feeds /metrics.
   */
  setEngines(engines: Engines, shared?: SharedVision): void;
  /** The shared vision queue's state, when this node uses it. */
  sharedVision(): SharedVision | null;
}

/** What app.ts needs of the shared vision queue (RemoteVision). */
export type SharedVision = Pick<RemoteVision, 'ready' | 'saturated' | 'stats'>;

export interface ServiceOptions {
  now?: () => number;
  newId?: () => string;
  /** Tests only: e.g. an address policy that lets the downloader reach a local server. */
  downloader?: DownloaderDeps;
  /** Tests only: webhook address policy, worker timings, background jobs off. */
  verification?: VerificationOptions;
}

export async function createServices(config: Config, store: Store, opts: ServiceOptions = {}): Promise<Services> {
  const now = opts.now ?? Date.now;
  const secret = await resolveJwtSecret(config.jwtSecret, store.settings);
  let engines: Engines | null = null;
  let shared: SharedVision | null = null;
  const DAY_MS = 86_400_000;
  const verification = createVerificationServices(
    store,
    { now, newId: opts.newId ?? randomUUID },
    {
      sessionExpiryMs: config.sessionExpiryDays * DAY_MS,
      imageRetentionMs: config.imageRetentionDays * DAY_MS,
      webhookTimeoutMs: config.webhookTimeoutMs,
      webhookAddressPolicy: createAddressPolicy(config.webhookInternalAllow),
    },
    opts.verification,
  );
  const limiter = createRateLimiter(store.rateLimits, now);
  const session: SessionDeps = {
    store,
    tokens: createTokenService(secret, now),
    engines: () => engines,
    vision: createVisionQueue(config.visionConcurrency, config.visionMaxQueued),
    now,
    newId: opts.newId ?? randomUUID,
    publicBaseUrl: config.publicBaseUrl,
    tokenLifetimeS: config.tokenLifetimeS,
    onCompleted: verification.onCompleted,
    sessionLimit: { rule: { limit: config.sessionRateLimit, windowMs: config.sessionRateWindowS * 1000 }, limiter },
  };
  return {
    config,
    store,
    session,
    authenticateTenant: createTenantAuthenticator(store, {
      limiter,
      failures: { limit: config.authFailureLimit, windowMs: config.authFailureWindowS * 1000 },
      penaltyMs: config.authFailurePenaltyMs,
      now,
    }),
    limiter,
    download: createImageDownloader(
      { maxBytes: config.downloadMaxBytes, timeoutMs: config.downloadTimeoutMs, maxRedirects: config.downloadMaxRedirects },
      { addressPolicy: createAddressPolicy(config.imageUrlInternalAllow), ...opts.downloader },
    ),
    verification,
    captureAdmission: createCaptureAdmission(config.captureBodyBudgetBytes, config.bodyLimitBytes),
    setEngines(e, s) {
      engines = e;
      shared = s ?? null;
    },
    sharedVision: () => shared,
  };
}

const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

/** Body limit of every route but the captures (JSON of initialize, the handoff, the console's forms). */
export const SMALL_BODY_LIMIT_BYTES = 64 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export async function buildApp(services: Services, logger: FastifyServerOptions['logger'] = false): Promise<FastifyInstance> {
  const hsts = services.config.publicBaseUrl.startsWith('https:');
  const app = Fastify({
    logger,
    genReqId: genRequestId,
    // Small by default; the capture routes allow BODY_LIMIT_BYTES (routes/enrolment.ts).
    bodyLimit: SMALL_BODY_LIMIT_BYTES,
    // Server-side timeouts so a slow client cannot hold a connection forever.
    requestTimeout: 120_000,
    connectionTimeout: 0,
    // Bodies validate without type coercion (http/strict-input.ts).
    schemaController: { compilersFactory: { buildValidator: strictBodyValidators } },
    ...frameworkErrorOptions(hsts),
    // A hop count as proxy-addr's trust function: the first n hops from us are proxies.
    trustProxy: typeof services.config.trustProxy === 'number' ? trustHops(services.config.trustProxy) : services.config.trustProxy,
  });
  app.decorate('services', services);
  app.decorateRequest('tenant', null);
  app.decorateRequest('enrolmentSession', null);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  installErrorHandling(app);
  installSecurityHeaders(app, { hsts });
  // JSON only (also empty: `complete` is called with `-d ""`), no coercion, no NUL.
  installStrictInput(app);

  const openapi = collectOpenApi(app, { title: 'idv-enrolment', version: '0.1.0' });
  const maxImageBytes = DEFAULT_DECODE_LIMITS.maxBytes;
  installMetrics(app, {
    token: services.config.metricsToken,
    vision: services.session.vision,
    ...(services.config.visionQueue === 'database' ? { sharedVision: () => services.sharedVision()?.stats() ?? null } : {}),
    webhooks: services.verification.webhooks,
    db: services.store.db,
    now: services.session.now,
  });
  await app.register(opsRoutes, {
    ready: () => services.session.engines() !== null && (services.sharedVision()?.ready() ?? true),
    saturated: () => services.session.vision.saturated || (services.sharedVision()?.saturated() ?? false),
    db: services.store.db,
    openapi,
  });
  await app.register(enrolmentRoutes, {
    session: services.session,
    authenticateTenant: services.authenticateTenant,
    download: services.download,
    maxImageBytes,
    captureBodyLimitBytes: services.config.bodyLimitBytes,
    admission: services.captureAdmission,
  });
  await app.register(sessionRoutes, { store: services.store, authenticateTenant: services.authenticateTenant });
  // --- other parts register their plugins below (they receive `services` via app.services) ---
  await app.register(webEnrolmentPlugin, { session: services.session, demo: services.config.webDemo });
  await app.register(verificationPlugin, { verification: services.verification, secureCookie: services.config.publicBaseUrl.startsWith('https:') });

  return app;
}
