/** What every screen receives from the app: words, the page config, and the app's actions. */
import type { MessageKey } from '../shared/i18n/index.js';
import type { CaptureStep, PageConfig } from '../shared/embed.js';
import type { FlowEvent, FlowState } from './flow.js';

export interface Ctx {
  config: PageConfig;
  locale: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** The error code's words, with a generic fallback for codes this version does not know. */
  errorText(code: string): string;
  dispatch(event: FlowEvent): void;
  /** Send a captured or chosen image for `step`; the app moves the flow on with the answer. */
  submit(step: CaptureStep, image: Blob): void;
  state(): FlowState;
  /** The photo last sent (the refused one, on a retake screen); null before any. */
  lastPhoto(): Blob | null;
  /** The upload in flight reports its progress here (fraction 0–1 of the request body sent). */
  onUploadProgress(listener: (fraction: number) => void): void;
  /** Cancel the upload in flight: back to the step's capture. */
  cancelUpload(): void;
  /** Whether the page runs inside an iframe. */
  framed: boolean;
}

/** A rendered screen; `dispose` stops its timers and camera when the screen is left. */
export interface Rendered {
  el: HTMLElement;
  dispose?: () => void;
}
