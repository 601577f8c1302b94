/**
 * Is the selfie the document's own portrait shown again (held up, printed, or enlarged on a
 * screen)? Two measured signs, either enough (docs/face-verification.md "Replays"):
 *  - the match score is far above what a selfie and a document portrait of one person reach
 *    (`faceReuseAbove`);
 *  - the two aligned faces are the same picture (`faceReuseSignatureAbove`: the best correlation
 *    of their coarse grey signatures, vision/face/signature.ts).
 * Pure.
 */
import { signatureCorrelation } from '../vision/face/signature.js';
import type { DocumentResult, FaceCheckResult } from '../vision/contract.js';
import { faceMatchScore } from './face-similarity.js';
import type { VerificationPolicy } from './thresholds.js';

export interface PortraitComparison {
  /** The page whose portrait was compared. */
  page: 'FRONT' | 'BACK';
  /** Match score (face-similarity.ts), null when the embeddings are not comparable. */
  score: number | null;
  /** Best signature correlation, null when either signature is missing. */
  signatureCorrelation: number | null;
  /** Either sign of a replay fired. */
  reused: boolean;
}

type Policy = Pick<VerificationPolicy, 'faceReuseAbove' | 'faceReuseSignatureAbove'>;

/** The selfie against the first page that carries a portrait embedding of the same model; null when there is none. */
export function comparePortrait(face: FaceCheckResult | null, front: DocumentResult | null, back: DocumentResult | null, policy: Policy): PortraitComparison | null {
  if (!face?.embedding) return null;
  const page = front?.portraitEmbedding ? front : back?.portraitEmbedding ? back : null;
  if (!page?.portraitEmbedding || page.portraitEmbeddingModel !== face.embeddingModel) return null;
  const score = faceMatchScore(face.embedding, page.portraitEmbedding);
  const correlation = face.faceSignature && page.portraitSignature ? signatureCorrelation(face.faceSignature, page.portraitSignature) : null;
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    page: page === front ? 'FRONT' : 'BACK',
    score: round(score),
    signatureCorrelation: round(correlation),
    reused: (score !== null && score > policy.faceReuseAbove) || (correlation !== null && correlation > policy.faceReuseSignatureAbove),
  };
}
