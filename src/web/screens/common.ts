/** Pieces shared by screens: the screen frame with its heading and the step progress. */
import { h } from '../dom.js';
import { progressOf } from '../flow.js';
import type { Ctx } from '../context.js';

export function frame(ctx: Ctx, name: string, title: string, ...children: (Node | null | false)[]): HTMLElement {
  const progress = progressOf(ctx.state());
  return h(
    'section',
    { class: `screen screen-${name}`, 'data-screen': name, 'aria-labelledby': `title-${name}` },
    progress ? h('p', { class: 'progress' }, ctx.t('progress.step', { current: progress.current, total: progress.total })) : null,
    h('h1', { id: `title-${name}` }, title),
    ...children,
  );
}

export function para(text: string, cls = 'text'): HTMLParagraphElement {
  const p = h('p', { class: cls });
  p.textContent = text;
  return p;
}

/** A file chooser styled as a button (the input stays keyboard focusable inside its label). */
export function uploadControl(label: string, onFile: (file: File) => void, variant: 'primary' | 'secondary'): HTMLLabelElement {
  const input = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,image/*', class: 'visually-hidden', id: 'upload-input' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) onFile(file);
    input.value = '';
  });
  const span = h('span');
  span.textContent = label;
  return h('label', { class: `btn btn-${variant} upload` }, input, span);
}
