/**
 * The catalog's in-process cache: least recently used entries go first once it holds `maxEntries` entries or about
 * `maxBytes` of results. It keeps promises, so concurrent misses for one key (thousands of buyers typing the same
 * words at an on-sale) share a single query; failures are not kept.
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

type Entry<V> = { value: Promise<V>; version: string; expires: number; bytes: number };

/** UTF-16 JSON text of the value: close enough to what the objects cost, and only computed on a miss. */
const jsonSize = (value: unknown) => 2 * (JSON.stringify(value)?.length ?? 0);

export class CatalogCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private heldBytes = 0;
  private readonly now: () => number;

  constructor(private readonly options: CatalogCacheOptions<V>) {
    this.now = options.now ?? Date.now;
  }

  /** The value for `key` under `version`, loading it when absent, of another version, or expired. */
  get(key: string, version: string, maxAgeMs: number, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    const now = this.now();
    if (hit && hit.version === version && hit.expires > now) {
      // Map keeps insertion order: moving the entry to the end makes the first one the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    if (hit) this.remove(key, hit);
    const value = load();
    const entry: Entry<V> = { value, version, expires: now + maxAgeMs, bytes: 0 };
    this.entries.set(key, entry);
    value.then(
      (resolved) => {
        if (this.entries.get(key) !== entry) return; // cleared or replaced meanwhile
        const until = this.options.validUntil?.(resolved);
        if (until != null) entry.expires = Math.min(entry.expires, until);
        entry.bytes = (this.options.sizeOf ?? jsonSize)(resolved);
        this.heldBytes += entry.bytes;
        this.evict();
      },
      () => {
        if (this.entries.get(key) === entry) this.remove(key, entry);
      },
    );
    this.evict();
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.heldBytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
  }

  private evict(): void {
    while (this.entries.size > this.options.maxEntries || (this.heldBytes > this.options.maxBytes && this.entries.size > 1)) {
      const [key, entry] = this.entries.entries().next().value!;
      this.remove(key, entry);
    }
  }
}
