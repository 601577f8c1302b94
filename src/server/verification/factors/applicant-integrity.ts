/**
 * Applicant integrity: the `applicantForm` the integrator sent against the document (MRZ, else
 * barcode). Names by ICAO transliteration and tolerant matching (name-match.ts), the birth date
 * exactly. HIGH: every given field matches exactly; MEDIUM: a name matches only tolerantly;
 * LOW: a field mismatches. UNAVAILABLE: skipped (`skipIntegrityCheck`), no form, or no document
 * step. UNKNOWN: the document's fields were not read. Score: share of given fields that match
 * exactly, tolerant matches counting half (0–1).
 */
import { aamvaDate, isoDate, mrzDate, sameYmd, ymdString, type BarcodeView, type MrzView } from '../document-data.js';
import { matchName, type NameMatch } from '../name-match.js';
import type { Factor, VerificationInput } from '../types.js';

export function applicantIntegrityFactor(input: VerificationInput, mrz: MrzView[], barcodes: BarcodeView[]): Factor {
  const name = 'applicantIntegrity' as const;
  if (!input.steps.includes('document')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  if (input.skipIntegrityCheck) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'SKIPPED_BY_INTEGRATOR' } };
  const form = input.applicantForm;
  if (!form || (!form.firstName && !form.lastName && !form.dateOfBirth)) {
    return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NO_APPLICANT_FORM' } };
  }
  const m = mrz.find((v) => v.lastName || v.birthDate) ?? null;
  const b = barcodes.find((v) => v.lastName || v.birthDate) ?? null;
  if (!m && !b) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_DOCUMENT_FIELDS_READ' } };
  const doc = {
    source: m ? `MRZ ${m.page}` : `barcode ${b!.page}`,
    lastName: m ? m.lastName : b!.lastName,
    firstName: m ? m.firstName : b!.firstName,
    birthDate: m ? (m.birthDate ? mrzDate(m.birthDate, 'birth', input.now) : null) : b!.birthDate ? aamvaDate(b!.birthDate, b!.country) : null,
  };
  const fields: Array<{ field: string; result: NameMatch | 'NOT_READ' }> = [];
  if (form.lastName) fields.push({ field: 'lastName', result: doc.lastName ? matchName(form.lastName, doc.lastName) : 'NOT_READ' });
  if (form.firstName) fields.push({ field: 'firstName', result: doc.firstName ? matchName(form.firstName, doc.firstName) : 'NOT_READ' });
  if (form.dateOfBirth) {
    const typed = isoDate(form.dateOfBirth);
    fields.push({ field: 'dateOfBirth', result: !doc.birthDate ? 'NOT_READ' : typed && sameYmd(typed, doc.birthDate) ? 'EXACT' : 'MISMATCH' });
  }
  const compared = fields.filter((f) => f.result !== 'NOT_READ');
  const evidence = {
    scoreUnit: 'share of fields matching (tolerant = 0.5)',
    source: doc.source,
    documentBirthDate: doc.birthDate ? ymdString(doc.birthDate) : null,
    fields,
  };
  if (compared.length === 0) return { name, level: 'UNKNOWN', score: null, evidence: { ...evidence, reason: 'NO_DOCUMENT_FIELDS_READ' } };
  const score = compared.reduce((s, f) => s + (f.result === 'EXACT' ? 1 : f.result === 'TOLERANT' ? 0.5 : 0), 0) / compared.length;
  if (compared.some((f) => f.result === 'MISMATCH')) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'APPLICANT_DATA_MISMATCH' } };
  if (compared.some((f) => f.result === 'TOLERANT') || compared.length < fields.length) {
    return { name, level: 'MEDIUM', score, evidence: { ...evidence, reason: compared.length < fields.length ? 'FIELD_NOT_READ' : 'NAME_MATCHES_TOLERANTLY' } };
  }
  return { name, level: 'HIGH', score, evidence };
}
