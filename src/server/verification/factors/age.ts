/**
 * Age: whole years on the decision day, from the MRZ birth date (else the barcode's), against the
 * tenant's `minAgeYears`. HIGH: at least the minimum; LOW: younger. UNAVAILABLE: no minimum set
 * or no document step. UNKNOWN: no birth date read. Score: age in whole years.
 */
import { aamvaDate, ageYears, mrzDate, ymdString, type BarcodeView, type MrzView, type Ymd } from '../document-data.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor, VerificationInput } from '../types.js';

export function ageFactor(input: VerificationInput, mrz: MrzView[], barcodes: BarcodeView[], policy: VerificationPolicy): Factor {
  const name = 'age' as const;
  if (!input.steps.includes('document')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  if (policy.minAgeYears === null) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NO_MINIMUM_AGE_SET' } };
  let birth: Ymd | null = null;
  for (const m of mrz) if (!birth && m.birthDate) birth = mrzDate(m.birthDate, 'birth', input.now);
  for (const b of barcodes) if (!birth && b.birthDate) birth = aamvaDate(b.birthDate, b.country);
  if (!birth) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_BIRTH_DATE_READ', minAgeYears: policy.minAgeYears } };
  const age = ageYears(birth, input.now);
  const evidence = { scoreUnit: 'years', birthDate: ymdString(birth), minAgeYears: policy.minAgeYears };
  if (age < policy.minAgeYears) return { name, level: 'LOW', score: age, evidence: { ...evidence, reason: 'UNDER_MINIMUM_AGE' } };
  return { name, level: 'HIGH', score: age, evidence };
}
