/** The session cannot continue (completed, unauthorized, internal error, used phone link). */
import { announce } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { frame, para } from './common.js';

export function renderFatal(ctx: Ctx, code: string): Rendered {
  const text = code === 'HANDOFF_INVALID' ? ctx.t('handoff.linkInvalid') : ctx.errorText(code);
  announce(text, true);
  const message = para(text, 'text error-text');
  message.id = 'error-text';
  message.dataset.code = code;
  return { el: frame(ctx, 'fatal', ctx.t('fatal.title'), message) };
}
