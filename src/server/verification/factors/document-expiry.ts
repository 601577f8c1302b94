/**
 * Document expiry: the expiry date from the MRZ, else from the AAMVA barcode. HIGH: valid beyond
 * the warning period; MEDIUM: valid but within `expiryWarningDays`; LOW: expired (the day after
 * the printed date). UNKNOWN: no machine-readable expiry date. Score: days until expiry (negative
 * when expired).
 */
import { aamvaDate, daysUntil, mrzDate, ymdString, type BarcodeView, type MrzView, type Ymd } from '../document-data.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor } from '../types.js';

export function documentExpiryFactor(mrz: MrzView[], barcodes: BarcodeView[], now: number, policy: VerificationPolicy, hasDocumentStep: boolean): Factor {
  const name = 'documentExpiry' as const;
  if (!hasDocumentStep) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  let expiry: Ymd | null = null;
  let source: string | null = null;
  for (const m of mrz) {
    const d = m.expirationDate ? mrzDate(m.expirationDate, 'expiry', now) : null;
    if (d) {
      expiry = d;
      source = `MRZ ${m.page}`;
      break;
    }
  }
  if (!expiry) {
    for (const b of barcodes) {
      const d = b.expirationDate ? aamvaDate(b.expirationDate, b.country) : null;
      if (d) {
        expiry = d;
        source = `barcode ${b.page}`;
        break;
      }
    }
  }
  if (!expiry) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_EXPIRY_DATE_READ' } };
  const days = daysUntil(expiry, now);
  const evidence = { scoreUnit: 'days until expiry', expirationDate: ymdString(expiry), source };
  if (days < 0) return { name, level: 'LOW', score: days, evidence: { ...evidence, reason: 'DOCUMENT_EXPIRED' } };
  if (days < policy.expiryWarningDays) return { name, level: 'MEDIUM', score: days, evidence: { ...evidence, reason: 'EXPIRES_SOON' } };
  return { name, level: 'HIGH', score: days, evidence };
}
