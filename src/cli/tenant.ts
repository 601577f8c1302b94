/**
 * Tenant administration against the configured store (DATABASE_URL / DATA_DIR, as the service).
 *
 *   npm run --silent tenant -- create --name <name> [--return-origin <origin>]… [--frame-origin <origin>]…
 *                                     [--steps document,face] [--token-lifetime <seconds>]
 *       (without --frame-origin, the pages that may frame the capture page are the return origins)
 *   npm run --silent tenant -- list
 *   npm run --silent tenant -- rotate --id <tenantId>          new password (shown once)
 *   npm run --silent tenant -- set --id <tenantId> [same setting options as create; they replace]
 *   npm run --silent tenant -- disable --id <tenantId>
 *   npm run --silent tenant -- theme --id <tenantId> --theme <name> …   web page themes (tenant-theme.ts)
 *
 * The last line of output is always one JSON object (create/rotate include the password).
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../server/config.js';
import { generatePassword, generateUsername, hashPassword } from '../server/session/credentials.js';
import { DEFAULT_TENANT_SETTINGS, normaliseOrigin, parseSteps } from '../server/session/tenant-settings.js';
import type { Tenant, TenantSettings } from '../server/session/types.js';
import { keyringFrom } from '../server/store/encryption.js';
import { applyThemeCommand, printableSettings, THEME_OPTIONS } from './tenant-theme.js';
import { openStore } from '../server/store/index.js';

const USAGE = `usage: tenant create --name <name> [--return-origin <o>]... [--frame-origin <o>]... [--steps document,face] [--token-lifetime <s>]
       tenant list
       tenant rotate --id <tenantId>
       tenant set --id <tenantId> [--return-origin <o>]... [--frame-origin <o>]... [--steps ...] [--token-lifetime <s>]
       tenant disable --id <tenantId>
       tenant theme --id <tenantId> --theme <name> --primary <#hex> --on-primary <#hex> --background <#hex> --text <#hex>
                    [--radius <px 0..32>] [--font <font stack>] [--logo <png|jpg|webp file>] [--default]
       tenant theme --id <tenantId> --theme <name> --remove`;

class UsageError extends Error {}

function settingsFrom(values: Record<string, unknown>, base: TenantSettings): TenantSettings {
  const out: TenantSettings = { ...base };
  const ro = values['return-origin'] as string[] | undefined;
  const fo = values['frame-origin'] as string[] | undefined;
  try {
    if (ro) out.allowedReturnOrigins = [...new Set(ro.map(normaliseOrigin))];
    if (fo) out.allowedFrameOrigins = [...new Set(fo.map(normaliseOrigin))];
    if (typeof values.steps === 'string') out.steps = parseSteps(values.steps);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (typeof values['token-lifetime'] === 'string') {
    const n = Number(values['token-lifetime']);
    if (!Number.isInteger(n) || n < 60 || n > 7 * 24 * 3600) throw new UsageError('--token-lifetime: integer seconds, 60..604800');
    out.tokenLifetimeS = n;
  }
  return out;
}

const publicView = (t: Tenant) => ({
  tenantId: t.id,
  name: t.name,
  username: t.username,
  disabled: t.disabledAt !== null,
  createdAt: new Date(t.createdAt).toISOString(),
  settings: printableSettings(t.settings),
});

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      id: { type: 'string' },
      'return-origin': { type: 'string', multiple: true },
      'frame-origin': { type: 'string', multiple: true },
      steps: { type: 'string' },
      'token-lifetime': { type: 'string' },
      ...THEME_OPTIONS,
    },
    strict: true,
  });
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, keyring: keyringFrom(config.dataKeys) });
  try {
    const byId = async () => {
      if (!values.id) throw new UsageError('--id is required');
      const t = await store.tenants.get(values.id);
      if (!t) throw new UsageError(`no tenant ${values.id}`);
      return t;
    };
    switch (command) {
      case 'create': {
        const name = values.name?.trim();
        if (!name) throw new UsageError('--name is required');
        const password = generatePassword();
        const settings = settingsFrom(values, DEFAULT_TENANT_SETTINGS);
        // The iframe integration works at once for the integrator's own site: the pages allowed
        // to frame the capture page default to the origins it may return to.
        const framesDefaulted = !values['frame-origin'];
        if (framesDefaulted) settings.allowedFrameOrigins = [...settings.allowedReturnOrigins];
        const tenant: Tenant = {
          id: randomUUID(),
          name,
          username: generateUsername(),
          passwordHash: await hashPassword(password),
          settings,
          disabledAt: null,
          createdAt: Date.now(),
        };
        await store.tenants.insert(tenant);
        if (tenant.settings.allowedReturnOrigins.length === 0) {
          console.error('note: no --return-origin given; initialize will refuse every returnUrl until you add one with `set`.');
        }
        const frames = tenant.settings.allowedFrameOrigins;
        console.error(
          frames.length > 0
            ? `Pages that may show the capture page in an iframe: ${frames.join(' ')}${framesDefaulted ? ' (the return origins; --frame-origin to choose others)' : ''}`
            : 'No page may show the capture page in an iframe (add --frame-origin with `set`).',
        );
        console.error('The password is shown once; store it now.');
        console.log(JSON.stringify({ ...publicView(tenant), password }));
        return;
      }
      case 'list': {
        const tenants = (await store.tenants.list()).map(publicView);
        for (const t of tenants) console.error(`${t.tenantId}  ${t.username}  ${t.disabled ? 'DISABLED' : 'active  '}  ${t.name}`);
        console.log(JSON.stringify({ tenants }));
        return;
      }
      case 'rotate': {
        const t = await byId();
        const password = generatePassword();
        await store.tenants.setPasswordHash(t.id, await hashPassword(password));
        console.error('The new password is shown once; the old one stops working now.');
        console.log(JSON.stringify({ tenantId: t.id, username: t.username, password }));
        return;
      }
      case 'set': {
        const t = await byId();
        const settings = settingsFrom(values, t.settings);
        await store.tenants.setSettings(t.id, settings);
        console.log(JSON.stringify(publicView({ ...t, settings })));
        return;
      }
      case 'theme': {
        const t = await byId();
        let settings: TenantSettings;
        try {
          settings = applyThemeCommand(values, t.settings);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        await store.tenants.setSettings(t.id, settings);
        console.log(JSON.stringify(publicView({ ...t, settings })));
        return;
      }
      case 'disable': {
        const t = await byId();
        await store.tenants.disable(t.id, Date.now());
        console.log(JSON.stringify({ tenantId: t.id, disabled: true }));
        return;
      }
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command');
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
});
