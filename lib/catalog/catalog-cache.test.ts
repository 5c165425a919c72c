import { describe, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { CatalogCache } from '@/lib/catalog/catalog-cache';
import { CatalogVersion } from '@/lib/catalog/catalog-version';

/** The catalog cache's rules, on a fake clock: versions, expiry, memory bounds, shared loads. */
describe('catalog cache', () => {
  const make = (options: Partial<ConstructorParameters<typeof CatalogCache<string>>[0]> = {}) => {
    let clock = 1_000;
    const cache = new CatalogCache<string>({ maxEntries: 100, maxBytes: 1 << 20, now: () => clock, ...options });
    let loads = 0;
    const load = (value: string) => () => {
      loads++;
      return Promise.resolve(value);
    };
    return { cache, load, loads: () => loads, tick: (ms: number) => (clock += ms) };
  };

  it('answers a key from memory until the version changes', async () => {
    const { cache, load, loads } = make();
    expect(await cache.get('q', 'v1', 60_000, load('a'))).toBe('a');
    expect(await cache.get('q', 'v1', 60_000, load('b'))).toBe('a');
    expect(loads()).toBe(1);
    expect(await cache.get('q', 'v2', 60_000, load('c'))).toBe('c');
    expect(await cache.get('q', 'v2', 60_000, load('d'))).toBe('c');
    expect(loads()).toBe(2);
  });

  it('shares one load between concurrent misses, and does not keep a failure', async () => {
    const { cache } = make();
    let calls = 0;
    let release!: (v: string) => void;
    const slow = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get('q', 'v', 60_000, slow), cache.get('q', 'v', 60_000, slow)]);
    release('x');
    expect(await both).toEqual(['x', 'x']);
    expect(calls).toBe(1);

    await expect(cache.get('bad', 'v', 60_000, () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    expect(await cache.get('bad', 'v', 60_000, () => Promise.resolve('fine'))).toBe('fine');
  });

  it('expires an entry at its maximum age, or earlier when its value says so', async () => {
    const { cache, load, tick } = make({ validUntil: (v) => (v === 'until-1500' ? 1_500 : null) });
    await cache.get('a', 'v', 10_000, load('plain'));
    await cache.get('b', 'v', 10_000, load('until-1500'));
    tick(499);
    expect(await cache.get('b', 'v', 10_000, load('later'))).toBe('until-1500');
    tick(1);
    expect(await cache.get('b', 'v', 10_000, load('later'))).toBe('later');
    expect(await cache.get('a', 'v', 10_000, load('x'))).toBe('plain');
    tick(9_500);
    expect(await cache.get('a', 'v', 10_000, load('x'))).toBe('x');
  });

  it('keeps within its entry and byte bounds, dropping the least recently used first', async () => {
    const { cache, load } = make({ maxEntries: 3, maxBytes: 1_000, sizeOf: (v) => v.length });
    for (const key of ['a', 'b', 'c']) await cache.get(key, 'v', 60_000, load(key));
    await cache.get('a', 'v', 60_000, load('A')); // a is now the most recently used
    await cache.get('d', 'v', 60_000, load('d'));
    await Promise.resolve();
    expect(cache.size).toBe(3);
    expect(await cache.get('b', 'v', 60_000, load('B'))).toBe('B'); // b was dropped
    expect(await cache.get('a', 'v', 60_000, load('A2'))).toBe('a'); // a was kept

    const big = make({ maxEntries: 100, maxBytes: 250, sizeOf: (v) => v.length });
    for (const key of ['1', '2', '3']) await big.cache.get(key, 'v', 60_000, big.load('x'.repeat(100)));
    await Promise.resolve();
    expect(big.cache.bytes).toBeLessThanOrEqual(250);
    expect(big.cache.size).toBe(2);
  });

  it('reads the catalog version at most once per interval, and sees its own changes at once', async () => {
    let clock = 0;
    let stored = 7;
    let reads = 0;
    const db = {
      execute: async () => {
        reads++;
        return [{ version: String(stored) }];
      },
    } as unknown as Database;
    const version = new CatalogVersion(db, { pollMs: 1_000, now: () => clock });
    const first = await version.current();
    expect(await version.current()).toBe(first);
    expect(reads).toBe(1);
    version.bump();
    const bumped = await version.current();
    expect(bumped).not.toBe(first);
    expect(reads).toBe(1);
    stored = 8; // another instance changed the catalog
    clock += 999;
    expect(await version.current()).toBe(bumped);
    expect(reads).toBe(1);
    // A second after the last read, a call starts the next read and answers under the last version meanwhile.
    clock += 1;
    expect(await version.current()).toBe(bumped);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const seen = await version.current();
    expect(seen).not.toBe(bumped);
    expect(reads).toBe(2);
    // After two quiet intervals a call waits for the read: an idle instance never answers under an old version.
    stored = 9;
    clock += 2_000;
    expect(await version.current()).not.toBe(seen);
    expect(reads).toBe(3);
  });
});
