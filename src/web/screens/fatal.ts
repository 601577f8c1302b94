/**
 * The session cannot continue (unauthorized, internal error, used phone link), or it is already
 * complete: then the screen says it is done (a reopened link), not "start again". In redirect mode,
 * where the server verified the session, a button leads back to the integrator's returnUrl.
 */
import { announce, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { backToSite, frame, para } from './common.js';

export function renderFatal(ctx: Ctx, code: string): Rendered {
  if (code === 'SESSION_ALREADY_COMPLETED') {
    const body = ctx.t('completed.body');
    announce(`${ctx.t('completed.title')} ${body}`);
    const message = para(body);
    message.id = 'error-text';
    message.dataset.code = code;
    const el = frame(ctx, 'fatal', ctx.t('completed.title'), h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'), message, backToSite(ctx));
    el.dataset.completed = 'true';
    return { el };
  }
  const text = code === 'HANDOFF_INVALID' ? ctx.t('handoff.linkInvalid') : ctx.errorText(code);
  announce(text, true);
  const message = para(text, 'text error-text');
  message.id = 'error-text';
  message.dataset.code = code;
  return { el: frame(ctx, 'fatal', ctx.t('fatal.title'), message, backToSite(ctx)) };
}
