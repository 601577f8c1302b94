/**
 * Per-tenant verification policy: thresholds and which factors decide. Every value documented
 * (what it measures, unit, which way is stricter); docs/decision.md explains the rules and
 * docs/face-verification.md the measurement behind the face thresholds.
 */
import { FACTOR_NAMES, type FactorName } from './types.js';

export interface VerificationPolicy {
  /**
   * Match score (1 − Euclidean distance of the selfie and document-portrait embeddings, unitless,
   * verification/face-similarity.ts) at or above which face verification is HIGH. Stricter:
   * higher (fewer false matches, more false non-matches).
   */
  faceMatchHigh: number;
  /** Match score below which face verification is LOW (between the two: MEDIUM). Stricter: higher. */
  faceMatchLow: number;
  /**
   * Match score above which the selfie is taken for the document's own portrait shown again (a
   * replay: far more alike than two photos of one person ever are). Stricter: lower.
   */
  faceReuseAbove: number;
  /**
   * Best correlation (−1…1) of the selfie's and the portrait's coarse face pictures
   * (vision/face/signature.ts) above which they are taken for the same picture (a replay).
   * Stricter: lower.
   */
  faceReuseSignatureAbove: number;
  /**
   * Liveness score (P(live), 0–1, vision/face/liveness.ts) below which the selfie is taken for a
   * presentation attack (a printed photo or a screen): face liveness LOW. Stricter: higher.
   */
  livenessThreshold: number;
  /** Minimum age in whole years on the decision day; null: the age factor is UNAVAILABLE. Stricter: higher. */
  minAgeYears: number | null;
  /** Days before expiry at which a still-valid document is only MEDIUM (0: valid until the last day). Stricter: higher. */
  expiryWarningDays: number;
  /**
   * Factors that must be HIGH for an automatic approval (when they apply to the session's steps).
   * Stricter: more factors.
   */
  requireHigh: FactorName[];
  /** Factors whose LOW rejects automatically; any other LOW sends the session to manual review. Stricter: more factors. */
  rejectOnLow: FactorName[];
}

export const DEFAULT_VERIFICATION_THRESHOLDS: VerificationPolicy = {
  // Measured (docs/face-verification.md).
  faceMatchHigh: 0.43,
  faceMatchLow: 0.3,
  faceReuseAbove: 0.8,
  faceReuseSignatureAbove: 0.96,
  livenessThreshold: 0.3,
  minAgeYears: null,
  expiryWarningDays: 0,
  requireHigh: ['crossCheck', 'documentExpiry', 'faceVerification', 'applicantIntegrity', 'age'],
  rejectOnLow: ['documentExpiry', 'faceVerification', 'age'],
};

/** Validates a partial policy given by an operator; throws Error with a message naming the field. */
export function parsePolicy(input: unknown): VerificationPolicy {
  const p = { ...DEFAULT_VERIFICATION_THRESHOLDS };
  if (input === null || input === undefined) return p;
  if (typeof input !== 'object' || Array.isArray(input)) throw new Error('policy must be an object');
  const o = input as Record<string, unknown>;
  const num = (k: 'faceMatchHigh' | 'faceMatchLow' | 'faceReuseAbove' | 'faceReuseSignatureAbove' | 'livenessThreshold', min: number, max: number) => {
    if (o[k] === undefined) return;
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new Error(`${k} must be a number in [${min}, ${max}]`);
    p[k] = v;
  };
  num('faceMatchHigh', -1, 1);
  num('faceMatchLow', -1, 1);
  num('faceReuseAbove', -1, 1);
  num('faceReuseSignatureAbove', -1, 1);
  num('livenessThreshold', 0, 1);
  if (p.faceMatchLow > p.faceMatchHigh) throw new Error('faceMatchLow must not exceed faceMatchHigh');
  if (p.faceReuseAbove <= p.faceMatchHigh) throw new Error('faceReuseAbove must exceed faceMatchHigh');
  if (o.minAgeYears !== undefined) {
    const v = o.minAgeYears;
    if (v !== null && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 150)) throw new Error('minAgeYears must be null or an integer 0–150');
    p.minAgeYears = v as number | null;
  }
  if (o.expiryWarningDays !== undefined) {
    const v = o.expiryWarningDays;
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 3650) throw new Error('expiryWarningDays must be an integer 0–3650');
    p.expiryWarningDays = v as number;
  }
  for (const k of ['requireHigh', 'rejectOnLow'] as const) {
    if (o[k] === undefined) continue;
    const v = o[k];
    if (!Array.isArray(v) || !v.every((n) => (FACTOR_NAMES as readonly unknown[]).includes(n))) {
      throw new Error(`${k} must be a list of factor names (${FACTOR_NAMES.join(', ')})`);
    }
    p[k] = [...new Set(v as FactorName[])];
  }
  return p;
}

/** The face-verification level a match score stands for under a policy (replays aside). */
export function faceMatchLevel(score: number, policy: Pick<VerificationPolicy, 'faceMatchHigh' | 'faceMatchLow'>): 'HIGH' | 'MEDIUM' | 'LOW' {
  return score >= policy.faceMatchHigh ? 'HIGH' : score < policy.faceMatchLow ? 'LOW' : 'MEDIUM';
}
