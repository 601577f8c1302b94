import type { Dialect } from '../db.js';

/**
 * The face-match score changed scale (cosine of human's faceres embeddings → 1 − Euclidean
 * distance of face-api's recognition embeddings; docs/adr/0005). A tenant's `faceMatchHigh` /
 * `faceMatchLow` set on the old scale would mean something else on the new one, so they are
 * removed and the tenant gets the new measured defaults (docs/face-verification.md).
 */
export function up(dialect: Dialect): string[] {
  return [
    dialect === 'postgres'
      ? `UPDATE verification_settings SET policy = ((policy::jsonb - 'faceMatchHigh') - 'faceMatchLow')::text
         WHERE policy::jsonb -> 'faceMatchHigh' IS NOT NULL OR policy::jsonb -> 'faceMatchLow' IS NOT NULL`
      : `UPDATE verification_settings SET policy = json_remove(policy, '$.faceMatchHigh', '$.faceMatchLow')
         WHERE json_extract(policy, '$.faceMatchHigh') IS NOT NULL OR json_extract(policy, '$.faceMatchLow') IS NOT NULL`,
  ];
}
