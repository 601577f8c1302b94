/**
 * Every request and response schema (TypeBox = JSON Schema). Fastify validates requests and
 * serialises responses with them (responses are allow-lists), and openapi.ts documents the same
 * objects — one validator, one source of truth.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DOCUMENT_TYPES } from '../vision/contract.js';
import { DecisionSchema, VerificationStatusSchema, VerificationViewSchema } from '../review/schemas.js';
import { JsonObject, JsonObjectSchema, JsonValue } from './json-value.js';

export const ErrorBody = Type.Object(
  {
    hasError: Type.Literal(true),
    error: Type.String({ description: 'A code from docs/errors.md' }),
    message: Type.String(),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody', additionalProperties: false },
);

const errorResponses = { '4xx': Type.Ref('ErrorBody'), '5xx': Type.Ref('ErrorBody') };
export const withErrors = <T extends Record<string, TSchema>>(ok: T) => ({ ...ok, ...errorResponses });

export const Uuid = Type.String({ format: 'uuid' });

export const ApplicantForm = Type.Object(
  {
    firstName: Type.Optional(Type.String({ maxLength: 200 })),
    lastName: Type.Optional(Type.String({ maxLength: 200 })),
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

export const InitializeBody = Type.Object(
  {
    sessionId: Type.Optional(Uuid),
    returnUrl: Type.String({ format: 'uri', maxLength: 2048 }),
    externalId: Type.Optional(Type.String({ maxLength: 512 })),
    applicantForm: Type.Optional(ApplicantForm),
    skipIntegrityCheck: Type.Optional(Type.Boolean()),
    /** The name of one of the tenant's web page themes (docs/web-enrolment.md "Themes"). */
    webEnrolmentTheme: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type InitializeBody = Static<typeof InitializeBody>;

export const InitializeReply = Type.Object(
  {
    hasError: Type.Literal(false),
    accessToken: Type.String(),
    sessionId: Uuid,
    webEnrolmentUrl: Type.String(),
  },
  { additionalProperties: false },
);

export const ImageBody = Type.Object(
  {
    imageBase: Type.String({
      description: 'The image as base64 (with or without a data: prefix) or an http(s) URL we download.',
    }),
  },
  { additionalProperties: false },
);
export type ImageBody = Static<typeof ImageBody>;

/** The document type vocabulary (vision/contract.ts DOCUMENT_TYPES; docs/api.md "Document types"). */
export const DocumentTypeSchema = Type.Union(
  DOCUMENT_TYPES.map((t) => Type.Literal(t)),
  { description: 'PASSPORT, IDENTITY_CARD, DRIVING_LICENCE, RESIDENCE_PERMIT or OTHER (visas, the US EAD and Border Crossing Card…); docs/api.md "Document types"' },
);

export const DocumentReply = Type.Object(
  {
    hasError: Type.Literal(false),
    isTwoSideDocument: Type.Boolean(),
    pageSide: Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')]),
    country: Type.Union([Type.String(), Type.Null()]),
    type: Type.Union([DocumentTypeSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

export const FaceReply = Type.Object({ hasError: Type.Literal(false) }, { additionalProperties: false });

export const CompleteReply = Type.Object(
  { hasError: Type.Literal(false), customerReturnUrl: Type.String() },
  { additionalProperties: false },
);

export const SessionStatus = Type.Union([Type.Literal('CREATED'), Type.Literal('IN_PROGRESS'), Type.Literal('COMPLETED')]);
const Step = Type.Union([Type.Literal('document'), Type.Literal('face')]);
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const PageSide = Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')]);


export const DocumentField = Type.Object(
  {
    value: Type.String({ description: 'Dates ISO 8601 (YYYY-MM-DD); states ISO 3166-1 alpha-3 (ICAO-only codes as printed); sex F, M or X' }),
    source: Type.Union([Type.Literal('MRZ'), Type.Literal('VIZ'), Type.Literal('BARCODE')], { description: 'Where the value was read: the MRZ, the printed text (VIZ) or the AAMVA barcode' }),
    page: PageSide,
    confidence: Type.Number({ minimum: 0, maximum: 1, description: 'docs/document-data.md: how it is derived' }),
  },
  { $id: 'DocumentField', additionalProperties: false, description: 'One normalised field of the document, with where it was read and how sure we are' },
);
export const NameField = Type.Object(
  {
    value: Type.String({ description: "The document's Latin form (the printed spelling, with its diacritics, when the printed text was read)" }),
    icao: Type.String({ description: 'ICAO 9303 transliteration, A–Z words separated by one space (the MRZ form)' }),
    source: DocumentField.properties.source,
    page: PageSide,
    confidence: DocumentField.properties.confidence,
  },
  { $id: 'NameField', additionalProperties: false, description: 'A name in two spellings: Latin (as printed) and ICAO (as in the MRZ)' },
);
const Field = Nullable(Type.Ref(DocumentField));
const Name = Nullable(Type.Ref(NameField));
const FieldName = Type.Union(
  ['number', 'issuingState', 'nationality', 'surname', 'givenNames', 'dateOfBirth', 'dateOfExpiry', 'dateOfIssue', 'sex', 'personalNumber'].map((n) => Type.Literal(n)),
);

const Links = {
  imageId: Nullable(Type.String()),
  imageUrl: Nullable(Type.String({ description: 'GET with the tenant credentials for the image bytes; null when there is no image (refused, replaced or purged)' })),
};

const EngineReading = Type.Object(
  {
    type: Nullable(DocumentTypeSchema),
    country: Nullable(Type.String()),
    pageSide: Nullable(PageSide),
    isTwoSideDocument: Nullable(Type.Boolean()),
  },
  { additionalProperties: false, description: 'What the document engine read on this page alone' },
);

const Redacted = Type.Object({ redacted: Type.Literal(true), length: Type.Integer() }, { additionalProperties: false, description: 'A biometric template: kept for the decision, never returned' });

/** The document engine's whole result for one page (`?detail=full`); the portrait crop is behind `portraitUrl`. */
const DocumentEngineResult = Type.Object({
  error: Nullable(Type.String()),
  type: Nullable(DocumentTypeSchema),
  country: Nullable(Type.String()),
  pageSide: Nullable(PageSide),
  isTwoSideDocument: Nullable(Type.Boolean()),
  mrz: Nullable(Type.Object({ format: Type.String(), lines: Type.Array(Type.String()), valid: Type.Boolean(), fields: JsonObject })),
  portraitEmbedding: Nullable(Redacted),
  portraitEmbeddingModel: Nullable(Type.String()),
  details: JsonObject,
  ms: Type.Number(),
});
const FaceEngineResult = Type.Object({
  code: Nullable(Type.String()),
  problems: Type.Array(Type.String()),
  embedding: Nullable(Redacted),
  embeddingModel: Nullable(Type.String()),
  measurements: JsonObject,
  ms: Type.Number(),
});

const DocumentPage = Type.Object({
  captureId: Type.String(),
  pageSide: PageSide,
  createdAt: Type.String({ format: 'date-time' }),
  ...Links,
  portraitUrl: Nullable(Type.String({ description: 'The document portrait the engine cut out (JPEG), when it found one' })),
  reading: EngineReading,
  result: Type.Optional(DocumentEngineResult),
});

const FaceCapture = Type.Object({
  captureId: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  ...Links,
  problems: Type.Array(Type.String()),
  result: Type.Optional(FaceEngineResult),
});

const Attempt = Type.Object({
  captureId: Type.String(),
  kind: Type.Union([Type.Literal('DOCUMENT'), Type.Literal('FACE')]),
  pageSide: Nullable(PageSide),
  accepted: Type.Boolean(),
  error: Nullable(Type.String({ description: 'The code answered to that call (docs/errors.md)' })),
  createdAt: Type.String({ format: 'date-time' }),
  ...Links,
  result: Type.Optional(Type.Union([DocumentEngineResult, FaceEngineResult])),
});

export const DocumentView = Type.Object(
  {
    type: Nullable(DocumentTypeSchema),
    country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-3 of the issuing state, from the pages fused' })),
    isTwoSideDocument: Nullable(Type.Boolean()),
    number: Field,
    issuingState: Field,
    nationality: Field,
    surname: Name,
    givenNames: Name,
    dateOfBirth: Field,
    dateOfExpiry: Field,
    dateOfIssue: Field,
    sex: Field,
    personalNumber: Field,
    machineReadable: Type.Array(
      Type.Object({
        page: PageSide,
        kind: Type.Union([Type.Literal('MRZ'), Type.Literal('BARCODE')]),
        format: Type.String({ description: 'TD1, TD2, TD3, MRV-A, MRV-B; PDF417 for an AAMVA barcode' }),
        valid: Type.Boolean({ description: 'MRZ: every check digit verifies; barcode: decoded and parsed' }),
      }),
    ),
    checks: Type.Array(
      Type.Object({
        field: FieldName,
        between: Type.String({ description: 'e.g. "MRZ BACK / BARCODE BACK", "MRZ BACK / printed text"' }),
        agree: Type.Boolean(),
        strong: Type.Boolean({ description: 'Both machine-readable: a disagreement is a strong sign' }),
      }),
    ),
    front: Nullable(DocumentPage),
    back: Nullable(DocumentPage),
  },
  { $id: 'DocumentView', description: 'The document as one object built from its pages (docs/document-data.md)' },
);

export const SessionView = Type.Object({
  hasError: Type.Literal(false),
  sessionId: Type.String(),
  externalId: Nullable(Type.String()),
  status: SessionStatus,
  steps: Type.Array(Step),
  stepsRemaining: Type.Array(Step),
  nextDocumentPage: Nullable(PageSide),
  returnUrl: Type.String(),
  applicantForm: Nullable(ApplicantForm),
  skipIntegrityCheck: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  document: Nullable(Type.Ref(DocumentView)),
  face: Nullable(FaceCapture),
  attempts: Type.Array(Attempt, { description: 'Every capture, accepted or refused, oldest first' }),
  verification: VerificationViewSchema,
});

export const ReadQuery = Type.Object(
  {
    detail: Type.Optional(
      Type.Union([Type.Literal('summary'), Type.Literal('full')], {
        description: "full: each capture also carries the engine's whole result (text lines, boxes, measurements); embeddings redacted, images by URL",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReadQuery = Static<typeof ReadQuery>;

export const SessionParams = Type.Object({ sessionId: Uuid });
export type SessionParams = Static<typeof SessionParams>;
export const ImageParams = Type.Object({ sessionId: Uuid, imageId: Uuid });
export type ImageParams = Static<typeof ImageParams>;
export const CaptureParams = Type.Object({ sessionId: Uuid, captureId: Uuid });
export type CaptureParams = Static<typeof CaptureParams>;

export const ListQuery = Type.Object(
  {
    status: Type.Optional(SessionStatus),
    externalId: Type.Optional(Type.String({ maxLength: 512 })),
    verificationStatus: Type.Optional(VerificationStatusSchema),
    decision: Type.Optional(DecisionSchema),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ListQuery = Static<typeof ListQuery>;

export const ListReply = Type.Object({
  hasError: Type.Literal(false),
  sessions: Type.Array(
    Type.Object({
      sessionId: Type.String(),
      externalId: Nullable(Type.String()),
      status: SessionStatus,
      stepsRemaining: Type.Array(Step),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
      completedAt: Nullable(Type.String({ format: 'date-time' })),
      verificationStatus: VerificationStatusSchema,
      decision: Nullable(DecisionSchema),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const ImagesReply = Type.Object({
  hasError: Type.Literal(false),
  images: Type.Array(
    Type.Object({
      imageId: Type.String(),
      captureId: Type.String(),
      kind: Type.Union([Type.Literal('DOCUMENT'), Type.Literal('FACE')]),
      pageSide: Nullable(Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')])),
      accepted: Type.Boolean({ description: 'false: the image of a refused attempt (the newest 10 are kept for review)' }),
      contentType: Type.String(),
      bytes: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

/** Schemas registered once (app.addSchema) and published as OpenAPI components. */
export const SHARED_SCHEMAS: TSchema[] = [ErrorBody, JsonValue, JsonObjectSchema, DocumentField, NameField, DocumentView];

export const OkReply = Type.Object({ hasError: Type.Literal(false) }, { additionalProperties: false });
export const HealthReply = Type.Object({ hasError: Type.Literal(false), status: Type.String() });
