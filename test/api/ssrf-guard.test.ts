import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '../../src/server/net/address-policy.js';
import { createImageDownloader } from '../../src/server/net/download-image.js';
import { testOnlyAllowLoopback } from '../helpers/test-address-policy.js';

describe('address classifier', () => {
  test('refuses every non-public range', () => {
    for (const ip of [
      '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1',
      '169.254.169.254', '100.64.0.1', '100.100.100.200', '224.0.0.1', '239.255.255.250', '255.255.255.255', '240.0.0.1',
      '192.0.2.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '192.0.0.8',
      '::', '::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:0:4136:e378::1',
      'fc00::1', 'fd00:ec2::254', 'fe80::1', 'fec0::1', 'ff02::1', '2001:db8::1', '100::1',
      'not-an-ip', '', '1.2.3', 'localhost',
    ]) {
      assert.equal(isPublicAddress(ip), false, ip);
    }
  });
  test('allows public unicast', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e']) {
      assert.equal(isPublicAddress(ip), true, ip);
    }
  });
});

describe('downloader', () => {
  let server: Server;
  let port: number;
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
  before(async () => {
    server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      if (u.pathname === '/img') return void res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (u.pathname === '/big') return void res.writeHead(200).end(Buffer.alloc(2048, 1));
      if (u.pathname === '/big-chunked') {
        res.writeHead(200);
        for (let i = 0; i < 4; i++) res.write(Buffer.alloc(1024, 1));
        return void res.end();
      }
      if (u.pathname === '/redirect') return void res.writeHead(302, { location: u.searchParams.get('to')! }).end();
      if (u.pathname === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      if (u.pathname === '/hang') return; // never answers
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const opts = { maxBytes: 1500, timeoutMs: 500, maxRedirects: 2 };
  const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

  test('the default policy refuses a server on 127.0.0.1, by IP and by a name resolving to it', async () => {
    const dl = createImageDownloader(opts, { resolve: async () => ['127.0.0.1'] });
    await assert.rejects(dl(`http://127.0.0.1:${port}/img`), code('IMAGE_URL_FORBIDDEN'));
    await assert.rejects(dl(`http://images.example.test:${port}/img`), code('IMAGE_URL_FORBIDDEN'));
    const mixed = createImageDownloader(opts, { resolve: async () => ['10.0.0.1', 'fd00::1'] });
    await assert.rejects(mixed(`http://images.example.test:${port}/img`), code('IMAGE_URL_FORBIDDEN'));
  });

  test('connects to the address it checked (injected resolver), not to what the system resolves', async () => {
    const dl = createImageDownloader(opts, { resolve: async () => ['127.0.0.1'], addressPolicy: testOnlyAllowLoopback });
    const bytes = await dl(`http://no-such-host.invalid:${port}/img`);
    assert.deepEqual(Buffer.from(bytes), png);
  });

  test('every redirect is checked again', async () => {
    const dl = createImageDownloader(opts, { addressPolicy: testOnlyAllowLoopback });
    // Allowed hop → allowed target works…
    assert.deepEqual(Buffer.from(await dl(`http://127.0.0.1:${port}/redirect?to=/img`)), png);
    // …but a redirect to an address the policy refuses (127.0.0.2) is refused.
    await assert.rejects(dl(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.2:${port}/img`)}`), code('IMAGE_URL_FORBIDDEN'));
    await assert.rejects(dl(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`), code('IMAGE_URL_FORBIDDEN'));
    await assert.rejects(dl(`http://127.0.0.1:${port}/loop`), code('IMAGE_DOWNLOAD_FAILED'));
  });

  test('size cap (declared and counted), timeout, HTTP errors', async () => {
    const dl = createImageDownloader(opts, { addressPolicy: testOnlyAllowLoopback });
    await assert.rejects(dl(`http://127.0.0.1:${port}/big`), code('IMAGE_TOO_LARGE'));
    await assert.rejects(dl(`http://127.0.0.1:${port}/big-chunked`), code('IMAGE_TOO_LARGE'));
    await assert.rejects(dl(`http://127.0.0.1:${port}/missing`), code('IMAGE_DOWNLOAD_FAILED'));
    const t0 = performance.now();
    await assert.rejects(dl(`http://127.0.0.1:${port}/hang`), code('IMAGE_DOWNLOAD_FAILED'));
    assert.ok(performance.now() - t0 < 3000, 'gave up near the deadline');
    const unresolvable = createImageDownloader(opts, { resolve: async () => { throw new Error('ENOTFOUND'); } });
    await assert.rejects(unresolvable('http://nowhere.invalid/x.png'), code('IMAGE_DOWNLOAD_FAILED'));
  });
});
