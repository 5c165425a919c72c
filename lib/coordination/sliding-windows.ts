/** One window's count for one key, ready to be counted once the caller decides to (see SlidingWindows.look). */
export type WindowLook = { key: string; count: number; full: boolean; resetMs: number; weightedPrevious: number };

/**
 * The sliding window of @upstash/ratelimit, in this process: a key's count in the current fixed window plus the
 * previous window's count weighted by the share of it still inside the sliding window. Shared by the in-process rate-limit
 * store and the in-process seat filter's claim guard, which must check every budget before counting any (one step),
 * so looking and counting are separate calls.
 */
export class SlidingWindows {
  private readonly counts = new Map<string, { count: number; start: number }>();
  private nextSweepAt = 0;

  /** Where `key` stands at `nowMs` against `limit` per `windowMs`; counts nothing. */
  look(key: string, limit: number, windowMs: number, nowMs: number): WindowLook {
    this.sweep(nowMs);
    const current = Math.floor(nowMs / windowMs);
    const count = this.counts.get(`${key}:${current}`)?.count ?? 0;
    const previous = this.counts.get(`${key}:${current - 1}`)?.count ?? 0;
    const weightedPrevious = Math.floor((1 - (nowMs % windowMs) / windowMs) * previous);
    return {
      key: `${key}:${current}`,
      count,
      full: weightedPrevious + count >= limit,
      resetMs: (current + 1) * windowMs,
      weightedPrevious,
    };
  }

  /** Counts one request in the window a look found; returns the window's new count. */
  count(look: WindowLook, windowMs: number): number {
    const here = this.counts.get(look.key) ?? { count: 0, start: look.resetMs - windowMs };
    here.count++;
    this.counts.set(look.key, here);
    return here.count;
  }

  /** A window older than two windows counts for nothing; the longest policy window is minutes, so an hour is safe. */
  private sweep(nowMs: number): void {
    if (nowMs < this.nextSweepAt) return;
    this.nextSweepAt = nowMs + 60_000;
    for (const [key, w] of this.counts) if (w.start < nowMs - 3_600_000) this.counts.delete(key);
  }

  clear(): void {
    this.counts.clear();
  }
}
