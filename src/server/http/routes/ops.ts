/** Operations: liveness, readiness (models loaded, database reachable), the OpenAPI document. */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.js';
import { sendError } from '../errors.js';
import { HealthReply, withErrors } from '../schemas.js';

export async function opsRoutes(app: FastifyInstance, deps: { ready: () => boolean; db: Db; openapi: () => unknown }) {
  app.get('/health', { schema: { hide: true, response: { 200: HealthReply } } }, async () => ({ hasError: false, status: 'ok' }));
  app.get('/ready', { schema: { hide: true, response: withErrors({ 200: HealthReply }) } }, async (request, reply) => {
    if (!deps.ready()) return sendError(reply, request, 'SERVICE_NOT_READY');
    try {
      await deps.db.get('SELECT 1 AS one');
    } catch (err) {
      request.log.warn({ err }, 'database not reachable');
      return sendError(reply, request, 'SERVICE_NOT_READY');
    }
    return { hasError: false, status: 'ready' };
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => deps.openapi());
}
