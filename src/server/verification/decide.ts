/**
 * The decision step, pure: factors in, decision out. Rules (docs/decision.md):
 *  1. A factor listed in `rejectOnLow` at LOW → LOW (automatic rejection).
 *  2. Any other LOW → MEDIUM (a person decides).
 *  3. Every factor of `requireHigh` that applies to the session must be HIGH; a required factor
 *     at MEDIUM or UNKNOWN → MEDIUM. (UNAVAILABLE because the step is not in the session, the
 *     integrator skipped it or the tenant set no minimum age: it does not apply.)
 *  4. Any other factor at MEDIUM → MEDIUM. UNAVAILABLE and UNKNOWN of non-required factors
 *     (e.g. document liveness, which is not measured) do not block.
 *  5. Nothing required applies at all → MEDIUM (nothing was verified).
 *  Otherwise HIGH.
 */
import { mrzViews } from './document-data.js';
import { extractDocument } from './extract-document.js';
import { ageFactor } from './factors/age.js';
import { applicantIntegrityFactor } from './factors/applicant-integrity.js';
import { crossCheckFactor } from './factors/cross-check.js';
import { documentExpiryFactor } from './factors/document-expiry.js';
import { documentLivenessFactor } from './factors/document-liveness.js';
import { faceLivenessFactor } from './factors/face-liveness.js';
import { faceVerificationFactor } from './factors/face-verification.js';
import { fieldConsistencyFactor } from './factors/field-consistency.js';
import type { VerificationPolicy } from './thresholds.js';
import type { Decision, Factor, VerificationInput, VerificationStatus } from './types.js';

export interface DecisionResult {
  decision: Decision;
  /** Why, one line per rule that fired: `<factor>:<level>` plus the rule. */
  reasons: string[];
  factors: Factor[];
}

/** Every factor of a session, in a fixed order. */
export function computeFactors(input: VerificationInput, policy: VerificationPolicy): Factor[] {
  const mrz = mrzViews(input.front, input.back);
  // The one normalised document the read side shows: expiry, consistency, integrity and age read it.
  const doc = extractDocument(input.front, input.back, input.now);
  const hasDoc = input.steps.includes('document');
  return [
    crossCheckFactor(mrz, hasDoc),
    documentExpiryFactor(doc, input.now, policy, hasDoc),
    fieldConsistencyFactor(doc, hasDoc),
    faceVerificationFactor(input, policy),
    faceLivenessFactor(input, policy),
    documentLivenessFactor(input),
    applicantIntegrityFactor(input, doc),
    ageFactor(input, doc, policy),
  ];
}

export function decide(factors: Factor[], policy: VerificationPolicy): Omit<DecisionResult, 'factors'> {
  const reasons: string[] = [];
  for (const f of factors) if (f.level === 'LOW' && policy.rejectOnLow.includes(f.name)) reasons.push(`${f.name}:LOW rejects`);
  if (reasons.length > 0) return { decision: 'LOW', reasons };
  for (const f of factors) if (f.level === 'LOW') reasons.push(`${f.name}:LOW needs review`);
  const required = factors.filter((f) => policy.requireHigh.includes(f.name) && f.level !== 'UNAVAILABLE');
  // (a required factor at LOW is already listed above)
  for (const f of required) if (f.level !== 'HIGH' && f.level !== 'LOW') reasons.push(`${f.name}:${f.level} is required HIGH`);
  for (const f of factors) if (f.level === 'MEDIUM' && !policy.requireHigh.includes(f.name)) reasons.push(`${f.name}:MEDIUM needs review`);
  if (required.length === 0) reasons.push('no required factor applies');
  return reasons.length > 0 ? { decision: 'MEDIUM', reasons } : { decision: 'HIGH', reasons: [] };
}

export function verify(input: VerificationInput, policy: VerificationPolicy): DecisionResult {
  const factors = computeFactors(input, policy);
  return { ...decide(factors, policy), factors };
}

/** The status an automatic decision leads to. */
export function statusOf(decision: Decision): VerificationStatus {
  return decision === 'HIGH' ? 'AUTO_APPROVED' : decision === 'LOW' ? 'AUTO_REJECTED' : 'WAITING_FOR_MANUAL_APPROVE';
}
