/**
 * Builds the OpenAPI 3.1 document from the schemas the routes validate with (collected by an
 * onRoute hook), so the document cannot drift from what the service accepts and answers.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { SHARED_SCHEMAS } from './schemas.js';

type Json = Record<string, unknown>;

declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    /** Unique per route: the method name a generated client gets. */
    operationId?: string;
    tags?: string[];
    security?: Array<Record<string, string[]>>;
    /** Leave this route out of the OpenAPI document. */
    hide?: boolean;
  }
}

/**
 * Plain JSON (drops TypeBox's symbol keys) with `$ref: 'X'` pointed at components; `$id`s are
 * dropped (in OpenAPI 3.1 an `$id` would rebase the `#/components/…` references inside it).
 */
function toOpenApi(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => {
    if (key === '$id') return undefined;
    return key === '$ref' && typeof value === 'string' && !value.startsWith('#') ? `#/components/schemas/${value}` : value;
  }) as unknown;
}

export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }) {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    if (route.schema && !(route.schema as Json).hide) routes.push(route);
  });
  return (): Json => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of routes) {
      const s = r.schema as Json;
      const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const methods = (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
      for (const m of methods) {
        const parameters: unknown[] = [];
        for (const [where, schemaKey] of [['path', 'params'], ['query', 'querystring']] as const) {
          const ps = s[schemaKey] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
          for (const [name, p] of Object.entries(ps?.properties ?? {})) {
            parameters.push({ name, in: where, required: where === 'path' || (ps?.required ?? []).includes(name), schema: toOpenApi(p) });
          }
        }
        const responses: Json = {};
        for (const [status, body] of Object.entries((s.response as Json) ?? {})) {
          const isBinary = (body as Json).contentEncoding === 'binary';
          responses[status.toUpperCase()] = {
            description: status.startsWith('2') ? 'OK' : 'Error (see docs/errors.md)',
            content: isBinary
              ? { 'image/*': { schema: { type: 'string', format: 'binary' } } }
              : { 'application/json': { schema: toOpenApi(body) } },
          };
        }
        // OpenAPI requires at least one response: a route without response schemas gets a
        // described default.
        if (Object.keys(responses).length === 0) responses.default = { description: 'Not described by a schema here (see docs/api.md)' };
        (paths[path] ??= {})[m.toLowerCase()] = {
          summary: s.summary,
          ...(s.operationId ? { operationId: s.operationId } : {}),
          tags: s.tags,
          security: s.security,
          ...(parameters.length ? { parameters } : {}),
          ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: toOpenApi(s.body) } } } } : {}),
          responses,
        };
      }
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        schemas: Object.fromEntries(SHARED_SCHEMAS.map((s) => [s.$id!, toOpenApi(s)])),
        securitySchemes: {
          basic: { type: 'http', scheme: 'basic', description: 'Tenant credentials (npm run tenant -- create)' },
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'accessToken from initialize' },
        },
      },
    };
  };
}
