/**
 * Access tokens: HS256 JWTs with claims { sessionId, tenant, gen, nbf, exp, iat } (`gen`: the
 * session's token generation, so a deleted and re-opened session id refuses the old tokens). The algorithm is
 * pinned on verify (no `alg: none`, no algorithm confusion); any failure is SESSION_UNAUTHORIZED.
 * The clock is injected so expiry is testable. Signing is the JWS compact serialisation with
 * node:crypto's HMAC-SHA256 on the calling thread (≈ 15 µs; jose's WebCrypto path goes through
 * the thread pool, ≈ 200 µs of throughput per token and queued behind any scrypt); verification
 * stays with jose (algorithm pinned, claims checked).
 */
import { createHmac } from 'node:crypto';
import { jwtVerify } from 'jose';
import { CodedError } from '../../shared/errors.js';

export const TOKEN_ALG = 'HS256';
/** Tolerated clock difference between nodes when checking nbf/exp, seconds. Stricter: lower. */
export const CLOCK_TOLERANCE_S = 5;

export interface TokenClaims {
  sessionId: string;
  tenantId: string;
  /** The session's tokenGeneration; null (claim absent) for sessions that have none. */
  generation: string | null;
}

export interface TokenService {
  sign(claims: TokenClaims, lifetimeS: number): Promise<string>;
  /** Throws CodedError('SESSION_UNAUTHORIZED') for any token that is not ours and current. */
  verify(token: string): Promise<TokenClaims>;
}

const HEADER = Buffer.from(JSON.stringify({ alg: TOKEN_ALG, typ: 'JWT' })).toString('base64url');

export function createTokenService(secret: Uint8Array, now: () => number = Date.now): TokenService {
  if (secret.length < 32) throw new Error('JWT secret must be at least 32 bytes');
  // Imported once: given raw bytes, jose would import the key on every sign and verify.
  const keyPromise = crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  keyPromise.catch(() => {});
  return {
    async sign({ sessionId, tenantId, generation }, lifetimeS) {
      const nowS = Math.floor(now() / 1000);
      const claims = { sessionId, tenant: tenantId, ...(generation !== null ? { gen: generation } : {}), iat: nowS, nbf: nowS, exp: nowS + lifetimeS };
      const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, await keyPromise, {
          algorithms: [TOKEN_ALG],
          currentDate: new Date(now()),
          clockTolerance: CLOCK_TOLERANCE_S,
          requiredClaims: ['exp', 'nbf', 'sessionId', 'tenant'],
        });
        const { sessionId, tenant, gen } = payload as { sessionId?: unknown; tenant?: unknown; gen?: unknown };
        if (typeof sessionId !== 'string' || typeof tenant !== 'string') throw new Error('claims');
        if (gen !== undefined && typeof gen !== 'string') throw new Error('claims');
        return { sessionId, tenantId: tenant, generation: gen ?? null };
      } catch {
        throw new CodedError('SESSION_UNAUTHORIZED');
      }
    },
  };
}
