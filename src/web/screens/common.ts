/** Pieces shared by screens: the screen frame with its heading and the step progress. */
import { h } from '../dom.js';
import { progressOf } from '../flow.js';
import type { Ctx } from '../context.js';
import { isMobile } from '../camera.js';

export function frame(ctx: Ctx, name: string, title: string, ...children: (Node | null | false)[]): HTMLElement {
  const progress = progressOf(ctx.state());
  const theme = ctx.config.theme;
  const logo = theme?.logo && theme.logo.startsWith('/web-enrolment/themes/')
    ? h('img', { class: 'brand-logo', id: 'brand-logo', src: theme.logo, alt: theme.logoAlt })
    : null;
  return h(
    'section',
    { class: `screen screen-${name}`, 'data-screen': name, 'aria-labelledby': `title-${name}` },
    logo,
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

/** Whether this page may offer "Continue on your phone" (desktop, primary role, hand-off allowed). */
export function canHandOff(ctx: Ctx): boolean {
  const cfg = ctx.config;
  return cfg.role === 'primary' && cfg.handoff && cfg.crossDevice && !isMobile(navigator.userAgent);
}

/**
 * Redirect mode, on a screen that ends the flow early: a link back to the integrator's returnUrl
 * (only when the server verified the session and gave it; never in an iframe or on the phone).
 */
export function backToSite(ctx: Ctx): HTMLElement | null {
  const url = ctx.config.returnUrl;
  if (ctx.framed || ctx.config.iframe || ctx.config.role !== 'primary' || !url || !/^https?:\/\//i.test(url)) return null;
  const a = h('a', { class: 'btn btn-primary', id: 'back-to-site', href: url, rel: 'noreferrer' });
  a.textContent = ctx.t('fatal.back');
  return h('div', { class: 'actions' }, a);
}
