/**
 * Operations: liveness, readiness (models loaded, database reachable, vision queue not full), the
 * OpenAPI document. A saturated node answers /ready 503 SERVICE_BUSY (Retry-After) so a load
 * balancer sends new work elsewhere while it catches up; its in-flight work goes on.
 */
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../store/db.js';
import { sendError } from '../errors.js';
import { HealthReply, withErrors } from '../schemas.js';

export async function opsRoutes(app: FastifyInstance, deps: { ready: () => boolean; saturated: () => boolean; db: Db; openapi: () => unknown }) {
  app.get('/health', { schema: { hide: true, response: { 200: HealthReply } } }, async () => ({ hasError: false, status: 'ok' }));
  app.get('/ready', { schema: { hide: true, response: withErrors({ 200: HealthReply }) } }, async (request, reply) => {
    if (!deps.ready()) return sendError(reply, request, 'SERVICE_NOT_READY');
    try {
      await deps.db.get('SELECT 1 AS one');
    } catch (err) {
      request.log.warn({ err }, 'database not reachable');
      return sendError(reply, request, 'SERVICE_NOT_READY');
    }
    if (deps.saturated()) return sendError(reply, request, 'SERVICE_BUSY');
    return { hasError: false, status: 'ready' };
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => deps.openapi());
}
