/**
 * Key rotation (`npm run --silent keys -- rotate`, src/cli/keys.ts): puts every sealed object
 * under the keyring's current key — re-wrapping its data key, never re-encrypting the data — and
 * seals every plain object an earlier version wrote. Idempotent and resumable (an object already
 * under the current key is skipped); each row is updated only if it is still the value read.
 * Afterwards the old keys can be removed from DATA_ENCRYPTION_KEY / the key file.
 */
import type { Store } from './index.js';
import type { ResealCounts } from './images.js';
import { applicantFormContext, captureResultContext } from './sessions.js';
import { settingContext } from './settings.js';
import { webhookSecretContext } from './webhooks.js';

interface Column {
  table: string;
  key: string;
  column: string;
  context: (key: string) => string;
}

/** Every text column that holds sealed values (see docs/security.md "What is encrypted"). */
export const SEALED_COLUMNS: Column[] = [
  { table: 'service_settings', key: 'key', column: 'value', context: settingContext },
  { table: 'webhook_endpoints', key: 'tenant_id', column: 'secret', context: webhookSecretContext },
  { table: 'sessions', key: 'id', column: 'applicant_form', context: applicantFormContext },
  { table: 'captures', key: 'id', column: 'result', context: captureResultContext },
  { table: 'verification_results', key: 'session_id', column: 'factors', context: (id) => `verification_results.factors:${id}` },
];

export interface RotationCounts extends ResealCounts {
  /** Per table (and `images`): objects re-wrapped or sealed. */
  byTable: Record<string, number>;
}

export async function rotateDataKeys(store: Store): Promise<RotationCounts> {
  const k = store.keyring;
  const counts: RotationCounts = { resealed: 0, alreadyCurrent: 0, failed: 0, byTable: {} };
  for (const c of SEALED_COLUMNS) {
    let after = '';
    let done = 0;
    for (;;) {
      const rows = await store.db.all<{ k: string; v: string }>(
        `SELECT ${c.key} AS k, ${c.column} AS v FROM ${c.table} WHERE ${c.key} > ? AND ${c.column} IS NOT NULL ORDER BY ${c.key} LIMIT 500`,
        [after],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        after = r.k;
        try {
          const next = k.resealText(r.v, c.context(r.k));
          if (next === null) counts.alreadyCurrent++;
          else if ((await store.db.run(`UPDATE ${c.table} SET ${c.column} = ? WHERE ${c.key} = ? AND ${c.column} = ?`, [next, r.k, r.v])) === 1) done++;
        } catch {
          counts.failed++;
        }
      }
    }
    counts.byTable[`${c.table}.${c.column}`] = done;
    counts.resealed += done;
  }
  const images = await store.images.resealAll();
  counts.byTable.images = images.resealed;
  counts.resealed += images.resealed;
  counts.alreadyCurrent += images.alreadyCurrent;
  counts.failed += images.failed;
  return counts;
}

/** How many objects are under each key id (and plain), without changing anything. */
export async function keyUsage(store: Store): Promise<Record<string, number>> {
  const { Keyring } = await import('./encryption.js');
  const usage: Record<string, number> = {};
  const add = (id: string | null) => (usage[id ?? 'plain'] = (usage[id ?? 'plain'] ?? 0) + 1);
  for (const c of SEALED_COLUMNS) {
    for (const r of await store.db.all<{ v: string }>(`SELECT ${c.column} AS v FROM ${c.table} WHERE ${c.column} IS NOT NULL`)) add(Keyring.keyIdOfText(r.v));
  }
  return usage;
}
