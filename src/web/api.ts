/** Calls to the enrolment API and the handoff API, with the page's Bearer token. */
import type { DocumentAdvice, HandoffCreated, HandoffRedeemed, HandoffStatus, SessionSnapshot } from '../shared/embed.js';

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
