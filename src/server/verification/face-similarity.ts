/**
 * Similarity of two face embeddings: cosine of the angle between them, in [-1, 1]. Higher means
 * more alike. Pure. Embeddings of different models (or lengths) are not comparable: null.
 * The face-verification factor compares this score to thresholds measured in
 * docs/face-verification.md (reproduced by `npm run --silent evaluate -- face-pairs …`).
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || a.length !== b.length) return null;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return null;
  return dot / Math.sqrt(na * nb);
}
