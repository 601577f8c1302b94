/**
 * Age: whole years on the decision day, from the normalised birth date (extract-document.ts: MRZ,
 * else the barcode), against the tenant's `minAgeYears`. HIGH: at least the minimum; LOW: younger.
 * UNAVAILABLE: no minimum set or no document step. UNKNOWN: no birth date read. Score: age in
 * whole years.
 */
import { ageYears, isoDate } from '../document-data.js';
import type { ExtractedDocument } from '../extract-document.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor, VerificationInput } from '../types.js';

export function ageFactor(input: VerificationInput, doc: ExtractedDocument, policy: VerificationPolicy): Factor {
  const name = 'age' as const;
  if (!input.steps.includes('document')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  if (policy.minAgeYears === null) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NO_MINIMUM_AGE_SET' } };
  const birth = doc.dateOfBirth ? isoDate(doc.dateOfBirth.value) : null;
  if (!doc.dateOfBirth || !birth) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_BIRTH_DATE_READ', minAgeYears: policy.minAgeYears } };
  const age = ageYears(birth, input.now);
  const evidence = { scoreUnit: 'years', birthDate: doc.dateOfBirth.value, source: `${doc.dateOfBirth.source} ${doc.dateOfBirth.page}`, minAgeYears: policy.minAgeYears };
  if (age < policy.minAgeYears) return { name, level: 'LOW', score: age, evidence: { ...evidence, reason: 'UNDER_MINIMUM_AGE' } };
  return { name, level: 'HIGH', score: age, evidence };
}
