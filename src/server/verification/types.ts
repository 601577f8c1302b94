/** The verification domain's types: trust factors, the decision, the verification statuses. */
import type { ApplicantForm, Step } from '../session/types.js';
import type { DocumentResult, FaceCheckResult } from '../vision/contract.js';

/**
 * HIGH: the check passed. MEDIUM: doubtful (a person should look). LOW: the check failed.
 * UNAVAILABLE: this deployment cannot compute it (no measured method, the step is not part of the
 * session, or the integrator skipped it). UNKNOWN: it applies, but the images did not yield the
 * data it needs (e.g. no MRZ read). Never a made-up score.
 */
export type FactorLevel = 'HIGH' | 'MEDIUM' | 'LOW' | 'UNAVAILABLE' | 'UNKNOWN';

export const FACTOR_NAMES = [
  'crossCheck',
  'documentExpiry',
  'fieldConsistency',
  'faceVerification',
  'faceLiveness',
  'documentLiveness',
  'applicantIntegrity',
  'age',
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

export interface Factor {
  name: FactorName;
  level: FactorLevel;
  /** The measured number the level comes from (unit in `evidence.scoreUnit`), or null when none was measured. */
  score: number | null;
  /** What was compared and found, JSON-safe; `reason` says why a factor is UNAVAILABLE/UNKNOWN/LOW. */
  evidence: Record<string, unknown>;
}

export type Decision = 'HIGH' | 'MEDIUM' | 'LOW';

export const VERIFICATION_STATUSES = [
  'PENDING',
  'EXPIRED',
  'WAITING_FOR_MANUAL_APPROVE',
  'AUTO_APPROVED',
  'AUTO_REJECTED',
  'MANUAL_APPROVED',
  'MANUAL_REJECTED',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** What the factors read: the session's accepted captures' engine results, and the clock. */
export interface VerificationInput {
  /** ms since epoch; the decision's "today". */
  now: number;
  steps: Step[];
  applicantForm: ApplicantForm | null;
  skipIntegrityCheck: boolean;
  front: DocumentResult | null;
  back: DocumentResult | null;
  face: FaceCheckResult | null;
}
