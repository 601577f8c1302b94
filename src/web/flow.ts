/**
 * The capture flow as a pure state machine (no DOM, no I/O): screens × events → next state.
 * The app (app.ts) renders `state.screen` and performs the side effects each screen implies.
 *
 *   handoff ──THIS_DEVICE──▶ capture(step) ──CAPTURED──▶ processing(step)
 *      │                        ▲                            │ ACCEPTED → next step's capture, or completing
 *      │                        └──────RETAKE── retake ◀─────┤ REJECTED(code the applicant can fix)
 *      │                                                     └ REJECTED(fatal code) → fatal
 *      └──REMOTE_COMPLETED──▶ done            completing ──COMPLETED──▶ done
 *   capture ──USE_PHONE (camera unusable here)──▶ handoff
 *   any ──FAILED(fatal)──▶ fatal (terminal)   completing ──REJECTED(MISSING_…)──▶ retake(first step)
 */
import { isFatalError, type CaptureStep, type FatalError, type SessionSnapshot } from '../shared/embed.js';

export type Screen =
  | { name: 'handoff' }
  | { name: 'capture'; step: CaptureStep }
  | { name: 'processing'; step: CaptureStep }
  | { name: 'retake'; step: CaptureStep; code: string }
  | { name: 'completing' }
  | { name: 'done'; returnUrl: string | null }
  | { name: 'fatal'; code: FatalError | 'HANDOFF_INVALID' };

export interface FlowState {
  screen: Screen;
  /** The steps still to capture, the current one first. */
  plan: CaptureStep[];
  /** The tenant's steps (document, face), for "Step n of m". */
  tenantSteps: ('document' | 'face')[];
  /**
   * Refused photos in a row per step (document pages count together: another document starts at
   * its front). From `WAYS_OUT_AFTER` on, the retake screen offers the ways out.
   */
  refusals: { document: number; face: number };
}

/** Refusals in a row on one step after which the retake screen offers the ways out. */
export const WAYS_OUT_AFTER = 3;

const stepKind = (step: CaptureStep): 'document' | 'face' => (step === 'FACE' ? 'face' : 'document');

export type FlowEvent =
  | { type: 'THIS_DEVICE' }
  /** From a capture screen whose camera cannot be used, or a retake's ways out: hand off to a phone. */
  | { type: 'USE_PHONE' }
  /** A retake's way out on a document step: start again at the front of another document. */
  | { type: 'OTHER_DOCUMENT' }
  | { type: 'CAPTURED' }
  /** The applicant cancelled the upload: back to the same step's capture. */
  | { type: 'CANCELLED' }
  | { type: 'DOCUMENT_ACCEPTED'; pageSide: 'FRONT' | 'BACK'; isTwoSideDocument: boolean }
  | { type: 'FACE_ACCEPTED' }
  | { type: 'REJECTED'; code: string }
  | { type: 'RETAKE' }
  | { type: 'COMPLETED'; returnUrl: string | null }
  | { type: 'REMOTE_COMPLETED'; returnUrl: string | null }
  | { type: 'RESYNC'; session: SessionSnapshot }
  | { type: 'FAILED'; code: FatalError };

/** The capture steps a session still needs, from the server's view of it. */
export function planFor(session: SessionSnapshot): CaptureStep[] {
  const plan: CaptureStep[] = [];
  for (const step of session.stepsRemaining) {
    if (step === 'document') plan.push(session.nextDocumentPage === 'BACK' ? 'DOCUMENT_BACK' : 'DOCUMENT_FRONT');
    else plan.push('FACE');
  }
  return plan;
}

export interface StartOptions {
  /** Show the "continue on your phone" screen first (desktop, primary role, handoff allowed). */
  offerHandoff: boolean;
}

export function initialState(session: SessionSnapshot | null, error: FatalError | 'HANDOFF_INVALID' | null, opts: StartOptions): FlowState {
  const refusals = { document: 0, face: 0 };
  if (error || !session) return { screen: { name: 'fatal', code: error ?? 'SESSION_UNAUTHORIZED' }, plan: [], tenantSteps: [], refusals };
  const base = { plan: planFor(session), tenantSteps: session.steps, refusals };
  if (session.status === 'COMPLETED') return { ...base, screen: { name: 'fatal', code: 'SESSION_ALREADY_COMPLETED' } };
  if (opts.offerHandoff) return { ...base, screen: { name: 'handoff' } };
  return afterPlanChange(base);
}

function afterPlanChange(s: Omit<FlowState, 'screen'>): FlowState {
  const next = s.plan[0];
  return next ? { ...s, screen: { name: 'capture', step: next } } : { ...s, screen: { name: 'completing' } };
}

/** "Step n of m": the tenant step the screen belongs to. */
export function progressOf(state: FlowState): { current: number; total: number } | null {
  const screen = state.screen;
  if (!('step' in screen)) return null;
  const tenantStep = screen.step === 'FACE' ? 'face' : 'document';
  const index = state.tenantSteps.indexOf(tenantStep);
  return index < 0 ? null : { current: index + 1, total: state.tenantSteps.length };
}

export function transition(state: FlowState, event: FlowEvent): FlowState {
  const screen = state.screen;
  if (screen.name === 'fatal' || screen.name === 'done') return state; // terminal
  if (event.type === 'FAILED') return { ...state, screen: { name: 'fatal', code: event.code } };
  if (event.type === 'REMOTE_COMPLETED') return { ...state, screen: { name: 'done', returnUrl: event.returnUrl } };

  switch (screen.name) {
    case 'handoff':
      if (event.type === 'THIS_DEVICE') return afterPlanChange(state);
      if (event.type === 'RESYNC') return { ...state, plan: planFor(event.session) };
      return state;
    case 'capture':
      if (event.type === 'USE_PHONE') return { ...state, screen: { name: 'handoff' } };
      return event.type === 'CAPTURED' ? { ...state, screen: { name: 'processing', step: screen.step } } : state;
    case 'retake':
      if (event.type === 'RETAKE') return { ...state, screen: { name: 'capture', step: screen.step } };
      // A file chosen on the retake screen itself (a way out): checked like any photo.
      if (event.type === 'CAPTURED') return { ...state, screen: { name: 'processing', step: screen.step } };
      if (event.type === 'USE_PHONE') return { ...state, screen: { name: 'handoff' } };
      if (event.type === 'OTHER_DOCUMENT' && screen.step !== 'FACE') {
        const plan: CaptureStep[] = ['DOCUMENT_FRONT', ...state.plan.filter((p) => p === 'FACE')];
        return { ...state, plan, refusals: { ...state.refusals, document: 0 }, screen: { name: 'capture', step: 'DOCUMENT_FRONT' } };
      }
      return state;
    case 'processing':
      if (event.type === 'CANCELLED') return { ...state, screen: { name: 'capture', step: screen.step } };
      return onResult(state, screen.step, event);
    case 'completing':
      if (event.type === 'COMPLETED') return { ...state, screen: { name: 'done', returnUrl: event.returnUrl } };
      if (event.type === 'REJECTED') {
        if (isFatalError(event.code)) return { ...state, screen: { name: 'fatal', code: event.code } };
        return state; // MISSING_DOCUMENT_AND_FACE: the app resyncs from the server (RESYNC)
      }
      if (event.type === 'RESYNC') {
        const plan = planFor(event.session);
        const first = plan[0];
        if (event.session.status === 'COMPLETED') return { ...state, screen: { name: 'fatal', code: 'SESSION_ALREADY_COMPLETED' } };
        return first ? { ...state, plan, screen: { name: 'retake', step: first, code: 'MISSING_DOCUMENT_AND_FACE' } } : state;
      }
      return state;
  }
}

function onResult(state: FlowState, step: CaptureStep, event: FlowEvent): FlowState {
  if (event.type === 'REJECTED') {
    if (isFatalError(event.code)) return { ...state, screen: { name: 'fatal', code: event.code } };
    const kind = stepKind(step);
    const refusals = { ...state.refusals, [kind]: state.refusals[kind] + 1 };
    return { ...state, refusals, screen: { name: 'retake', step, code: event.code } };
  }
  if (event.type === 'DOCUMENT_ACCEPTED' || event.type === 'FACE_ACCEPTED') {
    return onAccepted({ ...state, refusals: { ...state.refusals, [stepKind(step)]: 0 } }, step, event);
  }
  return state;
}

function onAccepted(state: FlowState, step: CaptureStep, event: FlowEvent): FlowState {
  if (event.type === 'DOCUMENT_ACCEPTED' && step !== 'FACE') {
    const rest = state.plan.slice(1);
    if (step === 'DOCUMENT_BACK' && event.pageSide === 'FRONT') {
      // The server took it as a (new) front: the back is still missing. Say what to change.
      const plan: CaptureStep[] = event.isTwoSideDocument ? ['DOCUMENT_BACK', ...rest] : rest;
      if (!event.isTwoSideDocument) return afterPlanChange({ ...state, plan });
      const refusals = { ...state.refusals, document: 1 }; // a new document's front: its first miss
      return { ...state, plan, refusals, screen: { name: 'retake', step: 'DOCUMENT_BACK', code: 'WRONG_SIDE' } };
    }
    const plan: CaptureStep[] =
      event.pageSide === 'FRONT' && event.isTwoSideDocument ? ['DOCUMENT_BACK', ...rest] : rest;
    return afterPlanChange({ ...state, plan });
  }
  if (event.type === 'FACE_ACCEPTED' && step === 'FACE') return afterPlanChange({ ...state, plan: state.plan.slice(1) });
  return state;
}
