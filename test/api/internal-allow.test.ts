/**
 * The operator's allow-list of internal destinations (IMAGE_URL_INTERNAL_ALLOW,
 * WEBHOOK_INTERNAL_ALLOW): parsing and its errors, the policy (exact hosts, CIDRs, the addresses no
 * list can open), the service's wiring from the environment (an imageBase URL and a webhook to a
 * real server on 127.0.0.1: refused by default, reached when listed), and the webhook CLI refusing
 * a URL the policy would refuse.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig } from '../../src/server/config.js';
import { createAddressPolicy, parseInternalAllowList } from '../../src/server/net/address-policy.js';
import { outboxInsert } from '../../src/server/store/verification.js';
import { makeEvent } from '../../src/server/webhook/events.js';
import { webhookDestinationProblem } from '../../src/server/webhook/post.js';
import { createTestTenant, startTestService } from '../helpers/service.js';

const root = new URL('../..', import.meta.url).pathname;

describe('allow-list policy', () => {
  test('parses exact hosts, addresses and CIDRs; refuses wildcards, short prefixes and junk', () => {
    const l = parseInternalAllowList(' minio.internal , 10.20.0.0/16,192.168.1.7, fd12:3456::/48, Hooks.Corp.LAN. ,[fd00::5]');
    assert.deepEqual(l.entries, ['minio.internal', '10.20.0.0/16', '192.168.1.7/32', 'fd12:3456::/48', 'hooks.corp.lan', 'fd00::5/128']);
    assert.deepEqual(parseInternalAllowList(undefined).entries, []);
    assert.deepEqual(parseInternalAllowList('').entries, []);
    for (const [bad, why] of [
      ['*.internal', /no wildcards/],
      ['10.0.0.0/4', /would open/],
      ['0.0.0.0/0', /would open/],
      ['::/0', /would open/],
      ['10.0.0.0/33', /prefix length/],
      ['10.0.0.0/x', /prefix length/],
      ['minio.internal/24', /not an address or CIDR/],
      ['http://minio.internal', /not an address or CIDR/],
      ['minio internal', /not a host name/],
      ['a_b.internal', /not a host name/],
    ] as const) {
      assert.throws(() => parseInternalAllowList(bad), why, bad);
    }
    assert.throws(() => loadConfig({ WEBHOOK_INTERNAL_ALLOW: '*.corp' }), (e: unknown) => e instanceof ConfigError && /^WEBHOOK_INTERNAL_ALLOW: .*no wildcards/.test(e.message));
    assert.throws(() => loadConfig({ IMAGE_URL_INTERNAL_ALLOW: '10.0.0.0/2' }), (e: unknown) => e instanceof ConfigError && /^IMAGE_URL_INTERNAL_ALLOW: /.test(e.message));
    const c = loadConfig({});
    assert.deepEqual([c.imageUrlInternalAllow.entries, c.webhookInternalAllow.entries], [[], []], 'off by default');
  });

  test('default: public only; a list opens exactly its hosts and ranges, never metadata, multicast or IPv4-in-IPv6', () => {
    const none = createAddressPolicy();
    for (const ip of ['10.20.1.1', '127.0.0.1', '192.168.1.7', 'fd12:3456::1']) assert.equal(none(ip, 'minio.internal'), false, ip);
    assert.equal(none('8.8.8.8', 'dns.google'), true);

    const p = createAddressPolicy(parseInternalAllowList('minio.internal,10.20.0.0/16,192.168.1.7,fd12:3456::/48,169.254.0.0/16,100.64.0.0/10'));
    assert.equal(p('10.20.1.1', 'anything.internal'), true, 'inside the CIDR, whatever the name');
    assert.equal(p('10.21.0.1', 'anything.internal'), false, 'outside the CIDR');
    assert.equal(p('192.168.1.7', '192.168.1.7'), true);
    assert.equal(p('192.168.1.8', '192.168.1.8'), false);
    assert.equal(p('fd12:3456::9', 'x'), true);
    assert.equal(p('fd12:3457::9', 'x'), false);
    assert.equal(p('172.16.5.5', 'minio.internal'), true, 'an exact host name: whatever it resolves to');
    assert.equal(p('172.16.5.5', 'MINIO.internal.'), true, 'host names compare case-insensitively, trailing dot ignored');
    assert.equal(p('172.16.5.5', 'evil.minio.internal'), false, 'not its subdomains');
    assert.equal(p('172.16.5.5', 'other.internal'), false);
    assert.equal(p('8.8.8.8', 'dns.google'), true, 'public stays allowed');
    for (const ip of ['169.254.169.254', '169.254.1.1', '100.100.100.200', 'fd00:ec2::254', 'fe80::1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::ffff:10.20.1.1', '::ffff:169.254.169.254', '64:ff9b::a14:101', '2002:a14:101::1']) {
      assert.equal(p(ip, 'minio.internal'), false, `${ip}: refused whatever the list says`);
    }
    assert.equal(p('100.64.0.9', 'x'), true, 'the rest of a listed CGNAT range is open');
    assert.equal(p('not-an-ip', 'minio.internal'), false);
  });
});

async function imageServer() {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.method === 'GET') res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    else res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { png, received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the service, from the environment', () => {
  test('imageBase URL on 127.0.0.1: IMAGE_URL_INTERNAL_ALLOW opens it, the default refuses it; the webhook list does not open images', async () => {
    const srv = await imageServer();
    const url = `http://127.0.0.1:${srv.port}/scan.png`;
    for (const [env, allowed] of [[{}, false], [{ WEBHOOK_INTERNAL_ALLOW: '127.0.0.1' }, false], [{ IMAGE_URL_INTERNAL_ALLOW: '127.0.0.0/8' }, true]] as const) {
      const svc = await startTestService({ env });
      try {
        if (allowed) assert.ok(Buffer.from(await svc.services.download(url)).equals(srv.png), JSON.stringify(env));
        else await assert.rejects(svc.services.download(url), (e: { code?: string }) => e.code === 'IMAGE_URL_FORBIDDEN', JSON.stringify(env));
      } finally {
        await svc.close();
      }
    }
    assert.deepEqual(srv.received, [`GET /scan.png`], 'only the allowed service connected');
    await srv.close();
  });

  test('webhook to 127.0.0.1: WEBHOOK_INTERNAL_ALLOW opens it, the default refuses it (delivery log says why)', async () => {
    const srv = await imageServer();
    for (const [env, delivered] of [[{}, false], [{ IMAGE_URL_INTERNAL_ALLOW: '127.0.0.1' }, false], [{ WEBHOOK_INTERNAL_ALLOW: '127.0.0.1' }, true]] as const) {
      const svc = await startTestService({ env, serviceOptions: { verification: { backgroundJobs: false } } });
      try {
        const tenant = await createTestTenant(svc.store);
        const webhooks = svc.services.verification.webhooks;
        await webhooks.setEndpoint(tenant.tenant.id, `http://127.0.0.1:${srv.port}/hooks`, 'whsec_test_0123456789abcdef', 1000);
        const sessionId = crypto.randomUUID();
        await svc.store.db.batch([outboxInsert(makeEvent(tenant.tenant.id, 'session.expired', { sessionId, externalId: null, status: 'EXPIRED' }, 1000))]);
        assert.equal(await svc.services.verification.worker.tick(), 1);
        const [d] = await webhooks.deliveries(sessionId);
        if (delivered) assert.equal(d!.error, null, JSON.stringify(d));
        else assert.equal(d!.error, 'address refused by the SSRF guard', JSON.stringify(env));
      } finally {
        await svc.close();
      }
    }
    assert.deepEqual(srv.received, ['POST /hooks']);
    await srv.close();
  });
});

describe('operator webhook CLI', () => {
  const run = promisify(execFile);
  const cli = (dataDir: string, env: Record<string, string>, ...args: string[]) =>
    run('npm', ['run', '--silent', 'operator', '--', ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ...env } });

  test('refuses a URL the delivery policy would refuse; accepts it once the operator lists the host', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'idv-allow-cli-'));
    try {
      const { stdout } = await run('npm', ['run', '--silent', 'tenant', '--', 'create', '--name', 'hooks'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } });
      const tenantId = (JSON.parse(stdout.trim().split('\n').pop()!) as { tenantId: string }).tenantId;
      for (const url of ['http://127.0.0.1/', 'http://10.1.2.3:8080/hooks', 'http://[::1]/', 'http://169.254.169.254/latest/meta-data/']) {
        await assert.rejects(cli(dataDir, {}, 'webhook', '--tenant', tenantId, '--url', url), (e: { code?: number; stderr?: string }) => {
          assert.equal(e.code, 2, url);
          assert.match(e.stderr ?? '', /not a public address, and not on WEBHOOK_INTERNAL_ALLOW/, url);
          return true;
        });
      }
      // Listed: accepted (and printed with its secret). Metadata stays refused even when its range is listed.
      const ok = await cli(dataDir, { WEBHOOK_INTERNAL_ALLOW: '127.0.0.1,169.254.0.0/16' }, 'webhook', '--tenant', tenantId, '--url', 'http://127.0.0.1:9000/hooks');
      assert.equal((JSON.parse(ok.stdout.trim().split('\n').pop()!) as { url: string }).url, 'http://127.0.0.1:9000/hooks');
      await assert.rejects(cli(dataDir, { WEBHOOK_INTERNAL_ALLOW: '127.0.0.1,169.254.0.0/16' }, 'webhook', '--tenant', tenantId, '--url', 'http://169.254.169.254/'), /not on WEBHOOK_INTERNAL_ALLOW/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('webhookDestinationProblem: resolves the host and asks the policy', async () => {
    const policy = createAddressPolicy(parseInternalAllowList('hooks.corp.lan'));
    const resolve = async (host: string) => {
      if (host === 'hooks.corp.lan' || host === 'other.corp.lan') return ['10.9.8.7'];
      throw new Error('ENOTFOUND');
    };
    assert.equal(await webhookDestinationProblem('https://hooks.corp.lan/idv', policy, resolve), null);
    assert.match((await webhookDestinationProblem('https://other.corp.lan/idv', policy, resolve))!, /other\.corp\.lan is 10\.9\.8\.7: not a public address/);
    assert.match((await webhookDestinationProblem('https://nowhere.corp.lan/', policy, resolve))!, /not found/);
    assert.match((await webhookDestinationProblem('ftp://hooks.corp.lan/', policy, resolve))!, /http\(s\)/);
    assert.equal(await webhookDestinationProblem('https://8.8.8.8/', policy, resolve), null);
  });
});
