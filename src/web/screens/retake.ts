/**
 * A photo was refused: say what to change, in plain words, and offer a retake. After a refused
 * document photo the service may know why (too dark, glare, blur, too far, no document in the
 * frame): the screen asks for that advice and adds its one sentence under the error text.
 */
import { api } from '../api.js';
import { announce, button } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { isCaptureAdvice, type CaptureStep } from '../../shared/embed.js';
import { frame, para } from './common.js';

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
  const el = frame(
    ctx,
    'retake',
    ctx.t('retake.title'),
    message,
    adviceText,
    button(ctx.t('retake.button'), () => ctx.dispatch({ type: 'RETAKE' }), 'primary', 'retake'),
  );
  const token = ctx.config.token;
  if (step === 'FACE' || !ADVISED_CODES.has(code) || !token) {
    announce(text, true);
    return { el };
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
    },
  };
}
