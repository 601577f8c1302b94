/** What the session use cases need; built once in app.ts, replaced piecewise in tests. */
import type { DocumentEngine, FaceEngine } from '../vision/contract.js';
import type { Store } from '../store/index.js';
import type { TokenService } from './jwt.js';
import type { LimitRule, RateLimiter } from './rate-limits.js';
import type { VisionQueue } from './vision-queue.js';

export interface Engines {
  face: FaceEngine;
  document: DocumentEngine;
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
