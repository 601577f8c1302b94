/**
 * Verification administration against the configured store (DATABASE_URL / DATA_DIR, as the service).
 *
 *   npm run --silent operator -- create --tenant <tenantId> [--username <name>]   console login (password shown once)
 *   npm run --silent operator -- webhook --tenant <tenantId> --url <https://…>      sets the URL, new secret (shown once)
 *   npm run --silent operator -- webhook --tenant <tenantId> --remove
 *   npm run --silent operator -- policy --tenant <tenantId> [--json '{"minAgeYears":18}']  shows / replaces the policy
 *
 * The last line of output is always one JSON object.
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../server/config.js';
import { generatePassword, hashPassword } from '../server/session/credentials.js';
import { keyringFrom } from '../server/store/encryption.js';
import { openStore } from '../server/store/index.js';
import { operatorRepo } from '../server/store/operators.js';
import { verificationRepo } from '../server/store/verification.js';
import { webhookRepo } from '../server/store/webhooks.js';
import { parsePolicy } from '../server/verification/thresholds.js';
import { webhookDestinationProblem } from '../server/webhook/post.js';
import { createAddressPolicy } from '../server/net/address-policy.js';
import { newWebhookSecret } from '../server/webhook/signing.js';

const USAGE = `usage: operator create --tenant <tenantId> [--username <name>]
       operator webhook --tenant <tenantId> (--url <url> | --remove)
       operator policy --tenant <tenantId> [--json <policy>]`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { tenant: { type: 'string' }, username: { type: 'string' }, url: { type: 'string' }, remove: { type: 'boolean' }, json: { type: 'string' } },
    strict: true,
  });
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, keyring: keyringFrom(config.dataKeys) });
  try {
    if (!values.tenant) throw new UsageError('--tenant is required');
    const tenant = await store.tenants.get(values.tenant);
    if (!tenant) throw new UsageError(`no tenant ${values.tenant}`);
    const now = Date.now();
    switch (command) {
      case 'create': {
        const username = values.username ?? `op_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
        if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(username)) throw new UsageError('--username: 3–64 of A–Z a–z 0–9 _ . @ -');
        const password = generatePassword();
        const id = randomUUID();
        const ok = await operatorRepo(store.db).insert({ id, tenantId: tenant.id, username, passwordHash: await hashPassword(password), disabledAt: null, createdAt: now });
        if (!ok) throw new UsageError(`username ${username} is taken`);
        process.stdout.write(`${JSON.stringify({ operatorId: id, tenantId: tenant.id, username, password })}\n`);
        return;
      }
      case 'webhook': {
        const repo = webhookRepo(store.db);
        if (values.remove) {
          await repo.deleteEndpoint(tenant.id);
          process.stdout.write(`${JSON.stringify({ tenantId: tenant.id, webhook: null })}\n`);
          return;
        }
        if (!values.url) throw new UsageError('--url or --remove is required');
        const problem = await webhookDestinationProblem(values.url, createAddressPolicy(config.webhookInternalAllow));
        if (problem) throw new UsageError(`--url ${problem}`);
        const secret = newWebhookSecret();
        await repo.setEndpoint(tenant.id, values.url, secret, now);
        process.stdout.write(`${JSON.stringify({ tenantId: tenant.id, url: values.url, secret })}\n`);
        return;
      }
      case 'policy': {
        const repo = verificationRepo(store.db);
        if (values.json !== undefined) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(values.json);
            parsePolicy(parsed);
          } catch (err) {
            throw new UsageError(`--json: ${(err as Error).message}`);
          }
          await repo.setPolicy(tenant.id, parsed, now);
        }
        process.stdout.write(`${JSON.stringify({ tenantId: tenant.id, policy: parsePolicy(await repo.getPolicy(tenant.id)) })}\n`);
        return;
      }
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof UsageError ? err.message : String(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
