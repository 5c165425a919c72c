/**
 * A small in-process cache for catalog reads, which may be a few seconds stale (search is eventual, booking is
 * strong). Keeps the promise, so concurrent misses for one key share a single query; failures are not kept.
 */
export type TtlCache<V> = { get(key: string, load: () => Promise<V>): Promise<V>; clear(): void; readonly size: number };

export function ttlCache<V>({ ttlMs, max, now = Date.now }: { ttlMs: number; max: number; now?: () => number }): TtlCache<V> {
  const entries = new Map<string, { value: Promise<V>; expires: number }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value;
      entries.delete(key);
      const value = load();
      entries.set(key, { value, expires: now() + ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      // Map keeps insertion order: the first key is the oldest entry.
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      return value;
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
