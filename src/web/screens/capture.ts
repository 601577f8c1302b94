/**
 * Capture one step: live preview with a guide frame and a "Take photo" button, or — when the
 * camera cannot be used (no camera, permission denied, iframe without allow="camera", in-app
 * browser) — the reason in plain words and a file upload. The upload is always offered too.
 */
import { announce, button, h } from '../dom.js';
import type { Ctx, Rendered } from '../context.js';
import type { CaptureStep } from '../../shared/embed.js';
import type { MessageKey } from '../../shared/i18n/index.js';
import { cameraPrecheck, classifyError, openCamera, type Camera, type CameraProblem } from '../camera.js';
import { canHandOff, frame, para, uploadControl } from './common.js';
import { watchLight, type LightHint } from '../live-light.js';
import { autoCaptureFollower, watchSteadiness } from '../live-guide.js';

/** Pause between saying "taking the photo" and taking it automatically, ms. */
export const AUTO_CAPTURE_NOTICE_MS = 700;

/** Files larger than this are refused before upload (the service's body limit is ~20 MB of base64). */
export const MAX_UPLOAD_BYTES = 14 * 1024 * 1024;

export function renderCapture(ctx: Ctx, step: CaptureStep): Rendered {
  const facing = step === 'FACE' ? 'user' : 'environment';
  let camera: Camera | null = null;
  let disposed = false;

  const status = para(ctx.t('capture.starting'), 'text status');
  status.id = 'camera-status';
  const video = h('video', { playsinline: true, muted: true, autoplay: true, 'aria-label': ctx.t('capture.preview'), class: facing === 'user' ? 'mirror' : '' });
  video.muted = true;
  const guide = h('div', { class: `guide guide-${step === 'FACE' ? 'face' : 'document'}`, 'aria-hidden': 'true' });
  const stage = h('div', { class: 'stage hidden' }, video, guide);
  const actions = h('div', { class: 'actions' });
  // A live hint about the light while framing (live-light.ts): too dark; for documents, a reflection.
  const liveHint = para('', 'text live-hint');
  liveHint.id = 'live-hint';
  liveHint.hidden = true;
  let stopWatching: (() => void) | null = null;
  let stopGuide: (() => void) | null = null;
  let lightHint: LightHint | null = null;
  // Guided capture (live-guide.ts): "hold still" while the picture moves; on document steps,
  // "place your document inside the frame" while none is seen there; the photo taken
  // automatically once it has been still, in the right light, with the document framed, for a moment.
  const guideHint = para('', 'text live-hint');
  guideHint.id = 'guide-hint';
  guideHint.hidden = true;
  let guideShown = '';
  const showGuide = (text: string) => {
    if (text === guideShown) return;
    guideShown = text;
    guideHint.textContent = text;
    guideHint.hidden = text === '';
    if (text) announce(text, false);
  };
  let autoTimer: ReturnType<typeof setTimeout> | null = null;
  // Document steps: is a document seen inside the guide frame (live-document.ts)? null until the
  // first checks agree. No automatic photo without one; the button still takes it.
  let documentSeen: boolean | null = step === 'FACE' ? true : null;
  const startGuide = () => {
    const follow = autoCaptureFollower();
    stopGuide = watchSteadiness(video, guide, (mad) => {
      const state = follow({ mad, lightOk: lightHint === null, framed: documentSeen === true });
      if (state === 'moving') return showGuide(ctx.t('guide.holdStill'));
      // Not while a light hint is shown: in the dark a card's edges fade too, and the light is
      // what to fix first.
      if (documentSeen === false && lightHint === null && !guideHint.dataset.auto) return showGuide(ctx.t('guide.placeDocument'));
      if (state === 'capture' && !take.disabled && camera) {
        showGuide(ctx.t('guide.autoCapture'));
        guideHint.dataset.auto = 'true';
        autoTimer = setTimeout(() => {
          if (!disposed && camera && !take.disabled) take.click();
        }, AUTO_CAPTURE_NOTICE_MS);
        return;
      }
      if (!guideHint.dataset.auto) showGuide('');
    });
  };
  const showHint = (hint: LightHint | null) => {
    lightHint = hint;
    if (!hint) {
      liveHint.hidden = true;
      liveHint.textContent = '';
      return;
    }
    const text = ctx.t(`advice.${hint}`);
    liveHint.textContent = text;
    liveHint.hidden = false;
    announce(text, false);
  };

  const onFile = (file: File) => {
    if (file.size > MAX_UPLOAD_BYTES) {
      showProblemText(ctx.errorText('IMAGE_TOO_LARGE'));
      return;
    }
    stop();
    ctx.submit(step, file);
  };
  const upload = uploadControl(ctx.t('capture.upload'), onFile, 'secondary');

  const take = button(ctx.t('capture.take'), () => {
    if (!camera) return;
    take.disabled = true;
    camera
      .takePhoto(video)
      .then((blob) => {
        stop();
        ctx.submit(step, blob);
      })
      .catch(() => {
        take.disabled = false;
        fail('failed');
      });
  }, 'primary', 'take-photo');
  take.disabled = true;
  actions.append(take, upload);

  const problemBox = h('div', { class: 'problem', role: 'alert' });
  function showProblemText(text: string) {
    problemBox.replaceChildren(para(text, 'text error-text'));
    announce(text, true);
  }

  // The ways round a camera that cannot be used: made once, shown or hidden (a retry that fails
  // again must not add them twice).
  const retry = button(ctx.t('camera.retry'), () => {
    problemBox.replaceChildren();
    delete problemBox.dataset.problem;
    retry.remove();
    usePhone?.remove();
    upload.classList.replace('btn-primary', 'btn-secondary');
    upload.querySelector('span')!.textContent = ctx.t('capture.upload');
    take.classList.remove('hidden');
    void start();
  }, 'secondary', 'camera-retry');
  const usePhone = canHandOff(ctx) ? button(ctx.t('handoff.title'), () => ctx.dispatch({ type: 'USE_PHONE' }), 'secondary', 'use-phone') : null;

  function fail(problem: CameraProblem) {
    if (disposed) return;
    stop();
    stage.classList.add('hidden');
    status.remove();
    take.classList.add('hidden');
    take.disabled = true;
    const key = `camera.${problem}` as MessageKey;
    showProblemText(ctx.t(key));
    problemBox.dataset.problem = problem;
    // Upload becomes the main action; a retry for what the user can fix.
    upload.classList.replace('btn-secondary', 'btn-primary');
    upload.querySelector('span')!.textContent = ctx.t('capture.chooseFile');
    if (problem === 'denied' || problem === 'failed') actions.append(retry);
    // A phone usually has a camera that works: offer the hand-off where the page may offer it.
    if (usePhone) actions.append(usePhone);
  }

  function stop() {
    stopWatching?.();
    stopWatching = null;
    stopGuide?.();
    stopGuide = null;
    if (autoTimer) clearTimeout(autoTimer);
    autoTimer = null;
    showHint(null);
    camera?.stop();
    camera = null;
  }

  async function start() {
    const pre = cameraPrecheck(ctx.framed);
    if (pre) return fail(pre);
    try {
      camera = await openCamera(facing);
      if (disposed) return stop();
      video.srcObject = camera.stream;
      await video.play().catch(() => undefined);
      stage.classList.remove('hidden');
      status.remove();
      take.disabled = false;
      stopWatching = watchLight(video, guide, step === 'FACE' ? 'face' : 'document', showHint, (present) => {
        documentSeen = present;
      });
      startGuide();
    } catch (err) {
      fail(classifyError(err, ctx.framed));
    }
  }

  const el = frame(
    ctx,
    'capture',
    ctx.t(`capture.${step}.title`),
    para(ctx.t(`capture.${step}.hint`), 'text hint'),
    status,
    stage,
    liveHint,
    guideHint,
    problemBox,
    actions,
  );
  el.dataset.step = step;
  void start();
  return {
    el,
    dispose() {
      disposed = true;
      stop();
    },
  };
}
