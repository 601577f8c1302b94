/**
 * Desktop only: continue on a phone. Shows a QR code (rendered by the server as SVG) and the link,
 * the "Continue on this device" button (unless onlyMobile), and live progress while the phone
 * works. The desktop polls the handoff status: polling survives proxies, load balancers and
 * sleeping laptops, and several nodes (the status lives in the database).
 */
import { api } from '../api.js';
import { announce, button, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import type { HandoffCreated } from '../../shared/embed.js';
import { frame, para } from './common.js';

/** How often the desktop asks for the phone's progress, ms. Lower: faster news, more requests. */
export const POLL_INTERVAL_MS = 1500;

export function renderHandoff(ctx: Ctx): Rendered {
  const token = ctx.config.token ?? '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  let current: HandoffCreated | null = null;
  let lastAnnounced = '';

  const qr = h('img', { id: 'handoff-qr', class: 'qr', alt: ctx.t('handoff.qrAlt'), width: '240', height: '240' });
  const link = h('a', { id: 'handoff-link', class: 'handoff-link', rel: 'noreferrer' });
  const body = para('', 'text');
  const status = h('p', { id: 'handoff-status', class: 'text status', role: 'status' });
  const newCode = button(ctx.t('handoff.newCode'), () => void create(), 'secondary', 'handoff-new');
  newCode.classList.add('hidden');
  const qrBox = h('div', { class: 'qr-box' }, qr);
  const linkLabel = para(ctx.t('handoff.link'), 'text small');
  /** The code and its "expires in n minutes" text: hidden once it has expired (it no longer works). */
  const codeParts: HTMLElement[] = [body, qrBox, linkLabel, link];
  const showCode = (visible: boolean) => {
    for (const part of codeParts) part.classList.toggle('hidden', !visible);
  };

  function say(text: string) {
    status.textContent = text;
    if (text !== lastAnnounced) {
      lastAnnounced = text;
      announce(text);
    }
  }

  async function create() {
    newCode.classList.add('hidden');
    const res = await api.createHandoff(token, ctx.locale);
    if (disposed) return;
    if (!res.ok) {
      if (res.code === 'SESSION_ALREADY_COMPLETED' || res.code === 'SESSION_UNAUTHORIZED' || res.code === 'INTERNAL_ERROR') {
        ctx.dispatch({ type: 'FAILED', code: res.code });
      } else say(ctx.errorText(res.code));
      return;
    }
    current = res.body;
    showCode(true);
    qr.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(res.body.qrSvg)}`;
    link.href = res.body.url;
    link.textContent = res.body.url;
    body.textContent = ctx.t('handoff.body', { minutes: res.body.lifetimeMinutes });
    say(ctx.t('handoff.waiting'));
    schedule();
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
  }

  async function poll() {
    if (disposed || !current) return;
    const res = await api.handoffStatus(token, current.handoffId);
    if (disposed) return;
    if (!res.ok) {
      if (res.code === 'SESSION_UNAUTHORIZED' || res.code === 'INTERNAL_ERROR') return ctx.dispatch({ type: 'FAILED', code: res.code });
      return schedule(); // network hiccup: keep trying
    }
    const s = res.body;
    ctx.dispatch({ type: 'RESYNC', session: s.session });
    if (s.session.status === 'COMPLETED') {
      ctx.dispatch({ type: 'REMOTE_COMPLETED', returnUrl: s.customerReturnUrl });
      return;
    }
    const total = s.session.steps.length;
    const done = total - s.session.stepsRemaining.length;
    if (s.state === 'EXPIRED') {
      showCode(false);
      qr.removeAttribute('src');
      link.removeAttribute('href');
      say(ctx.t('handoff.expired'));
      newCode.classList.remove('hidden');
      return;
    }
    if (s.state === 'OPENED') {
      say(done > 0 ? ctx.t('handoff.progress', { done, total }) : ctx.t('handoff.opened'));
      // The link was used once; if the phone lost its page (reload, other browser) it needs a new one.
      newCode.classList.remove('hidden');
    }
    schedule();
  }

  const children: Node[] = [body, qrBox, linkLabel, link, status, newCode];
  if (!(ctx.config.iframe && ctx.config.onlyMobile)) {
    children.push(h('div', { class: 'actions' }, button(ctx.t('handoff.continueHere'), () => ctx.dispatch({ type: 'THIS_DEVICE' }), 'secondary', 'continue-here')));
  }
  const el = frame(ctx, 'handoff', ctx.t('handoff.title'), ...children);
  // Browsers slow timers in background tabs: ask at once when the desktop tab comes back.
  const onVisible = () => {
    if (document.visibilityState === 'visible' && current && !disposed) void poll();
  };
  document.addEventListener('visibilitychange', onVisible);
  void create();
  return {
    el,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
