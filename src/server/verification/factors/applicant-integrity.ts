/**
 * Applicant integrity: the `applicantForm` the integrator sent against the normalised document
 * (extract-document.ts: names in their ICAO form, the birth date as an ISO date). Names by ICAO
 * transliteration and tolerant matching (name-match.ts), the birth date exactly. HIGH: every given
 * field matches exactly; MEDIUM: a name matches only tolerantly, or a given field was not read;
 * LOW: a field mismatches. UNAVAILABLE: skipped (`skipIntegrityCheck`), no form, or no document
 * step. UNKNOWN: the document's fields were not read. Score: share of given fields that match
 * exactly, tolerant matches counting half (0–1).
 */
import { isoDate, sameYmd } from '../document-data.js';
import type { DocumentField, ExtractedDocument } from '../extract-document.js';
import { matchName, type NameMatch } from '../name-match.js';
import type { Factor, VerificationInput } from '../types.js';

const sourceOf = (f: DocumentField | null) => (f ? `${f.source} ${f.page}` : null);

export function applicantIntegrityFactor(input: VerificationInput, doc: ExtractedDocument): Factor {
  const name = 'applicantIntegrity' as const;
  if (!input.steps.includes('document')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  if (input.skipIntegrityCheck) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'SKIPPED_BY_INTEGRATOR' } };
  const form = input.applicantForm;
  if (!form || (!form.firstName && !form.lastName && !form.dateOfBirth)) {
    return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'NO_APPLICANT_FORM' } };
  }
  if (!doc.surname && !doc.dateOfBirth) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_DOCUMENT_FIELDS_READ' } };
  const birth = doc.dateOfBirth ? isoDate(doc.dateOfBirth.value) : null;
  const fields: Array<{ field: string; result: NameMatch | 'NOT_READ'; source: string | null }> = [];
  if (form.lastName) fields.push({ field: 'lastName', result: doc.surname ? matchName(form.lastName, doc.surname.icao) : 'NOT_READ', source: sourceOf(doc.surname) });
  if (form.firstName) fields.push({ field: 'firstName', result: doc.givenNames ? matchName(form.firstName, doc.givenNames.icao) : 'NOT_READ', source: sourceOf(doc.givenNames) });
  if (form.dateOfBirth) {
    const typed = isoDate(form.dateOfBirth);
    fields.push({ field: 'dateOfBirth', result: !birth ? 'NOT_READ' : typed && sameYmd(typed, birth) ? 'EXACT' : 'MISMATCH', source: sourceOf(doc.dateOfBirth) });
  }
  const compared = fields.filter((f) => f.result !== 'NOT_READ');
  const evidence = {
    scoreUnit: 'share of fields matching (tolerant = 0.5)',
    documentBirthDate: doc.dateOfBirth?.value ?? null,
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
