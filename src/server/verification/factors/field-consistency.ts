/**
 * Field consistency: what the machine-readable zones say against each other and against the
 * printed text. Compared, where read: MRZ document number on both pages (TD1 cards printed with
 * an MRZ on one page only have one), MRZ vs barcode (document number, names), and whether the
 * MRZ document number and surname appear in the printed text (OCR, both pages).
 * LOW: two machine-readable sources disagree (a strong sign of a composed document, since both
 * are read with check digits or a structured code). MEDIUM: a field was not found in the printed
 * text (OCR misses are common, so this never rejects). HIGH: everything compared agrees.
 * UNKNOWN: nothing to compare. Score: share of comparisons that agree (0–1).
 */
import { mrzName } from '../transliterate.js';
import type { BarcodeView, MrzView } from '../document-data.js';
import type { Factor } from '../types.js';

const alnum = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
/** An MRZ line as the OCR reads it: has a filler, or is a long run of MRZ characters only. */
const looksLikeMrz = (line: string) => line.includes('<') || /^[A-Z0-9]{25,}$/.test(line.replace(/\s/g, ''));

export function fieldConsistencyFactor(mrz: MrzView[], barcodes: BarcodeView[], printed: string[], hasDocumentStep: boolean): Factor {
  const name = 'fieldConsistency' as const;
  if (!hasDocumentStep) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  const comparisons: Array<{ field: string; between: string; agree: boolean; strong: boolean }> = [];
  const [m0, m1] = mrz;
  if (m0 && m1 && m0.documentNumber && m1.documentNumber) {
    comparisons.push({ field: 'documentNumber', between: 'MRZ FRONT / MRZ BACK', agree: m0.documentNumber === m1.documentNumber, strong: true });
  }
  for (const b of barcodes) {
    if (m0?.documentNumber && b.documentNumber) {
      comparisons.push({ field: 'documentNumber', between: `MRZ / barcode`, agree: alnum(m0.documentNumber) === alnum(b.documentNumber), strong: true });
    }
    if (m0?.lastName && b.lastName) {
      comparisons.push({ field: 'lastName', between: 'MRZ / barcode', agree: mrzName(m0.lastName) === mrzName(b.lastName), strong: true });
    }
  }
  // The OCR also reads the MRZ lines; comparing the MRZ with itself proves nothing, so they are left out.
  const text = alnum(printed.filter((l) => !looksLikeMrz(l)).join(' '));
  const source = m0 ?? null;
  const barcode = barcodes[0] ?? null;
  if (text.length > 0) {
    const from = `${source ? 'MRZ' : 'barcode'} / printed text`;
    const number = source?.documentNumber ?? barcode?.documentNumber ?? null;
    if (number) comparisons.push({ field: 'documentNumber', between: from, agree: text.includes(alnum(number)), strong: false });
    const last = source?.lastName ?? barcode?.lastName ?? null;
    if (last) comparisons.push({ field: 'lastName', between: from, agree: text.includes(alnum(mrzName(last))), strong: false });
  }
  if (comparisons.length === 0) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NOTHING_TO_COMPARE' } };
  const agreed = comparisons.filter((c) => c.agree).length;
  const score = agreed / comparisons.length;
  const evidence = { scoreUnit: 'share of comparisons that agree', comparisons };
  if (comparisons.some((c) => c.strong && !c.agree)) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'MACHINE_READABLE_FIELDS_DISAGREE' } };
  if (agreed < comparisons.length) return { name, level: 'MEDIUM', score, evidence: { ...evidence, reason: 'NOT_FOUND_IN_PRINTED_TEXT' } };
  return { name, level: 'HIGH', score, evidence };
}
