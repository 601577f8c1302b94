/** What the session use cases need; built once in app.ts, replaced piecewise in tests. */
import type { DocumentEngine, DocumentResult, FaceCheckResult, FaceEngine, VisionJobKind } from '../vision/contract.js';
import type { Store } from '../store/index.js';
import type { TokenService } from './jwt.js';
import type { LimitRule, RateLimiter } from './rate-limits.js';
import type { VisionQueue } from './vision-queue.js';

export interface Engines {
  face: FaceEngine;
  document: DocumentEngine;
}

/** Runs a check of `kind` on `engines` (a worker thread's engines, a queue consumer's). */
export function runCheck(engines: Engines, kind: VisionJobKind, bytes: Uint8Array): Promise<FaceCheckResult | DocumentResult> {
  return kind === 'face' ? engines.face.checkFace(bytes) : engines.document.analyzeDocument(bytes);
}

/** `Engines` whose checks are sent elsewhere by `run` (the worker threads, the shared queue). */
export function enginesOver(run: (kind: VisionJobKind, bytes: Uint8Array) => Promise<FaceCheckResult | DocumentResult>): Engines {
  return {
    face: { checkFace: async (bytes) => (await run('face', bytes)) as FaceCheckResult },
    document: { analyzeDocument: async (bytes) => (await run('document', bytes)) as DocumentResult },
  };
}

export interface SessionDeps {
  store: Store;
  tokens: TokenService;
  /** null until the models are loaded (then /ready turns 200). */
  engines: () => Engines | null;
  vision: VisionQueue;
  now: () => number;
  newId: () => string;
  publicBaseUrl: string;
  /** Deployment default, seconds; a tenant's tokenLifetimeS overrides it. */
  tokenLifetimeS: number;
  /** Sessions opened per tenant and per client address (initialize, the demo page), counted in the database. */
  sessionLimit?: { rule: LimitRule; limiter?: RateLimiter };
  /** Run after a session completed (the verification decision); must not throw. */
  onCompleted?: (sessionId: string) => Promise<void>;
}
