/**
 * SQLite's group commit (store/sqlite.ts): batches asked for in the same event-loop turn commit
 * together, each with its own result; a failing batch fails alone and leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/server/store/sqlite.js';

test('concurrent batches: each gets its own counts, in order; a failing one rejects alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idv-group-'));
  const db = openSqlite(join(dir, 'g.sqlite'));
  try {
    await db.run(`CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL)`);
    const ins = (id: string, n: number) => ({ sql: `INSERT INTO t (id, n) VALUES (?, ?)`, params: [id, n] });
    const results = await Promise.allSettled([
      db.batch([ins('a', 1), ins('b', 2)]),
      // Sees the rows of the batch before it (same order as alone): updates both.
      db.batch([{ sql: `UPDATE t SET n = n + 10 WHERE id IN ('a', 'b')` }]),
      // A duplicate key: this batch fails, and its first row does not stay.
      db.batch([ins('c', 3), ins('a', 9)]),
      db.batch([ins('d', 4)]),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual((results[0] as PromiseFulfilledResult<number[]>).value, [1, 1]);
    assert.deepEqual((results[1] as PromiseFulfilledResult<number[]>).value, [2]);
    assert.deepEqual(await db.all(`SELECT id, n FROM t ORDER BY id`), [
      { id: 'a', n: 11 },
      { id: 'b', n: 12 },
      { id: 'd', n: 4 },
    ]);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
