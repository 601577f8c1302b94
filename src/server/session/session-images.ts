import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { getSessionForTenant } from './read-session.js';

export interface ImageSummary {
  imageId: string;
  captureId: string;
  kind: 'DOCUMENT' | 'FACE';
  pageSide: 'FRONT' | 'BACK' | null;
  contentType: string;
  bytes: number;
  createdAt: string;
}

/** The session's stored images (the current front, back and face; retakes delete replaced ones). */
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
