/**
 * Downloads an imageBase URL without letting a caller reach our internal network (SSRF guard):
 *  - only http: and https:, no credentials in the URL;
 *  - we resolve the host ourselves and connect to a checked address (the socket's `lookup` returns
 *    the address we checked, so DNS cannot answer differently between check and connect);
 *  - every redirect is a new URL that goes through the same checks (at most `maxRedirects`);
 *  - a size cap (Content-Length and counted bytes) and one deadline for the whole download.
 * Limits (honest): an allowed public host can still serve anything; we do not refuse public
 * addresses of our own cloud's front ends; HTTPS certificates are verified as usual.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { CodedError } from '../../shared/errors.js';
import { isPublicAddress, type AddressPolicy } from './address-policy.js';

export interface DownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export interface DownloaderDeps {
  /** Resolves a host name to addresses (default: the system resolver, all addresses). */
  resolve?: (host: string) => Promise<string[]>;
  /**
   * Which resolved addresses may be connected to (default: isPublicAddress). The service passes
   * createAddressPolicy(IMAGE_URL_INTERNAL_ALLOW); tests that need a local server pass a
   * permissive one.
   */
  addressPolicy?: AddressPolicy;
}

export type ImageDownloader = (url: string) => Promise<Uint8Array>;

const systemResolve = async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function createImageDownloader(opts: DownloadOptions, deps: DownloaderDeps = {}): ImageDownloader {
  const resolve = deps.resolve ?? systemResolve;
  const allowed = deps.addressPolicy ?? isPublicAddress;

  async function pickAddress(hostname: string): Promise<string> {
    const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    let addresses: string[];
    if (isIP(host)) addresses = [host];
    else {
      try {
        addresses = await resolve(host);
      } catch {
        throw new CodedError('IMAGE_DOWNLOAD_FAILED', 'host not found');
      }
    }
    const ok = addresses.filter((a) => allowed(a, host));
    if (ok.length === 0) throw new CodedError('IMAGE_URL_FORBIDDEN');
    return ok[0]!;
  }

  function get(url: URL, address: string, signal: AbortSignal): Promise<{ status: number; location?: string; body: Buffer }> {
    return new Promise((resolvePromise, reject) => {
      const family = isIP(address);
      const lookup: LookupFunction = (_host, options, cb) => {
        if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
        else cb(null, address, family);
      };
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(
        url,
        { method: 'GET', lookup, signal, headers: { accept: 'image/*', 'user-agent': 'idv-enrolment/0.1' }, agent: false },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            res.resume();
            resolvePromise({ status, ...(res.headers.location ? { location: res.headers.location } : {}), body: Buffer.alloc(0) });
            return;
          }
          if (status !== 200) {
            res.resume();
            reject(new CodedError('IMAGE_DOWNLOAD_FAILED', `status ${status}`));
            return;
          }
          const declared = Number(res.headers['content-length'] ?? '0');
          if (declared > opts.maxBytes) {
            res.destroy();
            reject(new CodedError('IMAGE_TOO_LARGE'));
            return;
          }
          const chunks: Buffer[] = [];
          let total = 0;
          res.on('data', (c: Buffer) => {
            total += c.length;
            if (total > opts.maxBytes) {
              res.destroy();
              reject(new CodedError('IMAGE_TOO_LARGE'));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => resolvePromise({ status, body: Buffer.concat(chunks) }));
          res.on('error', () => reject(new CodedError('IMAGE_DOWNLOAD_FAILED')));
        },
      );
      req.on('error', (err) => reject(err instanceof CodedError ? err : new CodedError('IMAGE_DOWNLOAD_FAILED')));
      req.end();
    });
  }

  return async (raw) => {
    const signal = AbortSignal.timeout(opts.timeoutMs);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new CodedError('IMAGE_URL_FORBIDDEN');
    }
    for (let hop = 0; hop <= opts.maxRedirects; hop++) {
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
        throw new CodedError('IMAGE_URL_FORBIDDEN');
      }
      const address = await pickAddress(url.hostname);
      let res;
      try {
        res = await get(url, address, signal);
      } catch (err) {
        if (signal.aborted) throw new CodedError('IMAGE_DOWNLOAD_FAILED', 'timeout');
        throw err;
      }
      if (!res.location && res.status >= 300) throw new CodedError('IMAGE_DOWNLOAD_FAILED', 'redirect without location');
      if (!res.location) return res.body;
      try {
        url = new URL(res.location, url);
      } catch {
        throw new CodedError('IMAGE_DOWNLOAD_FAILED', 'bad redirect');
      }
    }
    throw new CodedError('IMAGE_DOWNLOAD_FAILED', 'too many redirects');
  };
}
