/**
 * A generated client is useful: openapi-typescript (the integrators' usual generator) turns the
 * served OpenAPI document into TypeScript types with every field typed — no `unknown` anywhere in
 * the schemas (the only `unknown`s are the generator's own index signature for response headers)
 * — every operation named, and the session read's document block as a named component; the
 * generated file type-checks against a client-side use of it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { startTestService, type TestService } from '../helpers/service.js';

let svc: TestService;
let generated: string;
let doc: { paths: Record<string, Record<string, { operationId?: string }>> };
before(async () => {
  svc = await startTestService();
  doc = (await svc.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
  generated = astToString(await openapiTS(doc as never));
});
after(async () => {
  await svc?.close();
});

/** The text of `name: { … }` in the generated source (brace-matched). */
function block(source: string, name: string): string {
  const start = source.indexOf(`${name}: {`);
  assert.ok(start >= 0, `${name} not generated`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`unbalanced ${name}`);
}

test('every operation has a unique operationId', () => {
  const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
  assert.ok(ids.length >= 10);
  assert.ok(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id)), JSON.stringify(ids));
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes('getSession') && ids.includes('submitDocument') && ids.includes('getDocumentPortrait'));
});

test('no unknown in the generated types (the document block above all)', () => {
  const unknownLines = generated.split('\n').filter((l) => /\bunknown\b/.test(l));
  assert.ok(unknownLines.every((l) => l.trim() === '[name: string]: unknown;'), unknownLines.filter((l) => l.trim() !== '[name: string]: unknown;').join('\n'));
  const components = block(generated, 'schemas');
  assert.doesNotMatch(components, /\bunknown\b/);
  for (const name of ['DocumentView', 'DocumentField', 'NameField']) assert.doesNotMatch(block(components, name), /\bunknown\b|\bany\b/, name);
  assert.match(block(components, 'NameField'), /icao: string;/);
  assert.match(block(components, 'DocumentField'), /source: "MRZ" \| "VIZ" \| "BARCODE";/);
});

test('the generated types type-check in a client that reads the document block', () => {
  const dir = mkdtempSync(join(tmpdir(), 'idv-openapi-ts-'));
  try {
    writeFileSync(join(dir, 'api.ts'), generated);
    writeFileSync(
      join(dir, 'client.ts'),
      `import type { operations } from './api.js';
type Session = operations['getSession']['responses'][200]['content']['application/json'];
export function birthYear(s: Session): number | null {
  const d = s.document?.dateOfBirth;
  return d ? Number(d.value.slice(0, 4)) : null;
}
export const icao = (s: Session): string | undefined => s.document?.surname?.icao;
export const sources = (s: Session): Array<'MRZ' | 'VIZ' | 'BARCODE'> => (s.document?.number ? [s.document.number.source] : []);
export const factorLevels = (s: Session): string[] => s.verification.factors.map((f) => f.level);
`,
    );
    const program = ts.createProgram([join(dir, 'client.ts')], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022 });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(diagnostics, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
