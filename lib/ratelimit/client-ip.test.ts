import { describe, expect, it } from 'vitest';
import { resolveClientAddress } from '@/lib/ratelimit/client-ip';
import { parseProxyList } from '@/lib/ratelimit/proxy-list';

describe('the client address (TRUSTED_PROXIES)', () => {
  const none = parseProxyList('');
  const nginx = parseProxyList('127.0.0.1, 10.0.0.0/8, ::1');

  it('is the socket’s address when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(resolveClientAddress('203.0.113.7', '198.51.100.1', none)).toBe('203.0.113.7');
    // Rotating the header buys nothing: every request of this client is the same address.
    expect(
      new Set(['1.1.1.1', '2.2.2.2', '3.3.3.3, 4.4.4.4'].map((xff) => resolveClientAddress('203.0.113.7', xff, none))),
    ).toEqual(new Set(['203.0.113.7']));
    expect(resolveClientAddress('::ffff:203.0.113.7', undefined, none)).toBe('203.0.113.7');
  });

  it('is the right-most hop that is not a trusted proxy when the socket is one', () => {
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1', nginx)).toBe('198.51.100.1');
    // Whatever the client wrote to the left of the real hops is ignored.
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3', nginx)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.9.9.9', ['6.6.6.6', '198.51.100.2'], nginx)).toBe('198.51.100.2');
    // A request that started inside (every hop a proxy) is the innermost one; garbage stops the walk.
    expect(resolveClientAddress('127.0.0.1', '10.0.0.5, 10.0.0.6', nginx)).toBe('10.0.0.5');
    expect(resolveClientAddress('127.0.0.1', 'evil, 198.51.100.3', nginx)).toBe('198.51.100.3');
    expect(resolveClientAddress('127.0.0.1', 'not-an-ip', nginx)).toBe('127.0.0.1');
    // The same header from an untrusted socket is not believed.
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1', nginx)).toBe('203.0.113.9');
  });

  it('parses addresses and CIDR blocks of both families, and names a bad entry', () => {
    const list = parseProxyList('192.168.0.0/16 2001:db8::/32');
    expect(list.has('192.168.44.1')).toBe(true);
    expect(list.has('192.169.0.1')).toBe(false);
    expect(list.has('2001:db8:1::1')).toBe(true);
    expect(list.has('2001:db9::1')).toBe(false);
    expect(() => parseProxyList('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseProxyList('proxy.example')).toThrow(/proxy\.example/);
  });
});
