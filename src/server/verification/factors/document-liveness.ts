/**
 * Document liveness (screen or print recapture). No detector for recaptured documents has been
 * built or measured here, so the factor is UNAVAILABLE rather than an unmeasured number.
 */
import type { Factor, VerificationInput } from '../types.js';

export function documentLivenessFactor(input: VerificationInput): Factor {
  const name = 'documentLiveness' as const;
  if (!input.steps.includes('document')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NOT_MEASURED' } };
}
