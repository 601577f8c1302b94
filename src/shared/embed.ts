/**
 * The web enrolment page's contracts with the outside world (no Node, no DOM):
 *  - `IframeEventData`: what the page posts to its parent in iframe mode (the spec's interface,
 *    field for field), only to the tenant's allowed parent origins, never '*';
 *  - `PageConfig`: what the server puts in the page (a `<script type="application/json">`, which a
 *    strict CSP allows because it is not executed);
 *  - the handoff (cross-device) API shapes the desktop page polls.
 */

/** Errors after which the session cannot continue (the spec's list for the iframe event). */
export const FATAL_ERRORS = ['SESSION_ALREADY_COMPLETED', 'SESSION_UNAUTHORIZED', 'INTERNAL_ERROR'] as const;
export type FatalError = (typeof FATAL_ERRORS)[number];

export function isFatalError(code: unknown): code is FatalError {
  return typeof code === 'string' && (FATAL_ERRORS as readonly string[]).includes(code);
}

/** The spec's `IframeEventData`, posted to the parent when the session completes or cannot continue. */
export interface IframeEventData {
  sessionId: string;
  hasCompleted: boolean;
  hasError: boolean;
  error?: FatalError;
}

export function completedEvent(sessionId: string): IframeEventData {
  return { sessionId, hasCompleted: true, hasError: false };
}

export function errorEvent(sessionId: string, error: FatalError): IframeEventData {
  return { sessionId, hasCompleted: false, hasError: true, error };
}

/**
 * Where to post: the parent's own origin when the browser tells us (ancestorOrigins / referrer)
 * and the tenant allows it; otherwise each allowed origin (the browser delivers a message only
 * when its target origin equals the parent's, so at most one of them arrives). Never '*'.
 */
export function targetOrigins(parentOrigin: string | null, allowed: readonly string[]): string[] {
  const clean = allowed.filter((o) => o !== '*' && /^https?:\/\/[^/]+$/.test(o));
  if (parentOrigin && clean.includes(parentOrigin)) return [parentOrigin];
  return clean;
}

/** The capture steps as the page shows them (the document step may need a back page). */
export type CaptureStep = 'DOCUMENT_FRONT' | 'DOCUMENT_BACK' | 'FACE';

/** Who is looking at the page: the browser that opened the integrator's link, or a phone from a QR code. */
export type PageRole = 'primary' | 'phone';

export interface SessionSnapshot {
  sessionId: string;
  status: 'CREATED' | 'IN_PROGRESS' | 'COMPLETED';
  /** The tenant's steps for this session, in order. */
  steps: ('document' | 'face')[];
  /** Steps not done yet, in order. */
  stepsRemaining: ('document' | 'face')[];
  nextDocumentPage: 'FRONT' | 'BACK' | null;
}

/**
 * What the document engine found wrong with a refused photo (`details.captureAdvice` of its
 * result): NO_DOCUMENT hardly any text (no document, or not in the frame), TOO_DARK too little
 * light, GLARE a reflection washes out part of it, BLURRY out of focus or moving, TOO_FAR the
 * document is too small in the photo. The page turns it into one sentence (`advice.<code>`).
 */
export const CAPTURE_ADVICE = ['NO_DOCUMENT', 'TOO_DARK', 'GLARE', 'BLURRY', 'TOO_FAR'] as const;
export type CaptureAdvice = (typeof CAPTURE_ADVICE)[number];

export function isCaptureAdvice(value: unknown): value is CaptureAdvice {
  return typeof value === 'string' && (CAPTURE_ADVICE as readonly string[]).includes(value);
}

/**
 * GET /web-enrolment/api/document-advice → the session's latest document attempt, when it was
 * refused: its error code and the engine's advice (null: no specific cause found). Both null when
 * there is no document attempt or the latest one was accepted. Only the advice code leaves the
 * server, never the engine's other details; the public API's responses stay as the spec has them.
 */
export interface DocumentAdvice {
  refusedWith: string | null;
  advice: CaptureAdvice | null;
}

export interface PageConfig {
  role: PageRole;
  /** Bearer token for the enrolment API: the integrator's (primary) or the phone's own (phone). */
  token: string | null;
  /** The session as it stands when the page was served; null when the token was not accepted. */
  session: SessionSnapshot | null;
  /** A fatal error found while serving the page (bad/expired token, completed session…). */
  error: FatalError | 'HANDOFF_INVALID' | null;
  /** The sessionId to report in iframe events even when the token was refused (from its claims). */
  reportSessionId: string | null;
  /**
   * Phone role: the link's code, which the page's script exchanges (POST) for the phone's token.
   * Not exchanged on GET, so link previewers and scanners that fetch the URL do not use it up.
   */
  handoffCode: string | null;
  /** Origins allowed to frame the page and receive its events. */
  parentOrigins: string[];
  /** Whether the cross-device handoff is offered (primary role only). */
  handoff: boolean;
  /** Query options, parsed by the server (the page trusts the same rules). */
  iframe: boolean;
  crossDevice: boolean;
  onlyMobile: boolean;
  lang: string | null;
  /**
   * Redirect mode only (not iframe), and only for a session the token was verified for: the
   * integrator's returnUrl, for the "Back to the website" button of the screens that end the flow
   * early. Null otherwise (an untrusted token learns nothing).
   */
  returnUrl: string | null;
  /** The tenant's theme for this session (stylesheet and logo served by the service), or null. */
  theme: PageTheme | null;
}

/** A tenant theme as the page uses it: its stylesheet (CSS custom properties) and its logo. */
export interface PageTheme {
  name: string;
  /** Same-origin URL of the theme's stylesheet (content-hashed). */
  css: string;
  /** Same-origin URL of the logo (content-hashed), or null. */
  logo: string | null;
  /** The logo's text alternative: the tenant's name. */
  logoAlt: string;
}

/** POST /web-enrolment/api/handoff → a fresh phone link (single use, short lived). */
export interface HandoffCreated {
  handoffId: string;
  url: string;
  /** The QR code of `url`, as an SVG document. */
  qrSvg: string;
  expiresAt: string;
  lifetimeMinutes: number;
}

/** GET /web-enrolment/api/handoff/:id → what the desktop shows while the phone works. */
export interface HandoffStatus {
  state: 'WAITING' | 'OPENED' | 'EXPIRED';
  session: SessionSnapshot;
  /** Set once the session is completed (the desktop then ends as if it had captured itself). */
  customerReturnUrl: string | null;
}

/** POST /web-enrolment/api/handoff/redeem {code} → the phone's own token (404 NOT_FOUND when used/expired). */
export interface HandoffRedeemed {
  token: string;
  session: SessionSnapshot;
  theme: PageTheme | null;
}
