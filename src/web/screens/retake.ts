/**
 * A photo was refused: show it (a thumbnail), name the side asked for, say what to change in plain
 * words, and offer a retake. After `WAYS_OUT_AFTER` refusals in a row on a step, the ways out
 * too: another document (document steps), a file instead of the camera, and the phone where the
 * hand-off is allowed. After a refused
 * document photo the service may know why (too dark, glare, blur, too far, no document in the
 * frame): the screen asks for that advice and adds its one sentence under the error text.
 */
import { api } from '../api.js';
import { announce, button, h } from '../dom.js';
import { WAYS_OUT_AFTER } from '../flow.js';
import type { Ctx, Rendered } from '../context.js';
import { isCaptureAdvice, type CaptureStep } from '../../shared/embed.js';
import { canHandOff, frame, para, uploadControl } from './common.js';
import { MAX_UPLOAD_BYTES } from './capture.js';

/** Codes of a refused document photo that may come with the engine's advice. */
const ADVISED_CODES: ReadonlySet<string> = new Set(['DOCUMENT_NOT_RECOGNIZED', 'FACE_QUALITY_LOW']);

/**
 * How long the screen waits for the advice before announcing the error text alone, ms (so screen
 * readers hear the error and its advice as one message when the advice comes quickly).
 */
export const ADVICE_WAIT_MS = 1500;

export function renderRetake(ctx: Ctx, code: string, step: CaptureStep): Rendered {
  const text = ctx.errorText(code);
  const message = para(text, 'text error-text');
  message.id = 'error-text';
  message.dataset.code = code;
  const adviceText = para('', 'text advice-text hidden');
  adviceText.id = 'capture-advice';
  const side = para(ctx.t('retake.asked', { side: ctx.t(`step.${step}`) }), 'text retake-side');
  side.id = 'retake-side';
  side.dataset.step = step;

  // The refused photo, small: the applicant sees what the service saw.
  const photo = ctx.lastPhoto();
  const photoUrl = photo && code !== 'MISSING_DOCUMENT_AND_FACE' ? URL.createObjectURL(photo) : null;
  const thumb = photoUrl ? h('img', { id: 'refused-photo', class: 'refused-photo', src: photoUrl, alt: ctx.t('retake.refusedPhoto') }) : null;

  const el = frame(
    ctx,
    'retake',
    ctx.t('retake.title'),
    h('div', { class: 'retake-summary' }, thumb, h('div', {}, side, message, adviceText)),
    h('div', { class: 'actions' }, button(ctx.t('retake.button'), () => ctx.dispatch({ type: 'RETAKE' }), 'primary', 'retake')),
    waysOut(ctx, step),
  );
  const revoke = () => {
    if (photoUrl) URL.revokeObjectURL(photoUrl);
  };
  const token = ctx.config.token;
  if (step === 'FACE' || !ADVISED_CODES.has(code) || !token) {
    announce(text, true);
    return { el, dispose: revoke };
  }

  let disposed = false;
  let announced = false;
  const announceOnce = (advice: string | null) => {
    if (announced || disposed) return;
    announced = true;
    announce(advice ? `${text} ${advice}` : text, true);
  };
  const timer = setTimeout(() => announceOnce(null), ADVICE_WAIT_MS);
  void api.documentAdvice(token).then((res) => {
    if (disposed) return;
    clearTimeout(timer);
    // Only the advice of the refusal this screen shows (another device may have sent a photo since).
    const advice = res.ok && res.body.refusedWith === code && isCaptureAdvice(res.body.advice) ? res.body.advice : null;
    if (!advice) return announceOnce(null);
    const sentence = ctx.t(`advice.${advice}`);
    adviceText.textContent = sentence;
    adviceText.dataset.advice = advice;
    adviceText.classList.remove('hidden');
    if (announced) announce(sentence, true);
    else announceOnce(sentence);
  });
  return {
    el,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      revoke();
    },
  };
}

/** After repeated refusals: another document, a file instead of the camera, the phone. */
function waysOut(ctx: Ctx, step: CaptureStep): HTMLElement | null {
  const kind = step === 'FACE' ? 'face' : 'document';
  if (ctx.state().refusals[kind] < WAYS_OUT_AFTER) return null;
  const problem = para('', 'text error-text');
  const onFile = (file: File) => {
    if (file.size > MAX_UPLOAD_BYTES) {
      problem.textContent = ctx.errorText('IMAGE_TOO_LARGE');
      return;
    }
    ctx.submit(step, file);
  };
  const heading = h('h2', { id: 'ways-out-title' });
  heading.textContent = ctx.t('retake.waysOut');
  return h(
    'section',
    { class: 'ways-out', id: 'ways-out', 'aria-labelledby': 'ways-out-title' },
    heading,
    problem,
    h(
      'div',
      { class: 'actions' },
      step !== 'FACE' ? button(ctx.t('retake.otherDocument'), () => ctx.dispatch({ type: 'OTHER_DOCUMENT' }), 'secondary', 'other-document') : null,
      uploadControl(ctx.t('capture.upload'), onFile, 'secondary'),
      canHandOff(ctx) ? button(ctx.t('handoff.title'), () => ctx.dispatch({ type: 'USE_PHONE' }), 'secondary', 'use-phone') : null,
    ),
  );
}
