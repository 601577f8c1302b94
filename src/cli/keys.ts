/**
 * Data encryption keys (docs/security.md), against the configured store (DATABASE_URL / DATA_DIR
 * and DATA_ENCRYPTION_KEY / DATA_ENCRYPTION_KEY_FILE, as the service).
 *
 *   npm run --silent keys -- generate     a new random key (base64), to put first in the key list
 *   npm run --silent keys -- status       which key ids the configuration has, and how many stored values are under each (and plain)
 *   npm run --silent keys -- rotate       every image, engine result, personal field and secret under the first (current) key;
 *                                         values of an earlier version (plain) are sealed. Idempotent: run it again after an interruption.
 *
 * Rotation: put the new key first (`DATA_ENCRYPTION_KEY=<new>,<old>` or a new first line in the key
 * file), restart the nodes (they now write with the new key and still read the old one), run
 * `rotate`, then remove the old key and restart again. The last line of output is one JSON object.
 */
import { loadConfig } from '../server/config.js';
import { generateKeyText, keyringFrom } from '../server/store/encryption.js';
import { openStore } from '../server/store/index.js';
import { keyUsage, rotateDataKeys } from '../server/store/rotate-keys.js';

const USAGE = `usage: keys generate | keys status | keys rotate`;

async function main([command]: string[]): Promise<void> {
  if (command === 'generate') {
    process.stdout.write(`${JSON.stringify({ key: generateKeyText() })}\n`);
    return;
  }
  if (command !== 'status' && command !== 'rotate') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const keyring = keyringFrom(config.dataKeys);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, keyring });
  try {
    if (command === 'status') {
      process.stdout.write(`${JSON.stringify({ current: keyring.currentId, keys: keyring.keyIds, databaseValues: await keyUsage(store) })}\n`);
      return;
    }
    const t0 = Date.now();
    const counts = await rotateDataKeys(store);
    process.stdout.write(`${JSON.stringify({ current: keyring.currentId, ...counts, ms: Date.now() - t0 })}\n`);
    if (counts.failed > 0) process.exit(1);
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
