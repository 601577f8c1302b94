/**
 * What the service asks of the vision engines. The face engine (src/server/vision/face/) and the
 * document engine (src/server/vision/document/) implement these; the session layer depends on
 * nothing else in vision/. Engines may return more fields than listed here: the stored result
 * keeps them all.
 */

export type FaceErrorCode =
  | 'FACE_NOT_FOUND'
  | 'TOO_MANY_FACES'
  | 'FACE_CROPPED'
  | 'FACE_TOO_CLOSE'
  | 'FACE_CLOSE_TO_BORDER'
  | 'FACE_TOO_SMALL'
  | 'FACE_ANGLE_TOO_LARGE'
  | 'FACE_IS_OCCLUDED';

export type DocumentErrorCode = 'DOCUMENT_NOT_RECOGNIZED' | 'FACE_QUALITY_LOW';

export type DocumentType =
  | 'PASSPORT'
  | 'IDENTITY_CARD'
  | 'DRIVING_LICENCE'
  | 'RESIDENCE_PERMIT'
  | 'VISA'
  | 'OTHER';

export type PageSide = 'FRONT' | 'BACK';

/** Axis-aligned box in pixels of the upright original image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The anti-spoof model's verdict on one face (vision/face/liveness.ts). */
export interface FaceLiveness {
  /** P(live face), 0–1; higher = more likely a live person in front of the camera. */
  score: number;
  /** The model's real − spoof logit difference (score = its sigmoid). */
  logitDiff: number;
  model: string;
  ms: number;
}

export interface FaceCheckResult {
  /** The one code to show the applicant (by the documented priority), or null when accepted. */
  code: FaceErrorCode | null;
  /** Every problem found, most actionable first. */
  problems: FaceErrorCode[];
  /** Face embedding of the main face for selfie ↔ document matching, when a face was found. */
  embedding: number[] | null;
  /** Which model produced `embedding` (embeddings of different models are not comparable). */
  embeddingModel: string | null;
  /**
   * Coarse picture of the aligned main face (32 × 32 grey; vision/face/signature.ts), to
   * recognise a selfie that is the document portrait shown again. Biometric: never served.
   * Absent from results stored before it existed.
   */
  faceSignature?: number[] | null;
  /** Passive liveness of the main face (accepted selfies only; null otherwise; absent from older results). */
  liveness?: FaceLiveness | null;
  /** Every measurement taken (boxes, margins, angles, scores, occlusion evidence…), JSON-safe. */
  measurements: Record<string, unknown>;
  ms: number;
}

export interface FaceEngine {
  /** Throws CodedError (IMAGE_*) for input that is not a usable image. */
  checkFace(image: Uint8Array): Promise<FaceCheckResult>;
}

export interface MrzResult {
  format: 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B';
  /** The lines as read (after check-digit-confirmed corrections). */
  lines: string[];
  /** True only when every check digit of the format verifies. */
  valid: boolean;
  /** Parsed fields (documentNumber, birthDate, expirationDate, names, nationality…) with verdicts. */
  fields: Record<string, unknown>;
}

export interface DocumentResult {
  error: DocumentErrorCode | null;
  type: DocumentType | null;
  /** ISO 3166-1 alpha-3 of the issuing state (Germany's MRZ code D as DEU; ICAO-only codes such as UTO as printed). */
  country: string | null;
  pageSide: PageSide | null;
  isTwoSideDocument: boolean | null;
  mrz: MrzResult | null;
  /** The document portrait's embedding, same model family as FaceCheckResult.embedding. */
  portraitEmbedding: number[] | null;
  portraitEmbeddingModel: string | null;
  /** The portrait's chip signature (as FaceCheckResult.faceSignature); null without a portrait. */
  portraitSignature?: number[] | null;
  /** Everything else read (VIZ text, barcode fields, evidence), JSON-safe. */
  details: Record<string, unknown>;
  ms: number;
}

export interface DocumentEngine {
  /** Throws CodedError (IMAGE_*) for input that is not a usable image. */
  analyzeDocument(image: Uint8Array): Promise<DocumentResult>;
}
