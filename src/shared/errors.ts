/**
 * The one catalogue of error codes that cross the wire. Each code has its HTTP status and a safe
 * message (never internal detail). `docs/errors.md` is kept in sync by a test.
 * Codes from the spec page come first; codes of ours (bad input, auth, limits) follow.
 */
export const ERRORS = {
  // --- spec: document ---
  DOCUMENT_NOT_RECOGNIZED: { status: 422, message: 'The document in the image could not be recognised.' },
  FACE_QUALITY_LOW: { status: 422, message: 'The portrait on the document is not clear enough for face recognition.' },
  WRONG_SIDE: { status: 422, message: 'This is not the side of the document that was expected.' },
  // --- spec: face ---
  FACE_ANGLE_TOO_LARGE: { status: 422, message: 'The head is turned or tilted too much; look straight at the camera.' },
  FACE_CLOSE_TO_BORDER: { status: 422, message: 'The face is too close to the edge of the image; centre it.' },
  FACE_CROPPED: { status: 422, message: 'Part of the face is outside the image.' },
  FACE_IS_OCCLUDED: { status: 422, message: 'Part of the face is covered; remove masks, sunglasses or hands.' },
  FACE_NOT_FOUND: { status: 422, message: 'No face was found in the image.' },
  FACE_TOO_CLOSE: { status: 422, message: 'The face is too close to the camera; move back.' },
  FACE_TOO_SMALL: { status: 422, message: 'The face is too small; move closer to the camera.' },
  TOO_MANY_FACES: { status: 422, message: 'More than one face is in the image; only the applicant should be visible.' },
  // --- spec: session ---
  MISSING_DOCUMENT_AND_FACE: { status: 409, message: 'The required document and face images have not all been provided yet.' },
  SESSION_ALREADY_COMPLETED: { status: 409, message: 'The session has already been completed.' },
  SESSION_UNAUTHORIZED: { status: 401, message: 'The access token is missing, invalid or expired.' },
  INTERNAL_ERROR: { status: 500, message: 'An internal error occurred.' },
  // --- ours: image input ---
  IMAGE_MISSING: { status: 400, message: 'imageBase is required.' },
  IMAGE_UNDECODABLE: { status: 400, message: 'The image could not be decoded; send a JPEG, PNG, WebP or BMP.' },
  IMAGE_TOO_LARGE: { status: 413, message: 'The image is too large.' },
  IMAGE_DIMENSIONS_TOO_LARGE: { status: 413, message: 'The image has too many pixels.' },
  IMAGE_TOO_SMALL: { status: 400, message: 'The image is too small to be analysed.' },
  IMAGE_URL_FORBIDDEN: { status: 400, message: 'The image URL is not allowed; use a public http(s) address.' },
  IMAGE_DOWNLOAD_FAILED: { status: 400, message: 'The image could not be downloaded from the given URL.' },
  // --- ours: requests, auth, sessions, service ---
  REQUEST_INVALID: { status: 400, message: 'The request is not valid.' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as application/json.' },
  URI_TOO_LONG: { status: 414, message: 'The request URL is too long.' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large.' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  TENANT_UNAUTHORIZED: { status: 401, message: 'The tenant credentials are missing or invalid.' },
  THEME_NOT_FOUND: { status: 400, message: 'webEnrolmentTheme is not one of the tenant\'s themes.' },
  RETURN_URL_NOT_ALLOWED: { status: 400, message: 'returnUrl is not on the tenant\'s list of allowed origins.' },
  SESSION_ID_TAKEN: { status: 409, message: 'A session with this sessionId already exists.' },
  SESSION_NOT_FOUND: { status: 404, message: 'No such session.' },
  IMAGE_NOT_FOUND: { status: 404, message: 'No such image.' },
  NOT_FOUND: { status: 404, message: 'No such resource.' },
  SERVICE_NOT_READY: { status: 503, message: 'The service is starting; try again shortly.' },
  SERVICE_BUSY: { status: 503, message: 'The service is busy; try again shortly.' },
  // --- ours: review console ---
  OPERATOR_UNAUTHORIZED: { status: 401, message: 'Sign in to the review console.' },
  REVIEW_NOT_ALLOWED: { status: 409, message: 'This session cannot be reviewed in its current status.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value);
}

/** A failure whose code is in the catalogue; anything else thrown becomes INTERNAL_ERROR. */
export class CodedError extends Error {
  readonly code: ErrorCode;
  /** The detail is safe to answer (a fixed sentence of ours); by default it goes to the log only. */
  readonly expose: boolean;
  /** Seconds after which a retry may succeed (429, 503): sent as Retry-After. */
  readonly retryAfterS: number | null;
  constructor(code: ErrorCode, detail?: string, opts: { expose?: boolean; retryAfterS?: number } = {}) {
    super(detail ?? ERRORS[code].message);
    this.code = code;
    this.name = 'CodedError';
    this.expose = opts.expose ?? false;
    this.retryAfterS = opts.retryAfterS ?? null;
  }
}
