/**
 * Sends one webhook request with the SSRF guard of src/server/net/: http(s) only, no credentials
 * in the URL, the host resolved by us and every address checked by the address policy (default:
 * public unicast only), the socket pinned to the checked address, redirects NOT followed (a 3xx
 * counts as a failed attempt), one deadline for connect + response, and the response body read
 * to at most 1 KiB then dropped.
 */
import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress, type AddressPolicy } from '../net/address-policy.js';

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  /** Short, safe description of a failure (no response body). */
  error: string | null;
}

export interface WebhookPosterDeps {
  resolve?: (host: string) => Promise<string[]>;
  /**
   * Which resolved addresses may be connected to. Default isPublicAddress; the service passes
   * createAddressPolicy(WEBHOOK_INTERNAL_ALLOW); tests pass one that reaches 127.0.0.1.
   */
  addressPolicy?: AddressPolicy;
}

export type WebhookPoster = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<PostResult>;

const systemResolve = async (host: string) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Is `url` acceptable as a webhook URL at all (before any DNS)? Used when an operator sets it. */
export function webhookUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be http(s)';
  if (u.username || u.password) return 'must not carry credentials';
  return null;
}

/**
 * Would the delivery be allowed to connect to `url`'s host at all? The same checks a delivery makes
 * (URL shape, DNS, the address policy), run when an operator sets the URL, so a refused URL is
 * refused then and there rather than failing later in the delivery log. Null when allowed.
 */
export async function webhookDestinationProblem(
  url: string,
  policy: AddressPolicy,
  resolve: (host: string) => Promise<string[]> = systemResolve,
): Promise<string | null> {
  const problem = webhookUrlProblem(url);
  if (problem) return problem;
  const u = new URL(url);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return `host ${host} not found (deliveries would fail)`;
  }
  if (addresses.some((a) => policy(a, host))) return null;
  return (
    `${host} is ${addresses.join(', ')}: not a public address, and not on WEBHOOK_INTERNAL_ALLOW ` +
    '(an operator\'s exact host names, addresses or CIDRs; docs/security.md "Internal networks")'
  );
}

export function createWebhookPoster(deps: WebhookPosterDeps = {}): WebhookPoster {
  const resolve = deps.resolve ?? systemResolve;
  const allowed = deps.addressPolicy ?? isPublicAddress;
  return async (rawUrl, body, headers, timeoutMs) => {
    const problem = webhookUrlProblem(rawUrl);
    if (problem) return { ok: false, statusCode: null, error: `url ${problem}` };
    const url = new URL(rawUrl);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await resolve(host);
    } catch {
      return { ok: false, statusCode: null, error: 'host not found' };
    }
    const address = addresses.find((a) => allowed(a, host));
    if (!address) return { ok: false, statusCode: null, error: 'address refused by the SSRF guard' };
    const family = isIP(address);
    const lookup: LookupFunction = (_h, options, cb) => {
      if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
      else cb(null, address, family);
    };
    const signal = AbortSignal.timeout(timeoutMs);
    return new Promise<PostResult>((done) => {
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(
        url,
        {
          method: 'POST',
          lookup,
          signal,
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'idv-enrolment-webhook/0.1', ...headers },
        },
        (res) => {
          let seen = 0;
          res.on('data', (c: Buffer) => {
            seen += c.length;
            if (seen > 1024) res.destroy();
          });
          const status = res.statusCode ?? 0;
          const finish = () => done({ ok: status >= 200 && status < 300, statusCode: status, error: status >= 200 && status < 300 ? null : `status ${status}` });
          res.on('end', finish);
          res.on('close', finish);
          res.on('error', finish);
        },
      );
      req.on('error', () => done({ ok: false, statusCode: null, error: signal.aborted ? 'timeout' : 'connection failed' }));
      req.end(body);
    });
  };
}
