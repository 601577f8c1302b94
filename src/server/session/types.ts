/** The session domain's records, as the use cases see them (storage-neutral). */
import type { WebTheme } from './themes.js';

export const STEPS = ['document', 'face'] as const;
export type Step = (typeof STEPS)[number];

export type SessionStatus = 'CREATED' | 'IN_PROGRESS' | 'COMPLETED';
/** Where the document step stands; see states.ts for the transition table. */
export type DocumentState = 'NONE' | 'AWAITING_BACK' | 'DONE';

export interface ApplicantForm {
  firstName?: string;
  lastName?: string;
  dateOfBirth?: string;
}

export interface Session {
  id: string;
  tenantId: string;
  externalId: string | null;
  returnUrl: string;
  applicantForm: ApplicantForm | null;
  skipIntegrityCheck: boolean;
  /** The tenant's steps when the session was opened (later setting changes do not apply). */
  steps: Step[];
  status: SessionStatus;
  documentState: DocumentState;
  frontCaptureId: string | null;
  backCaptureId: string | null;
  faceCaptureId: string | null;
  /** Optimistic-concurrency counter; every update is conditional on it. */
  version: number;
  /**
   * Random id of this incarnation of the session, carried by its tokens (claim `gen`): a session
   * deleted and opened again with the same client-made sessionId has another one, so the old
   * tokens are refused. null for sessions opened before it existed (their tokens carry none).
   */
  tokenGeneration?: string | null;
  /** The web page's theme chosen at initialize (a name in the tenant's `themes`); null: the default. */
  webTheme?: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
  /**
   * When the expiry pass closed the session unfinished (its result is EXPIRED); from then on its
   * tokens grant nothing and it can no longer be completed. null while open or once completed.
   */
  expiredAt?: number | null;
}

export type CaptureKind = 'DOCUMENT' | 'FACE';

/** One image the engines judged, accepted or not, with the engine's full result. */
export interface Capture {
  id: string;
  sessionId: string;
  kind: CaptureKind;
  pageSide: 'FRONT' | 'BACK' | null;
  accepted: boolean;
  /** The code returned to the caller when not accepted. */
  error: string | null;
  /** The engine's whole result (measurements, problems, MRZ, embeddings…). */
  result: unknown;
  /** Stored image (accepted captures only; a retake deletes the replaced image). */
  imageId: string | null;
  contentType: string | null;
  imageBytes: number | null;
  createdAt: number;
}

export interface TenantSettings {
  /** Origins (scheme://host[:port]) a session's returnUrl may point to. Empty: none allowed. */
  allowedReturnOrigins: string[];
  /** Origins allowed to embed the web enrolment page in an iframe and receive its postMessage. */
  allowedFrameOrigins: string[];
  /** Steps a session must complete, in order shown to the applicant. */
  steps: Step[];
  /** Access-token lifetime for this tenant, seconds; null: the deployment default. */
  tokenLifetimeS: number | null;
  /** Themes of the web enrolment page by name (themes.ts); absent in settings saved before them. */
  themes?: Record<string, WebTheme>;
  /** The theme sessions get when initialize names none; null/absent: the built-in look. */
  defaultTheme?: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  username: string;
  passwordHash: string;
  settings: TenantSettings;
  disabledAt: number | null;
  createdAt: number;
}
