/** The end: thanks, then (outside an iframe, on the primary device) back to the integrator. */
import { announce, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { frame, para } from './common.js';

export function renderDone(ctx: Ctx, willRedirect: boolean): Rendered {
  const phone = ctx.config.role === 'phone';
  const body = phone ? ctx.t('handoff.phoneDone') : willRedirect ? ctx.t('done.redirecting') : ctx.t('done.body');
  announce(`${ctx.t('done.title')} ${body}`);
  return { el: frame(ctx, 'done', ctx.t('done.title'), h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'), para(body)) };
}
