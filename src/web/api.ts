/** Calls to the enrolment API and the handoff API, with the page's Bearer token. */
import type { DocumentAdvice, HandoffCreated, HandoffRedeemed, HandoffStatus, PageTheme, SessionSnapshot } from '../shared/embed.js';

export type ApiResult<T> = { ok: true; body: T } | { ok: false; code: string };

async function call<T>(method: 'GET' | 'POST', path: string, token: string | null, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, code: 'NETWORK' };
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  const obj = (json && typeof json === 'object' ? json : {}) as { hasError?: unknown; error?: unknown };
  if (!res.ok || obj.hasError === true) {
    const code = typeof obj.error === 'string' ? obj.error : res.status === 401 ? 'SESSION_UNAUTHORIZED' : res.status >= 500 ? 'INTERNAL_ERROR' : 'UNKNOWN';
    return { ok: false, code };
  }
  return { ok: true, body: json as T };
}

/**
 * An image upload with its progress (XMLHttpRequest: fetch has no upload progress) and a cancel.
 * `onProgress(sent, total)` in bytes; a cancelled upload answers `{ok: false, code: 'CANCELLED'}`.
 */
export function uploadImage<T>(
  path: string,
  token: string,
  imageBase: string,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
): Promise<ApiResult<T>> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve({ ok: false, code: 'CANCELLED' });
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    xhr.onabort = () => resolve({ ok: false, code: 'CANCELLED' });
    xhr.onerror = () => resolve({ ok: false, code: 'NETWORK' });
    xhr.ontimeout = () => resolve({ ok: false, code: 'NETWORK' });
    xhr.onload = () => {
      signal.removeEventListener('abort', onAbort);
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = null;
      }
      const obj = (json && typeof json === 'object' ? json : {}) as { hasError?: unknown; error?: unknown };
      if (xhr.status < 200 || xhr.status >= 300 || obj.hasError === true) {
        const code = typeof obj.error === 'string' ? obj.error : xhr.status === 401 ? 'SESSION_UNAUTHORIZED' : xhr.status >= 500 ? 'INTERNAL_ERROR' : 'UNKNOWN';
        return resolve({ ok: false, code });
      }
      resolve({ ok: true, body: json as T });
    };
    xhr.send(JSON.stringify({ imageBase }));
  });
}

export interface DocumentAccepted {
  hasError: false;
  isTwoSideDocument: boolean;
  pageSide: 'FRONT' | 'BACK';
  country: string | null;
  type: string | null;
}

export const api = {
  document: (token: string, imageBase: string) => call<DocumentAccepted>('POST', '/api/v1/enrolment/document', token, { imageBase }),
  face: (token: string, imageBase: string) => call<{ hasError: false }>('POST', '/api/v1/enrolment/face', token, { imageBase }),
  complete: (token: string) => call<{ hasError: false; customerReturnUrl: string }>('POST', '/api/v1/enrolment/complete', token),
  state: (token: string) => call<SessionSnapshot>('GET', '/web-enrolment/api/session', token),
  theme: (token: string) => call<{ theme: PageTheme | null }>('GET', '/web-enrolment/api/theme', token),
  documentAdvice: (token: string) => call<DocumentAdvice>('GET', '/web-enrolment/api/document-advice', token),
  createHandoff: (token: string, lang: string) => call<HandoffCreated>('POST', `/web-enrolment/api/handoff?lang=${encodeURIComponent(lang)}`, token),
  redeemHandoff: (code: string) => call<HandoffRedeemed>('POST', '/web-enrolment/api/handoff/redeem', null, { code }),
  handoffStatus: (token: string, id: string) => call<HandoffStatus>('GET', `/web-enrolment/api/handoff/${encodeURIComponent(id)}`, token),
};

/** A Blob as base64 (no data: prefix). */
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onload = () => {
      const s = String(reader.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.readAsDataURL(blob);
  });
}
