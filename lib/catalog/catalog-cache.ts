import { LRUCache } from 'lru-cache';

/**
 * The catalog's in-process cache, on lru-cache (docs/decisions/031-maintained-libraries.md): least recently used
 * entries go first once it holds `maxEntries` entries or about `maxBytes` of results. It keeps promises, so
 * concurrent misses for one key (thousands of buyers typing the same words at an on-sale) share a single query;
 * failures are not kept.
 *
 * Every entry is stamped with the catalog version it was loaded under (see catalog-version.ts): an entry of another
 * version is a miss, which is how a change to an event invalidates cached results on every instance. An entry also
 * expires when its value says it stops being right (the earliest matching event starts) and after `maxAgeMs` at the
 * latest, a backstop for a write path that forgets to announce its change.
 */
export type CatalogCacheOptions<V> = {
  maxEntries: number;
  /** Bound on the results held, in (approximate) bytes. */
  maxBytes: number;
  /** When the value stops being right on its own, in epoch ms (null: only a new version changes it). */
  validUntil?: (value: V) => number | null;
  /** Approximate size of a value in bytes; JSON length by default. */
  sizeOf?: (value: V) => number;
  now?: () => number;
};

type Entry<V> = { value: Promise<V>; version: string; expires: number };

/** UTF-16 JSON text of the value: close enough to what the objects cost, and only computed on a miss. */
const jsonSize = (value: unknown) => 2 * (JSON.stringify(value)?.length ?? 0);

export class CatalogCache<V> {
  private readonly entries: LRUCache<string, Entry<V>>;
  private readonly now: () => number;

  constructor(private readonly options: CatalogCacheOptions<V>) {
    this.now = options.now ?? Date.now;
    // lru-cache keeps the order, the bounds and the ages; a loading entry counts 1 byte until its value is known.
    this.entries = new LRUCache<string, Entry<V>>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      ttlResolution: 0,
      perf: { now: this.now },
    });
  }

  /** The value for `key` under `version`, loading it when absent, of another version, or expired. */
  get(key: string, version: string, maxAgeMs: number, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit?.version === version) return hit.value;
    const value = load();
    const entry: Entry<V> = { value, version, expires: this.now() + maxAgeMs };
    this.entries.set(key, entry, { ttl: Math.max(1, this.ttlUntil(entry.expires)), size: 1 });
    value.then(
      (resolved) => {
        if (this.entries.peek(key) !== entry) return; // cleared, replaced or dropped meanwhile
        const until = this.options.validUntil?.(resolved);
        if (until != null) entry.expires = Math.min(entry.expires, until);
        const ttl = this.ttlUntil(entry.expires);
        if (ttl <= 0) this.entries.delete(key);
        else this.entries.set(key, entry, { ttl, size: Math.max(1, (this.options.sizeOf ?? jsonSize)(resolved)) });
      },
      () => {
        if (this.entries.peek(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /** lru-cache keeps an entry through the whole last millisecond of its ttl; ours ends when `expires` comes. */
  private ttlUntil(expires: number): number {
    return expires - this.now() - 1;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }
}
