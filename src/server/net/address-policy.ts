/**
 * Which IP addresses an outgoing download may connect to: public unicast only. Everything else
 * is refused — loopback, RFC 1918 private, CGNAT (100.64/10, also Alibaba's metadata
 * 100.100.100.200), link-local (169.254/16: the AWS/GCP/Azure metadata address 169.254.169.254),
 * "this network", benchmarking, documentation, multicast, reserved, broadcast; IPv6 loopback,
 * unspecified, IPv4-mapped/-compatible/NAT64/6to4/Teredo (they can smuggle an IPv4 target),
 * unique-local fc00::/7 (AWS fd00:ec2::254), link-local, site-local and multicast.
 */
import { BlockList, isIP } from 'node:net';

// Two lists: node's BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too.
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, incl. Teredo 2001::/32
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked6.addSubnet(net, prefix, 'ipv6');
}

/** True only for a syntactically valid, public unicast IPv4/IPv6 address. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return family === 4 ? !blocked4.check(ip, 'ipv4') : !blocked6.check(ip, 'ipv6');
}

/**
 * The operator's allow-list of internal destinations (IMAGE_URL_INTERNAL_ALLOW for imageBase URLs,
 * WEBHOOK_INTERNAL_ALLOW for webhooks; both empty by default, docs/security.md "Internal
 * networks"). An entry is an exact host name (no wildcard: `minio.internal` allows whatever that
 * name resolves to, not its subdomains), an IP address, or a CIDR (`10.20.0.0/16`, `fd12::/48`).
 * Some addresses stay refused whatever the list says: cloud metadata (link-local 169.254/16 and
 * fe80::/10, 100.100.100.200, fd00:ec2::254), "this network"/unspecified, multicast, reserved, and
 * the IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
 */
export interface InternalAllowList {
  /** The entries as configured (normalised), for messages. */
  entries: string[];
  hosts: Set<string>;
  cidrs: Array<{ net: string; prefix: number; family: 'ipv4' | 'ipv6' }>;
}

export const NO_INTERNAL_ALLOW: InternalAllowList = Object.freeze({ entries: [], hosts: new Set<string>(), cidrs: [] });

const never4 = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['169.254.0.0', 16], ['100.100.100.200', 32], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) never4.addSubnet(net, prefix, 'ipv4');
const never6 = new BlockList();
for (const [net, prefix] of [
  ['::', 96], // unspecified, IPv4-compatible
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2001::', 32], // Teredo
  ['2002::', 16], // 6to4
  ['fe80::', 10],
  ['fd00:ec2::254', 128], // AWS metadata over IPv6
  ['ff00::', 8],
] as const) never6.addSubnet(net, prefix, 'ipv6');

const normaliseHost = (host: string) => host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();

/** Parses a comma-separated allow-list; throws an Error naming the bad entry. */
export function parseInternalAllowList(raw: string | undefined): InternalAllowList {
  const list: InternalAllowList = { entries: [], hosts: new Set(), cidrs: [] };
  for (const item of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const slash = item.indexOf('/');
    const addr = normaliseHost(slash >= 0 ? item.slice(0, slash) : item);
    const family = isIP(addr);
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const prefixText = slash >= 0 ? item.slice(slash + 1) : String(max);
      const prefix = Number(prefixText);
      if (!/^\d{1,3}$/.test(prefixText) || prefix > max) throw new Error(`"${item}": the prefix length must be 0..${max}`);
      if (prefix < (family === 4 ? 8 : 16)) throw new Error(`"${item}": a prefix shorter than /${family === 4 ? 8 : 16} would open (nearly) everything`);
      list.cidrs.push({ net: addr, prefix, family: family === 4 ? 'ipv4' : 'ipv6' });
      list.entries.push(`${addr}/${prefix}`);
      continue;
    }
    if (slash >= 0) throw new Error(`"${item}" is not an address or CIDR`);
    if (addr.includes('*')) throw new Error(`"${item}": no wildcards; list each host name`);
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(addr)) throw new Error(`"${item}" is not a host name, address or CIDR`);
    list.hosts.add(addr);
    list.entries.push(addr);
  }
  return list;
}

/** Decides per connection: (resolved address, the URL's host name) → may we connect? */
export type AddressPolicy = (ip: string, host: string) => boolean;

/** Public unicast addresses, plus what the operator's allow-list names (never the hard-refused ones). */
export function createAddressPolicy(allow: InternalAllowList = NO_INTERNAL_ALLOW): AddressPolicy {
  if (allow.entries.length === 0) return (ip) => isPublicAddress(ip);
  const allowed4 = new BlockList();
  const allowed6 = new BlockList();
  for (const c of allow.cidrs) (c.family === 'ipv4' ? allowed4 : allowed6).addSubnet(c.net, c.prefix, c.family);
  return (ip, host) => {
    if (isPublicAddress(ip)) return true;
    const family = isIP(ip);
    if (family === 0) return false;
    if (family === 4 ? never4.check(ip, 'ipv4') : never6.check(ip, 'ipv6')) return false;
    if (allow.hosts.has(normaliseHost(host))) return true;
    return family === 4 ? allowed4.check(ip, 'ipv4') : allowed6.check(ip, 'ipv6');
  };
}
