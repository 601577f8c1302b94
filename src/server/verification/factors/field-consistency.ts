/**
 * Field consistency: the cross-field checks of the normalised document (extract-document.ts) —
 * every machine-readable source against every other (MRZ front / MRZ back, MRZ / barcode: document
 * number, surname, birth and expiry dates) and the document number and surname against the
 * printed text (OCR, both pages, the MRZ lines left out).
 * LOW: two machine-readable sources disagree (a strong sign of a composed document, since both
 * are read with check digits or a structured code). MEDIUM: a field was not found in the printed
 * text (OCR misses are common, so this never rejects). HIGH: everything compared agrees.
 * UNKNOWN: nothing to compare. Score: share of comparisons that agree (0–1).
 */
import type { ExtractedDocument } from '../extract-document.js';
import type { Factor } from '../types.js';

export function fieldConsistencyFactor(doc: ExtractedDocument, hasDocumentStep: boolean): Factor {
  const name = 'fieldConsistency' as const;
  if (!hasDocumentStep) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  const comparisons = doc.checks;
  if (comparisons.length === 0) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NOTHING_TO_COMPARE' } };
  const agreed = comparisons.filter((c) => c.agree).length;
  const score = Math.round((agreed / comparisons.length) * 1000) / 1000;
  const evidence = { scoreUnit: 'share of comparisons that agree', comparisons };
  if (comparisons.some((c) => c.strong && !c.agree)) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'MACHINE_READABLE_FIELDS_DISAGREE' } };
  if (agreed < comparisons.length) return { name, level: 'MEDIUM', score, evidence: { ...evidence, reason: 'NOT_FOUND_IN_PRINTED_TEXT' } };
  return { name, level: 'HIGH', score, evidence };
}
