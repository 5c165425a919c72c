import { env } from '@/lib/env';
import { connectionContext } from '@/lib/http/connection-context';
import { ipv6Groups, normalizeAddress, parseProxyList, type ProxyList } from './proxy-list';

/**
 * The client's address, as the per-address rate limits see it, and never something a client can choose:
 * - Behind the production server (lib/http/node-server.ts), the address it resolved from the socket: the socket's
 *   own address, or, when the socket belongs to a proxy listed in TRUSTED_PROXIES, the right-most X-Forwarded-For hop
 *   that is not a trusted proxy (every hop to its left could have been written by the client).
 * - Elsewhere (a serverless host, `next dev` without our server, tests calling handlers), there is no socket to ask:
 *   with TRUSTED_PROXIES set, the platform's proxy in front is trusted and its X-Forwarded-For read the same way;
 *   without it the address is unknown (null) and per-address limits are skipped rather than shared by everyone.
 * IPv6 clients are limited per /64, the block one subscriber usually gets, so rotating addresses within it does not
 * buy more requests.
 */
export function clientIp(headers: Headers): string | null {
  const known = connectionContext.getStore()?.clientAddress;
  if (known) return known === 'unknown' ? null : addressBucket(known);
  const trusted = trustedProxies();
  if (trusted.empty) return null;
  const resolved = rightmostUntrusted(headers.get('x-forwarded-for'), trusted);
  return resolved ? addressBucket(resolved) : null;
}

/** The client address of a connection: the socket's, or the forwarded one when the socket is a trusted proxy. */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: ProxyList = trustedProxies(),
): string {
  const peer = normalizeAddress(socketAddress ?? '');
  if (!peer) return 'unknown';
  if (trusted.empty || !trusted.has(peer)) return peer;
  return rightmostUntrusted(Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor, trusted) ?? peer;
}

function rightmostUntrusted(header: string | null | undefined, trusted: ProxyList): string | null {
  if (!header) return null;
  const hops = header.split(',');
  let innermost: string | null = null;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!.trim());
    if (!hop) return innermost; // garbage in the chain: nothing to the left of it can be believed
    if (!trusted.has(hop)) return hop;
    innermost = hop;
  }
  return innermost; // every hop is one of our proxies: the request started inside
}

function addressBucket(ip: string): string {
  if (!ip.includes(':')) return ip;
  const groups = ipv6Groups(ip);
  return groups
    ? `${groups
        .slice(0, 4)
        .map((g) => g.toString(16))
        .join(':')}::/64`
    : ip;
}

let cached: { spec: string | undefined; list: ProxyList } | undefined;
function trustedProxies(): ProxyList {
  const spec = env().TRUSTED_PROXIES;
  if (!cached || cached.spec !== spec) cached = { spec, list: parseProxyList(spec) };
  return cached.list;
}
