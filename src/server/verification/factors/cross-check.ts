/**
 * Cross check: the MRZ check digits (each field's and the composite) as the reader verified them.
 * HIGH: every MRZ read verifies. LOW: a check digit fails (evidence names it). UNKNOWN: no MRZ
 * was read (documents without one, or unreadable). Score: share of check digits that verify (0–1).
 */
import type { MrzView } from '../document-data.js';
import type { Factor } from '../types.js';

export function crossCheckFactor(mrz: MrzView[], hasDocumentStep: boolean): Factor {
  const name = 'crossCheck' as const;
  if (!hasDocumentStep) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  if (mrz.length === 0) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_MRZ_READ' } };
  const failed: string[] = [];
  let total = 0;
  for (const m of mrz) {
    for (const [check, v] of Object.entries(m.checks ?? {})) {
      total++;
      if (!v.valid) failed.push(`${m.page}:${check}`);
    }
    if (!m.checks && !m.valid) failed.push(`${m.page}:mrz`);
  }
  const invalid = mrz.filter((m) => !m.valid).map((m) => m.page);
  const score = total > 0 ? (total - failed.length) / total : invalid.length === 0 ? 1 : 0;
  const evidence = { scoreUnit: 'share of check digits verified', pages: mrz.map((m) => ({ page: m.page, format: m.format, valid: m.valid })), failedChecks: failed };
  if (failed.length > 0 || invalid.length > 0) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'CHECK_DIGIT_FAILED' } };
  return { name, level: 'HIGH', score, evidence };
}
