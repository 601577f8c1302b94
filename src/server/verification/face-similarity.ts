/**
 * How alike two face embeddings are: 1 − their Euclidean distance. The embeddings are the face
 * engine's 128-d descriptors (vision/face/embedding.ts), which are compared by Euclidean distance
 * in dlib's own convention (dlib's published same-person rule is a distance below 0.6, i.e. a
 * score above 0.4 here). Higher means more alike; two identical embeddings score 1; typical
 * scores lie between −0.2 and 1. Pure. Embeddings of different lengths are not comparable: null.
 * The face-verification factor compares this score to thresholds measured in
 * docs/face-verification.md (reproduced by `npm run --silent evaluate -- face-pairs …`).
 */
export function faceMatchScore(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || a.length !== b.length) return null;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    sum += (x - y) * (x - y);
  }
  return 1 - Math.sqrt(sum);
}
