/**
 * Face verification: the selfie's embedding against the document portrait's (same model only),
 * scored by faceMatchScore (1 − Euclidean distance). HIGH ≥ faceMatchHigh; LOW < faceMatchLow;
 * MEDIUM between. A selfie that is the portrait shown again (portrait-reuse.ts) is MEDIUM, reason
 * SELFIE_IS_DOCUMENT_PORTRAIT: a replay proves no match (the face-liveness factor is LOW for it).
 * UNKNOWN: an embedding is missing (no portrait found on the document) or the two come from
 * different models. UNAVAILABLE: the session has no face or no document step.
 * Thresholds: measured in docs/face-verification.md.
 */
import { comparePortrait } from '../portrait-reuse.js';
import { faceMatchLevel, type VerificationPolicy } from '../thresholds.js';
import type { Factor, VerificationInput } from '../types.js';

export function faceVerificationFactor(input: VerificationInput, policy: VerificationPolicy): Factor {
  const name = 'faceVerification' as const;
  if (!input.steps.includes('face') || !input.steps.includes('document')) {
    return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  }
  const selfieModel = input.face?.embeddingModel ?? null;
  const page = input.front?.portraitEmbedding ? input.front : input.back?.portraitEmbedding ? input.back : null;
  const portraitModel = page?.portraitEmbeddingModel ?? null;
  if (!input.face?.embedding) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_SELFIE_EMBEDDING' } };
  if (!page) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_DOCUMENT_PORTRAIT' } };
  if (selfieModel !== portraitModel) {
    return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'EMBEDDING_MODELS_DIFFER', selfieModel, portraitModel } };
  }
  const compared = comparePortrait(input.face, input.front, input.back, policy);
  if (compared?.score === null || compared === null) {
    return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'EMBEDDINGS_NOT_COMPARABLE', model: selfieModel } };
  }
  const score = compared.score;
  const evidence = {
    scoreUnit: '1 - Euclidean distance of the face embeddings',
    model: selfieModel,
    portraitPage: compared.page,
    thresholds: { high: policy.faceMatchHigh, low: policy.faceMatchLow, reuseAbove: policy.faceReuseAbove },
  };
  if (compared.reused) {
    return { name, level: 'MEDIUM', score, evidence: { ...evidence, reason: 'SELFIE_IS_DOCUMENT_PORTRAIT', signatureCorrelation: compared.signatureCorrelation } };
  }
  const level = faceMatchLevel(score, policy);
  if (level === 'LOW') return { name, level, score, evidence: { ...evidence, reason: 'FACES_DO_NOT_MATCH' } };
  if (level === 'MEDIUM') return { name, level, score, evidence: { ...evidence, reason: 'FACES_UNCERTAIN' } };
  return { name, level, score, evidence };
}
