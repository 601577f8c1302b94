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

/**
 * The one `type` vocabulary of the document engine, the API schema (http/schemas.ts) and the
 * evaluation; documented in docs/api.md "Document types". A visa is not a document of identity
 * (it is issued into a passport and names its holder only with it): a visa foil is reported as
 * `OTHER`, with its MRZ (format MRV-A/MRV-B) — as are the US Employment Authorization Document
 * and Border Crossing Card.
 */
export const DOCUMENT_TYPES = ['PASSPORT', 'IDENTITY_CARD', 'DRIVING_LICENCE', 'RESIDENCE_PERMIT', 'OTHER'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

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

/** The two checks a request asks of the engines (the vision pool's and the shared queue's jobs). */
export type VisionJobKind = 'face' | 'document';

export interface FaceEngine {
  /** Throws CodedError (IMAGE_*) for input that is not a usable image. */
  checkFace(image: Uint8Array): Promise<FaceCheckResult>;
}

export interface MrzResult {
  /** ICAO Doc 9303 formats, plus `FRA-ID`: the French national ID card of 1988–2021 (2 × 36, its
   * own layout and check digits; docs/vision-mrz.md "Formats"). */
  format: 'TD1' | 'TD2' | 'TD3' | 'MRV-A' | 'MRV-B' | 'FRA-ID';
  /** The most probable zone the format allows, given every read (mrz/decode.ts). */
  lines: string[];
  /** True only when every check digit verifies AND no field is doubtful (`fields.doubtfulFields`
   * empty): names and optional data, which no check digit (or only the weak composite) covers,
   * must be read with confidence too. A doubtful zone is reported with `valid: false`. */
  valid: boolean;
  /**
   * Parsed fields (mrz/parse.ts MrzFields: documentCode, issuingState, documentNumber,
   * nationality, birthDate (YYMMDD), sex, expirationDate, lastName, firstName, optional, checks…)
   * and, from the decoder:
   * - `fieldConfidence: Record<string, number>` — posterior probability (0–1) that the field is
   *   as reported, given every read and the format (its check digit, class, dates, state codes,
   *   name grammar), keyed by those field names (`lastName`, `firstName`, `documentNumber`…, and
   *   the layout's optional-data fields `optional1`, `optional2`, `personalNumber`, `optional`);
   * - `doubtfulFields: string[]` — the fields whose confidence is below the doubt threshold
   *   (`MRZ_DEFAULTS.doubtBelow`), after the printed names confirmed or corrected the MRZ names.
   */
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
