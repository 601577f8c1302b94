/**
 * The served OpenAPI document is a valid OpenAPI 3.1 document (checked against the specification's
 * own JSON Schema by @seriousme/openapi-schema-validator), so that integrators' client generators
 * accept it, and every `$ref` in it resolves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestService, type TestService } from '../helpers/service.js';

let svc: TestService;
before(async () => {
  svc = await startTestService();
});
after(async () => {
  await svc?.close();
});

test('GET /api/v1/openapi.json validates as OpenAPI 3.1 and its references resolve', async () => {
  const doc = (await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, '3.1');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 1)?.slice(0, 4000));
  // Every $ref points at something in the document.
  const refs = new Set<string>();
  JSON.stringify(doc, (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string') refs.add(value);
    return value;
  });
  for (const ref of refs) {
    assert.ok(ref.startsWith('#/'), `external reference ${ref}`);
    const target = ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
    assert.ok(target !== undefined, `unresolved reference ${ref}`);
  }
});
