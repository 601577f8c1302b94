/**
 * Face verification: the selfie's embedding against the document portrait's (same model only),
 * scored by cosine similarity. HIGH ≥ faceMatchHigh; LOW < faceMatchLow; MEDIUM between.
 * UNKNOWN: an embedding is missing (no portrait found on the document) or the two come from
 * different models. UNAVAILABLE: the session has no face or no document step.
 * Thresholds: measured in docs/face-verification.md.
 */
import { cosineSimilarity } from '../face-similarity.js';
import type { VerificationPolicy } from '../thresholds.js';
import type { Factor, VerificationInput } from '../types.js';

export function faceVerificationFactor(input: VerificationInput, policy: VerificationPolicy): Factor {
  const name = 'faceVerification' as const;
  if (!input.steps.includes('face') || !input.steps.includes('document')) {
    return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  }
  const selfie = input.face?.embedding ?? null;
  const selfieModel = input.face?.embeddingModel ?? null;
  const page = input.front?.portraitEmbedding ? input.front : input.back?.portraitEmbedding ? input.back : null;
  const portrait = page?.portraitEmbedding ?? null;
  const portraitModel = page?.portraitEmbeddingModel ?? null;
  if (!selfie) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_SELFIE_EMBEDDING' } };
  if (!portrait) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'NO_DOCUMENT_PORTRAIT' } };
  if (selfieModel !== portraitModel) {
    return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'EMBEDDING_MODELS_DIFFER', selfieModel, portraitModel } };
  }
  const similarity = cosineSimilarity(selfie, portrait);
  if (similarity === null) return { name, level: 'UNKNOWN', score: null, evidence: { reason: 'EMBEDDINGS_NOT_COMPARABLE', model: selfieModel } };
  const score = Math.round(similarity * 1000) / 1000;
  const evidence = {
    scoreUnit: 'cosine similarity',
    model: selfieModel,
    portraitPage: page === input.front ? 'FRONT' : 'BACK',
    thresholds: { high: policy.faceMatchHigh, low: policy.faceMatchLow },
  };
  if (similarity >= policy.faceMatchHigh) return { name, level: 'HIGH', score, evidence };
  if (similarity < policy.faceMatchLow) return { name, level: 'LOW', score, evidence: { ...evidence, reason: 'FACES_DO_NOT_MATCH' } };
  return { name, level: 'MEDIUM', score, evidence: { ...evidence, reason: 'FACES_UNCERTAIN' } };
}
