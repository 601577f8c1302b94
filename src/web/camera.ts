/**
 * Camera capture that works on iOS Safari, Android Chrome and desktops:
 *  - the back camera for documents, the front camera for the face (facingMode is a hint only);
 *  - the highest still resolution: ImageCapture.takePhoto() where available (full sensor still),
 *    else the largest video frame we can get (we ask for up to 4096×2160 and take what comes);
 *  - iOS: `playsinline` + `muted` on the <video>, or the preview stays black;
 *  - every reason the camera cannot be used is classified, so the page can explain it and offer
 *    the file upload instead.
 */

export type CameraProblem = 'denied' | 'blockedByFrame' | 'notFound' | 'inAppBrowser' | 'failed';

/** In-app browsers (social apps' WebViews) that commonly have no camera access. */
export function isInAppBrowser(ua: string): boolean {
  return /FBAN|FBAV|FB_IAB|Instagram|Line\/|MicroMessenger|Twitter|TikTok|Snapchat|; wv\)/i.test(ua);
}

export function isMobile(ua: string): boolean {
  return /Android|iPhone|iPad|iPod|Mobile/i.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
}

/** Whether the Permissions Policy lets this document use the camera (iframe without allow="camera" → false). */
export function cameraAllowedByPolicy(): boolean | null {
  const doc = document as Document & {
    featurePolicy?: { allowsFeature(f: string): boolean };
    permissionsPolicy?: { allowsFeature(f: string): boolean };
  };
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  if (!policy) return null; // unknown (Safari, Firefox): find out from getUserMedia
  return policy.allowsFeature('camera');
}

/** The problem before even asking for the camera, or null when worth trying. */
export function cameraPrecheck(framed: boolean): CameraProblem | null {
  if (cameraAllowedByPolicy() === false) return framed ? 'blockedByFrame' : 'denied';
  if (!navigator.mediaDevices?.getUserMedia) return isInAppBrowser(navigator.userAgent) ? 'inAppBrowser' : 'notFound';
  return null;
}

export function classifyError(err: unknown, framed: boolean): CameraProblem {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'notFound';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    if (framed && cameraAllowedByPolicy() !== true) return 'blockedByFrame';
    return 'denied';
  }
  if (isInAppBrowser(navigator.userAgent)) return 'inAppBrowser';
  return 'failed';
}

export interface Camera {
  stream: MediaStream;
  /** A still at the best resolution available, as JPEG. */
  takePhoto(video: HTMLVideoElement): Promise<Blob>;
  stop(): void;
}

export async function openCamera(facing: 'environment' | 'user'): Promise<Camera> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: facing }, width: { ideal: 4096 }, height: { ideal: 2160 } },
  });
  const track = stream.getVideoTracks()[0];
  return {
    stream,
    async takePhoto(video) {
      const ImageCaptureCtor = (window as unknown as { ImageCapture?: new (t: MediaStreamTrack) => { takePhoto(): Promise<Blob> } }).ImageCapture;
      if (track && ImageCaptureCtor) {
        try {
          const blob = await withTimeout(new ImageCaptureCtor(track).takePhoto(), 4000);
          if (blob.size > 0) return blob.type === 'image/jpeg' ? blob : await reencodeJpeg(blob);
        } catch {
          // fall back to the video frame
        }
      }
      return frameToJpeg(video);
    },
    stop() {
      for (const t of stream.getTracks()) t.stop();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}

/** JPEG quality for captured frames: ≥ 0.7 is what liveness vendors ask for; 0.92 keeps detail. */
export const JPEG_QUALITY = 0.92;

/** Some devices (and Chromium's fake camera) answer takePhoto() with PNG: 5–10× the bytes of a JPEG. */
async function reencodeJpeg(blob: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', JPEG_QUALITY);
  });
}

export function frameToJpeg(video: HTMLVideoElement): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0) return Promise.reject(new Error('no frame'));
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('encode failed'))), 'image/jpeg', JPEG_QUALITY);
  });
}
