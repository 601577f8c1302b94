/**
 * While a photo goes up and the server checks it, or while the session completes. A photo's
 * upload shows a progress bar (the request body's bytes sent, XMLHttpRequest upload progress) and
 * a Cancel button (back to the capture); once the photo is sent, "Checking your photo…" and a
 * spinner (the server's check cannot be cancelled from the page).
 */
import { announce, button, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import { frame, para } from './common.js';

export function renderProcessing(ctx: Ctx, completing: boolean): Rendered {
  const title = ctx.t(completing ? 'processing.completing' : 'processing.title');
  announce(title);
  const spinner = h('div', { class: 'spinner', role: 'progressbar', 'aria-label': title });
  if (completing) {
    const el = frame(ctx, 'processing', title, spinner);
    el.setAttribute('aria-busy', 'true');
    return { el };
  }
  const label = para(ctx.t('upload.progress', { percent: 0 }), 'text upload-label');
  label.id = 'upload-label';
  const bar = h('progress', { id: 'upload-progress', class: 'upload-progress', max: '100', value: '0', 'aria-labelledby': 'upload-label' });
  const cancel = button(ctx.t('upload.cancel'), () => ctx.cancelUpload(), 'secondary', 'upload-cancel');
  const uploading = h('div', { class: 'uploading', id: 'uploading' }, label, bar, h('div', { class: 'actions' }, cancel));
  spinner.classList.add('hidden');
  let lastAnnounced = 0;
  ctx.onUploadProgress((fraction) => {
    const percent = Math.min(100, Math.floor(fraction * 100));
    bar.value = percent;
    label.textContent = ctx.t('upload.progress', { percent });
    // Screen readers hear a few steps, not every percent.
    if (percent - lastAnnounced >= 25 && percent < 100) {
      lastAnnounced = percent;
      announce(label.textContent);
    }
    if (percent >= 100) {
      uploading.classList.add('hidden');
      spinner.classList.remove('hidden');
    }
  });
  const el = frame(ctx, 'processing', title, uploading, spinner);
  el.setAttribute('aria-busy', 'true');
  return { el };
}
