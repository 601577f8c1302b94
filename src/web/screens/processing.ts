/** While the server checks a photo or completes the session. */
import { announce, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { frame } from './common.js';

export function renderProcessing(ctx: Ctx, completing: boolean): Rendered {
  const title = ctx.t(completing ? 'processing.completing' : 'processing.title');
  announce(title);
  const el = frame(ctx, 'processing', title, h('div', { class: 'spinner', role: 'progressbar', 'aria-label': title }));
  el.setAttribute('aria-busy', 'true');
  return { el };
}
