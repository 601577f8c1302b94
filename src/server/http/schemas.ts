/**
 * Every request and response schema (TypeBox = JSON Schema). Fastify validates requests and
 * serialises responses with them (responses are allow-lists), and openapi.ts documents the same
 * objects — one validator, one source of truth.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DecisionSchema, VerificationStatusSchema, VerificationViewSchema } from '../review/schemas.js';

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

export const DocumentReply = Type.Object(
  {
    hasError: Type.Literal(false),
    isTwoSideDocument: Type.Boolean(),
    pageSide: Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')]),
    country: Type.Union([Type.String(), Type.Null()]),
    type: Type.Union([Type.String(), Type.Null()]),
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

const CaptureView = Type.Object({
  captureId: Type.String(),
  kind: Type.Union([Type.Literal('DOCUMENT'), Type.Literal('FACE')]),
  pageSide: Nullable(Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')])),
  accepted: Type.Boolean(),
  error: Nullable(Type.String()),
  imageId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  result: Type.Unknown({ description: "The engine's full result; face embeddings are redacted." }),
});

export const SessionView = Type.Object({
  hasError: Type.Literal(false),
  sessionId: Type.String(),
  externalId: Nullable(Type.String()),
  status: SessionStatus,
  steps: Type.Array(Step),
  stepsRemaining: Type.Array(Step),
  nextDocumentPage: Nullable(Type.Union([Type.Literal('FRONT'), Type.Literal('BACK')])),
  returnUrl: Type.String(),
  applicantForm: Nullable(ApplicantForm),
  skipIntegrityCheck: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  document: Nullable(
    Type.Object({
      type: Nullable(Type.String()),
      country: Nullable(Type.String()),
      isTwoSideDocument: Nullable(Type.Boolean()),
      mrz: Type.Unknown(),
      front: Nullable(CaptureView),
      back: Nullable(CaptureView),
    }),
  ),
  face: Nullable(CaptureView),
  attempts: Type.Array(CaptureView),
  verification: VerificationViewSchema,
});

export const SessionParams = Type.Object({ sessionId: Uuid });
export type SessionParams = Static<typeof SessionParams>;
export const ImageParams = Type.Object({ sessionId: Uuid, imageId: Uuid });
export type ImageParams = Static<typeof ImageParams>;

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
      contentType: Type.String(),
      bytes: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
    }),
  ),
});

export const OkReply = Type.Object({ hasError: Type.Literal(false) }, { additionalProperties: false });
export const HealthReply = Type.Object({ hasError: Type.Literal(false), status: Type.String() });
