import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS } from '../../src/shared/errors.js';

test('docs/errors.md lists exactly the catalogue, with the same status and message', () => {
  const md = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...md.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+?) \| .+ \|$/gm)].map((m) => ({
    code: m[1]!,
    status: Number(m[2]),
    message: m[3]!,
  }));
  assert.deepEqual(
    rows.map((r) => r.code).sort(),
    Object.keys(ERRORS).sort(),
    'codes in docs/errors.md and src/shared/errors.ts differ',
  );
  for (const r of rows) {
    const entry = ERRORS[r.code as keyof typeof ERRORS];
    assert.equal(r.status, entry.status, `${r.code}: status`);
    assert.equal(r.message, entry.message, `${r.code}: message`);
  }
});

test('statuses follow the wire rules: engine verdicts 422, auth 401, completed 409, 5xx only ours', () => {
  for (const code of ['FACE_TOO_SMALL', 'FACE_NOT_FOUND', 'DOCUMENT_NOT_RECOGNIZED', 'WRONG_SIDE'] as const) assert.equal(ERRORS[code].status, 422);
  assert.equal(ERRORS.SESSION_UNAUTHORIZED.status, 401);
  assert.equal(ERRORS.SESSION_ALREADY_COMPLETED.status, 409);
  const fiveHundreds = Object.entries(ERRORS).filter(([, e]) => e.status >= 500).map(([c]) => c).sort();
  assert.deepEqual(fiveHundreds, ['INTERNAL_ERROR', 'SERVICE_BUSY', 'SERVICE_NOT_READY']);
});
