/**
 * The app: holds the flow state, renders one screen per state (screens/*), and performs the side
 * effects: uploads, complete, redirect or postMessage at the end.
 */
import { completedEvent, errorEvent, isFatalError, type CaptureStep, type PageConfig } from '../shared/embed.js';
import { format, MESSAGES, type Locale, type MessageKey } from '../shared/i18n/index.js';
import { api, blobToBase64, uploadImage, type DocumentAccepted } from './api.js';
import { prepareUpload } from './downscale.js';
import { isMobile } from './camera.js';
import type { Ctx, Rendered } from './context.js';
import { showScreen } from './dom.js';
import { isFramed, postToParent } from './embed.js';
import { initialState, transition, type FlowEvent, type FlowState } from './flow.js';
import { renderCapture } from './screens/capture.js';
import { renderDone } from './screens/done.js';
import { renderFatal } from './screens/fatal.js';
import { renderHandoff } from './screens/handoff.js';
import { renderProcessing } from './screens/processing.js';
import { renderRetake } from './screens/retake.js';

/** Service codes that share another code's words (what the applicant should do is the same). */
const ERROR_TEXT_ALIASES: Record<string, string> = {
  SERVICE_NOT_READY: 'SERVICE_BUSY',
  BODY_TOO_LARGE: 'IMAGE_TOO_LARGE',
};

/** Pause on the "taking you back" screen before the redirect, ms (time to read it). */
export const REDIRECT_DELAY_MS = 800;

export function startApp(root: HTMLElement, config: PageConfig, locale: Locale): void {
  const messages = MESSAGES[locale];
  const framed = isFramed();
  const token = config.token ?? '';
  const sessionId = config.session?.sessionId ?? config.reportSessionId ?? '';
  let state: FlowState = initialState(config.session, config.error, {
    offerHandoff:
      config.handoff && config.role === 'primary' && !isMobile(navigator.userAgent) &&
      // onlyMobile wins over crossDevice=false: a desktop that may not capture hands off.
      (config.onlyMobile || !(config.iframe && !config.crossDevice)),
  });
  let rendered: Rendered | null = null;
  let ended = false;
  /** The photo last sent, shown as a thumbnail on the retake screen when it is refused. */
  let lastPhoto: Blob | null = null;

  const ctx: Ctx = {
    config,
    locale,
    framed,
    t: (key, params) => format(messages, key, params),
    errorText(code) {
      const key = `errors.${ERROR_TEXT_ALIASES[code] ?? code}` as MessageKey;
      return Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : messages['errors.UNKNOWN'];
    },
    dispatch,
    submit,
    state: () => state,
    lastPhoto: () => lastPhoto,
    onUploadProgress(listener) {
      if (upload) upload.onProgress = listener;
    },
    cancelUpload,
  };

  function dispatch(event: FlowEvent) {
    const next = transition(state, event);
    const screenChanged = next.screen !== state.screen;
    state = next;
    if (screenChanged) render();
  }

  /** The upload in flight: its cancel, and who listens to its progress (the processing screen). */
  let upload: { controller: AbortController; onProgress: ((fraction: number) => void) | null } | null = null;

  async function submit(step: CaptureStep, image: Blob) {
    const controller = new AbortController();
    upload = { controller, onProgress: null };
    const current = upload;
    dispatch({ type: 'CAPTURED' });
    lastPhoto = image;
    let base64: string;
    try {
      // Smaller before it leaves the phone (downscale.ts): what the engines need, not 12 MP.
      const prepared = await prepareUpload(image);
      lastPhoto = prepared;
      base64 = await blobToBase64(prepared);
    } catch {
      upload = null;
      return dispatch({ type: 'REJECTED', code: 'IMAGE_UNDECODABLE' });
    }
    if (controller.signal.aborted) return;
    const onProgress = (sent: number, total: number) => current.onProgress?.(total > 0 ? sent / total : 0);
    const path = step === 'FACE' ? '/api/v1/enrolment/face' : '/api/v1/enrolment/document';
    const res = await uploadImage<DocumentAccepted | { hasError: false }>(path, token, base64, onProgress, controller.signal);
    if (upload === current) upload = null;
    if (!res.ok && res.code === 'CANCELLED') return; // the screen already went back to the capture
    if (step === 'FACE') {
      dispatch(res.ok ? { type: 'FACE_ACCEPTED' } : { type: 'REJECTED', code: res.code });
    } else {
      const body = res.ok ? (res.body as DocumentAccepted) : null;
      dispatch(
        body
          ? { type: 'DOCUMENT_ACCEPTED', pageSide: body.pageSide, isTwoSideDocument: body.isTwoSideDocument }
          : { type: 'REJECTED', code: res.ok ? 'UNKNOWN' : res.code },
      );
    }
  }

  function cancelUpload() {
    const current = upload;
    if (!current) return;
    upload = null;
    current.controller.abort();
    dispatch({ type: 'CANCELLED' });
  }

  async function complete() {
    const res = await api.complete(token);
    if (res.ok) return dispatch({ type: 'COMPLETED', returnUrl: res.body.customerReturnUrl });
    if (isFatalError(res.code)) return dispatch({ type: 'FAILED', code: res.code });
    const st = await api.state(token);
    if (st.ok) dispatch({ type: 'RESYNC', session: st.body });
    else dispatch({ type: 'FAILED', code: isFatalError(st.code) ? st.code : 'INTERNAL_ERROR' });
  }

  function end(kind: 'done' | 'fatal', returnUrl: string | null, code?: string) {
    if (ended) return;
    ended = true;
    if (config.role === 'phone') return; // the desktop ends the session for the integrator
    if (config.iframe || framed) {
      if (kind === 'done') postToParent(completedEvent(sessionId), config.parentOrigins);
      else if (isFatalError(code)) postToParent(errorEvent(sessionId, code), config.parentOrigins);
      return;
    }
    if (kind === 'done' && returnUrl && /^https?:\/\//i.test(returnUrl)) {
      setTimeout(() => window.location.assign(returnUrl), REDIRECT_DELAY_MS);
    }
  }

  function render() {
    rendered?.dispose?.();
    const s = state.screen;
    const redirect = s.name === 'done' && !config.iframe && !framed && config.role === 'primary' && !!s.returnUrl;
    switch (s.name) {
      case 'handoff': rendered = renderHandoff(ctx); break;
      case 'capture': rendered = renderCapture(ctx, s.step); break;
      case 'processing': rendered = renderProcessing(ctx, false); break;
      case 'completing': rendered = renderProcessing(ctx, true); break;
      case 'retake': rendered = renderRetake(ctx, s.code, s.step); break;
      case 'done': rendered = renderDone(ctx, redirect); break;
      case 'fatal': rendered = renderFatal(ctx, s.code); break;
    }
    document.body.dataset.current = s.name;
    showScreen(root, rendered.el);
    if (s.name === 'completing') void complete();
    if (s.name === 'done') end('done', s.returnUrl);
    if (s.name === 'fatal') end('fatal', null, s.code);
  }

  render();
}
