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
}

export type FlowEvent =
  | { type: 'THIS_DEVICE' }
  /** From a capture screen whose camera cannot be used: hand off to a phone instead. */
  | { type: 'USE_PHONE' }
  | { type: 'CAPTURED' }
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
  if (error || !session) return { screen: { name: 'fatal', code: error ?? 'SESSION_UNAUTHORIZED' }, plan: [], tenantSteps: [] };
  const base = { plan: planFor(session), tenantSteps: session.steps };
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
      return event.type === 'RETAKE' ? { ...state, screen: { name: 'capture', step: screen.step } } : state;
    case 'processing':
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
    return { ...state, screen: { name: 'retake', step, code: event.code } };
  }
  if (event.type === 'DOCUMENT_ACCEPTED' && step !== 'FACE') {
    const rest = state.plan.slice(1);
    if (step === 'DOCUMENT_BACK' && event.pageSide === 'FRONT') {
      // The server took it as a (new) front: the back is still missing. Say what to change.
      const plan: CaptureStep[] = event.isTwoSideDocument ? ['DOCUMENT_BACK', ...rest] : rest;
      if (!event.isTwoSideDocument) return afterPlanChange({ ...state, plan });
      return { ...state, plan, screen: { name: 'retake', step: 'DOCUMENT_BACK', code: 'WRONG_SIDE' } };
    }
    const plan: CaptureStep[] =
      event.pageSide === 'FRONT' && event.isTwoSideDocument ? ['DOCUMENT_BACK', ...rest] : rest;
    return afterPlanChange({ ...state, plan });
  }
  if (event.type === 'FACE_ACCEPTED' && step === 'FACE') return afterPlanChange({ ...state, plan: state.plan.slice(1) });
  return state;
}
