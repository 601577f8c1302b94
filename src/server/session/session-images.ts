import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { getSessionForTenant } from './read-session.js';

export interface ImageSummary {
  imageId: string;
  captureId: string;
  kind: 'DOCUMENT' | 'FACE';
  pageSide: 'FRONT' | 'BACK' | null;
  /** false: the image of a refused attempt (kept for review, the newest 10). */
  accepted: boolean;
  contentType: string;
  bytes: number;
  createdAt: string;
}

/** The session's stored images: the current front, back and face (retakes delete replaced ones), and the refused attempts'. */
export async function listSessionImages(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string): Promise<ImageSummary[]> {
  const s = await getSessionForTenant(deps, tenantId, sessionId);
  const captures = await deps.store.sessions.listCaptures(s.id);
  return captures
    .filter((c) => c.imageId !== null)
    .map((c) => ({
      imageId: c.imageId!,
      captureId: c.id,
      kind: c.kind,
      pageSide: c.pageSide,
      accepted: c.accepted,
      contentType: c.contentType ?? 'application/octet-stream',
      bytes: c.imageBytes ?? 0,
      createdAt: new Date(c.createdAt).toISOString(),
    }));
}

export async function getSessionImage(
  deps: Pick<SessionDeps, 'store'>,
  tenantId: string,
  sessionId: string,
  imageId: string,
): Promise<{ bytes: Buffer; contentType: string }> {
  const images = await listSessionImages(deps, tenantId, sessionId);
  const meta = images.find((i) => i.imageId === imageId);
  if (!meta) throw new CodedError('IMAGE_NOT_FOUND');
  const bytes = await deps.store.images.get(sessionId.toLowerCase(), imageId);
  if (!bytes) throw new CodedError('IMAGE_NOT_FOUND');
  return { bytes, contentType: meta.contentType };
}

/** The document engine's own portrait crop (`details.portrait.cropJpegBase64`) when the result has one (not purged). */
export function portraitCropOf(result: unknown): Buffer | null {
  const d = (result as { details?: { portrait?: { cropJpegBase64?: unknown } | null } } | null)?.details;
  const b64 = d?.portrait?.cropJpegBase64;
  if (typeof b64 !== 'string' || b64.length === 0 || b64.length > 2_000_000) return null;
  const bytes = Buffer.from(b64, 'base64');
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 ? bytes : null;
}

/** The portrait crop of one of the session's document captures (JPEG bytes). */
export async function getPortraitCrop(deps: Pick<SessionDeps, 'store'>, tenantId: string, sessionId: string, captureId: string): Promise<Buffer> {
  const s = await getSessionForTenant(deps, tenantId, sessionId);
  const c = await deps.store.sessions.getCapture(captureId.toLowerCase());
  const bytes = c && c.sessionId === s.id && c.kind === 'DOCUMENT' ? portraitCropOf(c.result) : null;
  if (!bytes) throw new CodedError('IMAGE_NOT_FOUND');
  return bytes;
}
