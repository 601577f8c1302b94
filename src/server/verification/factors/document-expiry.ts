/**
 * Document expiry: the normalised expiry date (extract-document.ts: MRZ, else the AAMVA barcode).
 * HIGH: valid beyond the warning period; MEDIUM: valid but within `expiryWarningDays`; LOW:
 * expired (the day after the printed date). UNKNOWN: no machine-readable expiry date. Score: days
 * until expiry (negative when expired).
 */
import { daysUntil, isoDate } from '../document-data.js';
import type { ExtractedDocument } from '../extract-document.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor } from '../types.js';

export function documentExpiryFactor(doc: ExtractedDocument, now: number, policy: VerificationPolicy, hasDocumentStep: boolean): Factor {
  const name = 'documentExpiry' as const;
  if (!hasDocumentStep) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  const field = doc.dateOfExpiry;
  const expiry = field ? isoDate(field.value) : null;
  if (!field || !expiry) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_EXPIRY_DATE_READ' } };
  const days = daysUntil(expiry, now);
  const evidence = { scoreUnit: 'days until expiry', expirationDate: field.value, source: `${field.source} ${field.page}`, confidence: field.confidence };
  if (days < 0) return { name, level: 'LOW', score: days, evidence: { ...evidence, reason: 'DOCUMENT_EXPIRED' } };
  if (days < policy.expiryWarningDays) return { name, level: 'MEDIUM', score: days, evidence: { ...evidence, reason: 'EXPIRES_SOON' } };
  return { name, level: 'HIGH', score: days, evidence };
}
