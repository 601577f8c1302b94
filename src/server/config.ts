/**
 * The service configuration: the ONLY module in src/server that reads process.env (lint enforces
 * it). Every value is validated here, once, at start-up; a bad value stops the process with a
 * message naming the variable. Everything else receives a `Config` object.
 */
import { resolve } from 'node:path';
import { parseInternalAllowList, type InternalAllowList } from './net/address-policy.js';

export interface Config {
  /** TCP port to listen on. */
  port: number;
  /** Interface to bind. */
  host: string;
  /** Where the SQLite file, the image files and other local state live. */
  dataDir: string;
  /** `sqlite:<path>` (default `<dataDir>/enrolment.sqlite`) or `postgres://…`. */
  databaseUrl: string;
  /**
   * PostgreSQL connections per node (pool size). Nodes × this must stay below the server's
   * max_connections (default 100) minus what other clients use. Ignored on SQLite.
   */
  databasePoolSize: number;
  /**
   * Bearer token of GET /metrics. null: /metrics answers only to clients on the loopback interface
   * (a scraper on the same host or a sidecar); anyone else gets 404.
   */
  metricsToken: string | null;
  /** Base URL the applicant's browser reaches us at; webEnrolmentUrl is built from it. No trailing slash. */
  publicBaseUrl: string;
  /**
   * HS256 secret for access tokens (≥ 32 bytes). When null, a random secret is generated on first
   * start and persisted in the store, so every node of a deployment shares it.
   */
  jwtSecret: string | null;
  /** Default access-token lifetime, seconds (a tenant may override). Stricter: lower. */
  tokenLifetimeS: number;
  /** Largest request body, bytes. Must fit a 12 MP JPEG in base64 (~4/3 of the file). Stricter: lower. */
  bodyLimitBytes: number;
  /**
   * Capture bodies (document, face) in flight per process, bytes by Content-Length: beyond it a
   * capture gets SERVICE_BUSY before its body is read (http/capture-admission.ts). At least
   * BODY_LIMIT_BYTES. Stricter: lower.
   */
  captureBodyBudgetBytes: number;
  /** Largest image downloaded from an imageBase URL, bytes. Stricter: lower. */
  downloadMaxBytes: number;
  /** Whole-download deadline for an imageBase URL (connect + redirects + body), ms. Stricter: lower. */
  downloadTimeoutMs: number;
  /** Redirects followed for an imageBase URL (each re-checked by the SSRF guard). Stricter: lower. */
  downloadMaxRedirects: number;
  /**
   * Worker threads running the vision engines (each loads its own models, ~0.5 GB). 0: run them on
   * the main thread (the event loop then waits for each job). See docs/adr/0002.
   */
  visionWorkers: number;
  /**
   * Where this node's face and document checks run. `local` (default): on its own engines
   * (`visionWorkers` threads, or the main thread). `database`: through the shared vision queue in
   * the database, run by any vision consumer — this node's own threads when `visionWorkers` > 0,
   * and separate `npm run vision-worker` processes (docs/operations.md, docs/adr/0008).
   */
  visionQueue: 'local' | 'database';
  /**
   * Vision jobs run at once by this node (default: one per worker, or 1 in-process; with the
   * shared queue, jobs this node may have in the queue at once, default 32).
   */
  visionConcurrency: number;
  /**
   * Vision jobs allowed to wait; beyond that requests get SERVICE_BUSY (503). Stricter: lower.
   * With the shared queue: unclaimed jobs in the queue, all nodes together.
   */
  visionMaxQueued: number;
  /** Shared queue: a job no consumer claims within this long answers SERVICE_BUSY, ms. */
  visionQueueWaitMs: number;
  /** Shared queue: a job not finished within this long after it was queued answers INTERNAL_ERROR, ms. */
  visionJobTimeoutMs: number;
  /** pino log level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Graceful shutdown: how long in-flight requests may take before we exit anyway, ms. */
  shutdownGraceMs: number;
  /**
   * Serve the integrators' demo page /web-enrolment/demo (anyone who reaches it may open
   * demo-tenant sessions without credentials). DEMO=true|false (WEB_DEMO, the earlier name, too);
   * default: on only when PUBLIC_BASE_URL is loopback and the server listens on loopback only.
   */
  webDemo: boolean;
  /** Unfinished sessions expire (status EXPIRED) this many days after creation. Stricter: lower. */
  sessionExpiryDays: number;
  /** Images are deleted this many days after a session's result settled (decided, reviewed or expired). Stricter: lower. */
  imageRetentionDays: number;
  /** Deadline of one webhook delivery attempt (connect + response), ms. */
  webhookTimeoutMs: number;
  /** Internal hosts/CIDRs imageBase URLs may reach (IMAGE_URL_INTERNAL_ALLOW; empty: public only). */
  imageUrlInternalAllow: InternalAllowList;
  /** Internal hosts/CIDRs webhooks may reach (WEBHOOK_INTERNAL_ALLOW; empty: public only). */
  webhookInternalAllow: InternalAllowList;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs):
   * false (default: the TCP peer is the client), true (every hop), a number of hops, or a list of
   * addresses/CIDRs of the operator's load balancers. TRUST_PROXY=false|true|<n>|<ip,cidr,…>.
   */
  trustProxy: boolean | number | string[];
  /** Failed credential checks (Basic auth, console sign-in) allowed per client address and per user name per window; then 429. 0: off. Stricter: lower. */
  authFailureLimit: number;
  authFailureWindowS: number;
  /** A refused credential check that cost no scrypt (budget spent, same wrong credentials again) is answered after this delay, ms. */
  authFailurePenaltyMs: number;
  /**
   * Where the data encryption keys come from (docs/security.md): DATA_ENCRYPTION_KEY (base64 keys,
   * comma-separated, the first encrypts), DATA_ENCRYPTION_KEY_FILE (one key a line), or — on the
   * embedded SQLite default only — a key file generated under DATA_DIR/keys on the first start.
   */
  dataKeys: { keys: string } | { file: string; create: boolean };
  /** Sessions opened per tenant and per client address per window; then 429. 0: off. Stricter: lower. */
  sessionRateLimit: number;
  sessionRateWindowS: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** loadConfig() for an entry point: a bad value prints its message and exits with status 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** localhost, 127.0.0.0/8, ::1 (URL host or listen address). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function boolFlag(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function allowList(env: Env, name: string): InternalAllowList {
  try {
    return parseInternalAllowList(env[name]);
  } catch (err) {
    throw new ConfigError(`${name}: ${(err as Error).message} (comma-separated exact host names, addresses or CIDRs)`);
  }
}

function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of list) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item)) throw new ConfigError(`TRUST_PROXY: "${item}" is not an address or CIDR (or use true, false, a hop count)`);
  }
  return list;
}

/** Build and validate the configuration from an environment (default: process.env). */
export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const publicUrlIsLoopback = (() => {
    try {
      return isLoopbackHost(new URL(env.PUBLIC_BASE_URL || 'http://localhost').hostname);
    } catch {
      return false;
    }
  })();
  // A loopback public URL (the default) means nobody else should reach us: listen on loopback too.
  const host = env.HOST || (publicUrlIsLoopback ? '127.0.0.1' : '0.0.0.0');
  const dataDir = resolve(env.DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${resolve(dataDir, 'enrolment.sqlite')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with sqlite: or postgres://');
  }
  const publicBaseUrl = (env.PUBLIC_BASE_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(publicBaseUrl);
  } catch {
    throw new ConfigError(`PUBLIC_BASE_URL is not a URL: "${publicBaseUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('PUBLIC_BASE_URL must be http(s)');
  }
  const jwtSecret = env.JWT_SECRET || null;
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes (or unset to generate one)');
  }
  const metricsToken = env.METRICS_TOKEN || null;
  if (metricsToken !== null && Buffer.byteLength(metricsToken) < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 bytes (or unset: loopback only)');
  const visionWorkers = int(env, 'VISION_WORKERS', 1, 0, 32);
  const visionQueue = (env.VISION_QUEUE || 'local') as Config['visionQueue'];
  if (visionQueue !== 'local' && visionQueue !== 'database') throw new ConfigError(`VISION_QUEUE must be local or database, got "${visionQueue}"`);
  let dataKeys: Config['dataKeys'];
  if (env.DATA_ENCRYPTION_KEY) dataKeys = { keys: env.DATA_ENCRYPTION_KEY };
  else if (env.DATA_ENCRYPTION_KEY_FILE) dataKeys = { file: resolve(env.DATA_ENCRYPTION_KEY_FILE), create: false };
  else if (databaseUrl.startsWith('sqlite:')) dataKeys = { file: resolve(dataDir, 'keys', 'data-encryption.keys'), create: true };
  else {
    throw new ConfigError(
      'on PostgreSQL set DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEY_FILE (every node needs the same key; `npm run --silent keys -- generate` prints a new one)',
    );
  }
  // Below the server's 120 s request timeout (app.ts), so the answer is ours, not a dropped socket.
  const visionJobTimeoutMs = int(env, 'VISION_JOB_TIMEOUT_MS', 100_000, 1000, 110_000);
  const visionQueueWaitMs = int(env, 'VISION_QUEUE_WAIT_MS', 30_000, 100, 110_000);
  if (visionQueueWaitMs >= visionJobTimeoutMs) throw new ConfigError('VISION_QUEUE_WAIT_MS must be shorter than VISION_JOB_TIMEOUT_MS');
  const bodyLimitBytes = int(env, 'BODY_LIMIT_BYTES', 20 * 1024 * 1024, 1024, 100 * 1024 * 1024);
  const captureBodyBudgetBytes = int(env, 'CAPTURE_BODY_BUDGET_BYTES', 8 * bodyLimitBytes, bodyLimitBytes, 16 * 1024 * 1024 * 1024);
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port,
    host,
    dataDir,
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    metricsToken,
    publicBaseUrl,
    jwtSecret,
    tokenLifetimeS: int(env, 'TOKEN_LIFETIME_S', 3600, 60, 7 * 24 * 3600),
    bodyLimitBytes,
    captureBodyBudgetBytes,
    downloadMaxBytes: int(env, 'DOWNLOAD_MAX_BYTES', 15 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    downloadTimeoutMs: int(env, 'DOWNLOAD_TIMEOUT_MS', 10_000, 100, 120_000),
    downloadMaxRedirects: int(env, 'DOWNLOAD_MAX_REDIRECTS', 3, 0, 10),
    visionWorkers,
    visionQueue,
    visionConcurrency: int(env, 'VISION_CONCURRENCY', visionQueue === 'database' ? 32 : Math.max(1, visionWorkers), 1, 1000),
    visionMaxQueued: int(env, 'VISION_MAX_QUEUED', 16, 0, 10_000),
    visionQueueWaitMs,
    visionJobTimeoutMs,
    logLevel,
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 300_000),
    sessionExpiryDays: int(env, 'SESSION_EXPIRY_DAYS', 14, 1, 3650),
    imageRetentionDays: int(env, 'IMAGE_RETENTION_DAYS', 30, 1, 36500),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    imageUrlInternalAllow: allowList(env, 'IMAGE_URL_INTERNAL_ALLOW'),
    webhookInternalAllow: allowList(env, 'WEBHOOK_INTERNAL_ALLOW'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    dataKeys,
    authFailureLimit: int(env, 'AUTH_FAILURE_LIMIT', 10, 0, 1_000_000),
    authFailureWindowS: int(env, 'AUTH_FAILURE_WINDOW_S', 300, 1, 86_400),
    authFailurePenaltyMs: int(env, 'AUTH_FAILURE_PENALTY_MS', 1000, 0, 60_000),
    sessionRateLimit: int(env, 'SESSION_RATE_LIMIT', 1200, 0, 100_000_000),
    sessionRateWindowS: int(env, 'SESSION_RATE_WINDOW_S', 60, 1, 86_400),
    webDemo: boolFlag(env, 'DEMO') ?? boolFlag(env, 'WEB_DEMO') ?? (isLoopbackHost(parsed.hostname) && isLoopbackHost(host)),
  };
}
