/**
 * TEST FAKES: engines that answer with results scripted by the test, one per call, so a test can
 * put a crafted MRZ, portrait embedding and selfie embedding through the real service.
 */
import type { DocumentEngine, DocumentResult, FaceCheckResult, FaceEngine } from '../../src/server/vision/contract.js';

export class FakeScriptedDocumentEngine implements DocumentEngine {
  readonly queue: DocumentResult[] = [];
  async analyzeDocument(): Promise<DocumentResult> {
    const next = this.queue.shift();
    if (!next) throw new Error('FakeScriptedDocumentEngine: nothing scripted');
    return next;
  }
}

export class FakeScriptedFaceEngine implements FaceEngine {
  readonly queue: FaceCheckResult[] = [];
  async checkFace(): Promise<FaceCheckResult> {
    const next = this.queue.shift();
    if (!next) throw new Error('FakeScriptedFaceEngine: nothing scripted');
    return next;
  }
}

export const FACE_MODEL = 'face-api-1.7.15-recognition-dlibchip';

/** Two 16-d embeddings whose match score (1 − Euclidean distance, face-similarity.ts) is `score`. */
export function embeddingPair(score: number): [number[], number[]] {
  const a = new Array(16).fill(0.1);
  const b = [...a];
  b[0] += 1 - score;
  return [a, b];
}

/** A genuine selfie and portrait: a match score between HIGH and a replay (0.6). */
export const GENUINE_MATCH_SCORE = 0.6;

export function acceptedFace(embedding: number[], livenessScore = 0.97): FaceCheckResult {
  return {
    code: null,
    problems: [],
    embedding,
    embeddingModel: FACE_MODEL,
    faceSignature: Array.from({ length: 32 * 32 }, (_, i) => i % 251),
    liveness: { score: livenessScore, logitDiff: Math.log(livenessScore / (1 - livenessScore)), model: 'scripted-fake', ms: 1 },
    measurements: {},
    ms: 1,
  };
}
