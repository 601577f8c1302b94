/** A photo was refused: say what to change, in plain words, and offer a retake. */
import { announce, button } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { frame, para } from './common.js';

export function renderRetake(ctx: Ctx, code: string): Rendered {
  const text = ctx.errorText(code);
  announce(text, true);
  const message = para(text, 'text error-text');
  message.id = 'error-text';
  message.dataset.code = code;
  const el = frame(ctx, 'retake', ctx.t('retake.title'), message, button(ctx.t('retake.button'), () => ctx.dispatch({ type: 'RETAKE' }), 'primary', 'retake'));
  return { el };
}
