/**
 * A small in-process cache with a time to live and one load in flight per key: status polls read event settings,
 * seat counts and the draw many times a second, and a few seconds of staleness is fine for all of them.
 */
export function memoize<T>(ttlMs: number, load: (key: string) => Promise<T>, options: { max?: number } = {}): Memo<T> {
  const entries = new Map<string, { value: Promise<T>; until: number }>();
  const max = options.max ?? 5_000;
  return {
    get(key: string, now: number = Date.now()): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.until > now) return hit.value;
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      const value = load(key);
      entries.set(key, { value, until: now + ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      return value;
    },
    forget(key: string): void {
      entries.delete(key);
    },
    clear(): void {
      entries.clear();
    },
  };
}

export type Memo<T> = { get(key: string, now?: number): Promise<T>; forget(key: string): void; clear(): void };

/** One memo per database handle, so a test's fresh database never sees another's cached rows. */
export function memoizePerDb<D extends object, T>(ttlMs: number, load: (db: D, key: string) => Promise<T>) {
  const memos = new WeakMap<D, Memo<T>>();
  const forDb = (db: D): Memo<T> => {
    let memo = memos.get(db);
    if (!memo) memos.set(db, (memo = memoize(ttlMs, (key) => load(db, key))));
    return memo;
  };
  return { get: (db: D, key: string, now?: number) => forDb(db).get(key, now), forget: (db: D, key: string) => forDb(db).forget(key) };
}
