/**
 * Issue #17 (operations): the background jobs report their failures to the node's log — a
 * maintenance pass that throws is logged as an error (the next pass runs a minute later), instead
 * of being swallowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService } from '../helpers/service.js';

test('a maintenance pass that fails is logged as an error', async () => {
  const svc = await startTestService();
  try {
    await svc.services.verification.stopJobs(); // the app started them with its (silent) logger
    await svc.store.db.run(`ALTER TABLE verification_results RENAME TO verification_results_gone`);
    const errors: Array<{ obj: object; msg: string }> = [];
    const log = { warn: () => {}, error: (obj: object, msg: string) => errors.push({ obj, msg }) };
    svc.services.verification.startJobs(log); // the first pass runs at once
    const maintenance = () => errors.filter((e) => e.msg.startsWith('maintenance pass failed'));
    for (let i = 0; i < 100 && maintenance().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await svc.services.verification.stopJobs();
    assert.equal(maintenance().length, 1);
    assert.ok((maintenance()[0]!.obj as { err?: unknown }).err instanceof Error);
    await svc.store.db.run(`ALTER TABLE verification_results_gone RENAME TO verification_results`);
  } finally {
    await svc.close();
  }
});
