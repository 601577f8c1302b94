/**
 * Face liveness (passive presentation-attack detection), measured on the accepted selfie by the
 * face engine's anti-spoof model (vision/face/liveness.ts; APCER/BPCER in
 * docs/face-verification.md):
 *  - LOW, reason PORTRAIT_REUSE: the selfie is the document's portrait shown again
 *    (portrait-reuse.ts), whatever the model says;
 *  - LOW, reason PRESENTATION_ATTACK_SUSPECTED: P(live) below `livenessThreshold` (a printed photo
 *    or a screen held up to the camera);
 *  - HIGH otherwise; the score is P(live), 0–1.
 * UNAVAILABLE: no face step, or a selfie checked by an engine version that did not measure it.
 * A LOW sends the session to review by default (decide.ts rule 2); list the factor in
 * `rejectOnLow` to reject instead.
 */
import { comparePortrait } from '../portrait-reuse.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor, VerificationInput } from '../types.js';

export function faceLivenessFactor(input: VerificationInput, policy: VerificationPolicy): Factor {
  const name = 'faceLiveness' as const;
  if (!input.steps.includes('face')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  const liveness = input.face?.liveness ?? null;
  if (!liveness) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NOT_MEASURED' } };
  const score = Math.round(liveness.score * 1000) / 1000;
  const evidence = { scoreUnit: 'P(live face)', model: liveness.model, threshold: policy.livenessThreshold };
  const compared = comparePortrait(input.face, input.front, input.back, policy);
  if (compared?.reused) {
    return {
      name,
      level: 'LOW',
      score,
      evidence: { ...evidence, reason: 'PORTRAIT_REUSE', portraitPage: compared.page, matchScore: compared.score, signatureCorrelation: compared.signatureCorrelation },
    };
  }
  if (liveness.score < policy.livenessThreshold) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'PRESENTATION_ATTACK_SUSPECTED' } };
  return { name, level: 'HIGH', score, evidence };
}
