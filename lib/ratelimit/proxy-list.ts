/**
 * IP addresses and CIDR blocks without Node APIs (lib/env.ts validates TRUSTED_PROXIES with it, and env is read by
 * the Edge middleware too).
 */

/** The address as bits (IPv4: 32, IPv6: 128), or null when `value` is not a bare IP address. */
function parseAddress(value: string): { version: 4 | 6; bits: bigint } | null {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
    const octets = value.split('.').map(Number);
    if (octets.some((o) => o > 255)) return null;
    return { version: 4, bits: octets.reduce((n, o) => (n << 8n) | BigInt(o), 0n) };
  }
  const groups = ipv6Groups(value);
  return groups ? { version: 6, bits: groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n) } : null;
}

/** The eight 16-bit groups of an IPv6 address (with '::' and an IPv4 tail expanded), or null. */
export function ipv6Groups(value: string): number[] | null {
  if (!/^[\da-f:.]+$/i.test(value) || !value.includes(':')) return null;
  let text = value;
  const tail = /(\d{1,3}(\.\d{1,3}){3})$/.exec(text)?.[1];
  if (tail) {
    const v4 = parseAddress(tail);
    if (!v4) return null;
    text = `${text.slice(0, -tail.length)}${(Number(v4.bits >> 16n) & 0xffff).toString(16)}:${(Number(v4.bits) & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (fill < (halves.length === 2 ? 1 : 0)) return null;
  const parts = [...left, ...Array<string>(fill).fill('0'), ...right];
  if (parts.length !== 8 || parts.some((g) => !/^[\da-f]{1,4}$/i.test(g))) return null;
  return parts.map((g) => parseInt(g, 16));
}

/** A bare IP address as written canonically enough to compare (IPv4-mapped IPv6 as IPv4, lower case), or null. */
export function normalizeAddress(value: string): string | null {
  // Every request asks this of its peer (and of forwarded hops), mostly the same few addresses: remembered, up to a
  // bound (a flood of new addresses only empties the memo), since parsing cost 4% of a refused hold's CPU (issue 14).
  const known = normalized.get(value);
  if (known !== undefined) return known;
  const v =
    value.toLowerCase().startsWith('::ffff:') && parseAddress(value.slice(7))?.version === 4 ? value.slice(7) : value;
  const result = parseAddress(v) ? v.toLowerCase() : null;
  if (normalized.size >= MEMO_SIZE) normalized.clear();
  normalized.set(value, result);
  return result;
}
const MEMO_SIZE = 4_096;
const normalized = new Map<string, string | null>();

export type ProxyList = { empty: boolean; has(address: string): boolean };

/** Parses a list of addresses and CIDR blocks separated by commas or spaces; throws naming a bad entry. */
export function parseProxyList(spec: string | undefined): ProxyList {
  const blocks = (spec ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const [address, bits] = entry.split('/') as [string, string | undefined];
      const parsed = parseAddress(address);
      if (!parsed || entry.split('/').length > 2) throw new Error(`not an IP address or CIDR block: ${entry}`);
      const width = parsed.version === 4 ? 32 : 128;
      const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!(prefix >= 0 && prefix <= width)) throw new Error(`not a CIDR prefix length: ${entry}`);
      const shift = BigInt(width - prefix);
      return { version: parsed.version, shift, network: parsed.bits >> shift };
    });
  const answers = new Map<string, boolean>();
  return {
    empty: blocks.length === 0,
    has(address) {
      const known = answers.get(address);
      if (known !== undefined) return known;
      const parsed = parseAddress(address);
      const inside = Boolean(
        parsed && blocks.some((b) => b.version === parsed.version && parsed.bits >> b.shift === b.network),
      );
      if (answers.size >= MEMO_SIZE) answers.clear();
      answers.set(address, inside);
      return inside;
    },
  };
}
