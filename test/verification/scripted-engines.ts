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

export const FACE_MODEL = 'human-3.3.6-faceres';

/** Two 16-d unit vectors whose cosine similarity is `cosine`. */
export function embeddingPair(cosine: number): [number[], number[]] {
  const a = new Array(16).fill(0);
  const b = new Array(16).fill(0);
  a[0] = 1;
  b[0] = cosine;
  b[1] = Math.sqrt(1 - cosine * cosine);
  return [a, b];
}

export function acceptedFace(embedding: number[]): FaceCheckResult {
  return { code: null, problems: [], embedding, embeddingModel: FACE_MODEL, measurements: {}, ms: 1 };
}
