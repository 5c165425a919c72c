import { LRUCache } from 'lru-cache';

/**
 * A small in-process cache with a time to live and one load in flight per key (on lru-cache): status polls read
 * event settings, seat counts and the draw many times a second, and a few seconds of staleness is fine for all of
 * them. Time is the caller's `now` (the queue's clock, which tests drive); a failed load is not kept.
 */
function memoize<T>(ttlMs: number, load: (key: string) => Promise<T>, options: { max?: number } = {}): Memo<T> {
  let clock = Date.now();
  const entries = new LRUCache<string, Promise<T>>({
    max: options.max ?? 5_000,
    ttl: ttlMs,
    ttlResolution: 0,
    perf: { now: () => clock },
  });
  return {
    get(key: string, now: number = Date.now()): Promise<T> {
      clock = now;
      const hit = entries.get(key);
      if (hit) return hit;
      const value = load(key);
      entries.set(key, value);
      value.catch(() => {
        if (entries.peek(key) === value) entries.delete(key);
      });
      return value;
    },
    forget(key: string): void {
      entries.delete(key);
    },
  };
}

type Memo<T> = { get(key: string, now?: number): Promise<T>; forget(key: string): void };

/** One memo per database handle, so a test's fresh database never sees another's cached rows. */
export function memoizePerDb<D extends object, T>(ttlMs: number, load: (db: D, key: string) => Promise<T>) {
  const memos = new WeakMap<D, Memo<T>>();
  const forDb = (db: D): Memo<T> => {
    let memo = memos.get(db);
    if (!memo) memos.set(db, (memo = memoize(ttlMs, (key) => load(db, key))));
    return memo;
  };
  return {
    get: (db: D, key: string, now?: number) => forDb(db).get(key, now),
    forget: (db: D, key: string) => forDb(db).forget(key),
  };
}
