import 'server-only';
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { TIMED_OUT, withinDeadline } from '../deadline';
import type { RateLimitResult, RateLimitStore } from './port';

/** The rate-limit store in Redis, shared by every app instance. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly limiters = new Map<string, Ratelimit>();

  /** `timeoutMs`: how long a check waits for Redis (its time, not this process's: ../deadline.ts). */
  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs = 1_000,
  ) {}

  /**
   * @upstash/ratelimit's sliding window (pinned to 2.0.8: 2.1+ starts its scripts with a `#!lua flags=` line that
   * Redis 7 rejects). One limiter per (limit, window); the key is the identifier, prefixed `rl:`.
   */
  async limit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const id = `${limit}/${windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.redis,
        limiter: Ratelimit.slidingWindow(limit, `${windowMs} ms`),
        prefix: 'rl',
        analytics: false,
        // Its own timer would measure this process's event loop and let the request through; ours measures Redis
        // (lib/coordination/deadline.ts), and a timeout is counted by the per-instance limiter instead.
        timeout: 0,
        // Blocked identifiers are remembered in-process until their window resets: fewer round trips under attack.
        ephemeralCache: new Map(),
      });
      this.limiters.set(id, limiter);
    }
    const result = await withinDeadline(limiter.limit(key), this.timeoutMs);
    if (result === TIMED_OUT)
      return { success: true, limit, remaining: limit, resetMs: Date.now() + windowMs, timedOut: true };
    return { success: result.success, limit: result.limit, remaining: result.remaining, resetMs: result.reset };
  }
}
