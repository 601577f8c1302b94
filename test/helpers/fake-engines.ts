/**
 * TEST FAKES of the vision engines (contract.ts), for API and state-machine tests that are about
 * the service, not about vision. They never appear in src/. The answer is chosen by the test
 * through the image bytes: a generated PNG whose pixel colour encodes the scenario, so each
 * request carries its own expected verdict and tests stay independent.
 */
import sharp from 'sharp';
import type { DocumentEngine, DocumentResult, FaceCheckResult, FaceEngine, FaceErrorCode } from '../../src/server/vision/contract.js';
import { decodeImage } from '../../src/server/vision/decode-image.js';

export interface FakeDocumentPage {
  error?: DocumentResult['error'];
  type?: DocumentResult['type'];
  country?: string | null;
  pageSide?: DocumentResult['pageSide'];
  isTwoSideDocument?: boolean | null;
  documentNumber?: string;
  /** A usable portrait on the page (default: on fronts only, as on real cards). */
  portrait?: boolean;
  /** The engine looked for a portrait (default: when it found one or read an MRZ, as the real engine). */
  facesSearched?: boolean;
  /** Return this recorded engine result as is (a real image's result, where the image cannot ship). */
  recorded?: DocumentResult;
}

/** Registry shared by image generator and fakes: colour index → scenario. */
const scenarios: Array<{ doc?: FakeDocumentPage; face?: FaceErrorCode | null }> = [];

async function solidPng(index: number): Promise<Buffer> {
  // index → colour; 3 bytes allow 16M scenarios.
  const r = index & 0xff;
  const g = (index >> 8) & 0xff;
  const b = (index >> 16) & 0xff;
  return sharp({ create: { width: 80, height: 80, channels: 3, background: { r, g, b } } }).png().toBuffer();
}

async function indexOf(bytes: Uint8Array): Promise<number> {
  const img = await decodeImage(bytes, 80);
  return img.rgb[0]! | (img.rgb[1]! << 8) | (img.rgb[2]! << 16);
}

/** A PNG the FakeDocumentEngine reads as `page`. */
export async function fakeDocumentImage(page: FakeDocumentPage): Promise<Buffer> {
  scenarios.push({ doc: page });
  return solidPng(scenarios.length - 1);
}

/** A PNG the FakeFaceEngine judges as `code` (null: accepted). */
export async function fakeFaceImage(code: FaceErrorCode | null = null): Promise<Buffer> {
  scenarios.push({ face: code });
  return solidPng(scenarios.length - 1);
}

export class FakeDocumentEngine implements DocumentEngine {
  calls = 0;
  async analyzeDocument(image: Uint8Array): Promise<DocumentResult> {
    this.calls++;
    const s = scenarios[await indexOf(image)]?.doc;
    if (!s) return { ...EMPTY_DOC, error: 'DOCUMENT_NOT_RECOGNIZED' };
    if (s.recorded) return structuredClone(s.recorded);
    const documentNumber = s.documentNumber;
    const side = s.pageSide === undefined ? 'FRONT' : s.pageSide;
    const portrait = s.portrait ?? side !== 'BACK';
    return {
      error: s.error ?? null,
      type: s.type === undefined ? 'IDENTITY_CARD' : s.type,
      country: s.country === undefined ? 'SVK' : s.country,
      pageSide: side,
      isTwoSideDocument: s.isTwoSideDocument === undefined ? true : s.isTwoSideDocument,
      mrz: documentNumber
        ? { format: 'TD1', lines: [], valid: true, fields: { documentNumber, checks: { documentNumber: { value: documentNumber, checkDigit: '0', valid: true } } } }
        : null,
      portraitEmbedding: portrait ? [0.1, 0.2, 0.3] : null,
      portraitEmbeddingModel: portrait ? 'fake' : null,
      details: { fake: true, facesFound: portrait ? 1 : (s.facesSearched ?? !!documentNumber) ? 0 : null },
      ms: 1,
    };
  }
}

const EMPTY_DOC: DocumentResult = {
  error: null,
  type: null,
  country: null,
  pageSide: null,
  isTwoSideDocument: null,
  mrz: null,
  portraitEmbedding: null,
  portraitEmbeddingModel: null,
  details: {},
  ms: 1,
};

export class FakeFaceEngine implements FaceEngine {
  calls = 0;
  async checkFace(image: Uint8Array): Promise<FaceCheckResult> {
    this.calls++;
    const s = scenarios[await indexOf(image)];
    const code = s && 'face' in s ? (s.face ?? null) : 'FACE_NOT_FOUND';
    return {
      code,
      problems: code ? [code] : [],
      embedding: code ? null : [0.4, 0.5, 0.6],
      embeddingModel: code ? null : 'fake',
      measurements: { fake: true },
      ms: 1,
    };
  }
}
