/** The read side for integrators (tenant Basic auth). One tenant never sees another's sessions. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TenantAuthenticator } from '../../session/authenticate-tenant.js';
import { deleteSession } from '../../session/delete-session.js';
import { listSessions } from '../../session/list-sessions.js';
import { readSession } from '../../session/read-session.js';
import { getPortraitCrop, getSessionImage, listSessionImages } from '../../session/session-images.js';
import type { Store } from '../../store/index.js';
import { requireTenant } from '../auth.js';
import {
  CaptureParams,
  ImageParams,
  ImagesReply,
  ListQuery,
  ListReply,
  OkReply,
  ReadQuery,
  SessionParams,
  SessionView,
  withErrors,
} from '../schemas.js';

export async function sessionRoutes(app: FastifyInstance, deps: { store: Store; authenticateTenant: TenantAuthenticator }) {
  app.addHook('onRequest', requireTenant(deps.authenticateTenant));
  const base = { tags: ['sessions'], security: [{ basic: [] }] };
  const binary = withErrors({ 200: Type.String({ contentEncoding: 'binary' }) });

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/sessions',
    { schema: { ...base, operationId: 'listSessions', summary: 'List sessions, newest first', querystring: ListQuery, response: withErrors({ 200: ListReply }) } },
    async (request) => ({ hasError: false, ...(await listSessions(deps, request.tenant!.id, request.query)) }),
  );
  app.get<{ Params: SessionParams; Querystring: ReadQuery }>(
    '/api/v1/sessions/:sessionId',
    {
      schema: {
        ...base,
        operationId: 'getSession',
        summary: 'Read one session: status, decision, factors, the normalised document, the face, image links (?detail=full: engine results too)',
        params: SessionParams,
        querystring: ReadQuery,
        response: withErrors({ 200: SessionView }),
      },
    },
    async (request) => ({
      hasError: false,
      ...(await readSession(deps, request.tenant!.id, request.params.sessionId, { detail: request.query.detail ?? 'summary' })),
    }),
  );
  app.get<{ Params: SessionParams }>(
    '/api/v1/sessions/:sessionId/images',
    { schema: { ...base, operationId: 'listSessionImages', summary: "List the session's images", params: SessionParams, response: withErrors({ 200: ImagesReply }) } },
    async (request) => ({ hasError: false, images: await listSessionImages(deps, request.tenant!.id, request.params.sessionId) }),
  );
  app.get<{ Params: ImageParams }>(
    '/api/v1/sessions/:sessionId/images/:imageId',
    { schema: { ...base, operationId: 'getSessionImage', summary: 'Download one image (JPEG, PNG, WebP or BMP bytes as received)', params: ImageParams, response: binary } },
    async (request, reply) => {
      const img = await getSessionImage(deps, request.tenant!.id, request.params.sessionId, request.params.imageId);
      return reply.type(img.contentType).send(img.bytes);
    },
  );
  app.get<{ Params: CaptureParams }>(
    '/api/v1/sessions/:sessionId/captures/:captureId/portrait',
    {
      schema: {
        ...base,
        operationId: 'getDocumentPortrait',
        summary: 'Download the document portrait the engine cut out of a document page (JPEG)',
        params: CaptureParams,
        response: binary,
      },
    },
    async (request, reply) => {
      const bytes = await getPortraitCrop(deps, request.tenant!.id, request.params.sessionId, request.params.captureId);
      return reply.type('image/jpeg').send(bytes);
    },
  );
  app.delete<{ Params: SessionParams }>(
    '/api/v1/sessions/:sessionId',
    {
      schema: { ...base, operationId: 'deleteSession', summary: 'Erase the session with all its images and results', params: SessionParams, response: withErrors({ 200: OkReply }) },
    },
    async (request) => {
      await deleteSession(deps, request.tenant!.id, request.params.sessionId);
      return { hasError: false };
    },
  );
}
