import 'server-only';
import { Ratelimit } from '@upstash/ratelimit';
import type { Redis } from '@upstash/redis';
import { TIMED_OUT, withinDeadline } from '../deadline';
import type { RateLimitResult, RateLimitStore } from './port';

/**
 * The key's hash tag: Redis Cluster hashes only the part between the first `{` and the next `}` when there is one.
 * A sliding window touches two keys per call (`rl:<key>:<this window>` and `rl:<key>:<previous>`), which must share a
 * slot on a cluster, so a key without a tag of its own is wrapped in one. lib/ratelimit's keys (`{rl:...}`) and the
 * hold budgets (`{ev:...}:rl:...`) already carry one and are left alone.
 */
export function withHashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key : `{${key}}`;
}

/**
 * The sliding window of @upstash/ratelimit 2.0.8 (`slidingWindowLimitScript`) without its dynamic-limit key, for a
 * Redis Cluster. KEYS: this window's count, the previous window's. ARGV: limit, now ms, window ms.
 * Returns the requests left after this one, or -1 when the budget is spent (nothing counted).
 */
const SLIDING_WINDOW = `
local limit, now, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = math.floor((1 - (now % window) / window) * tonumber(redis.call('GET', KEYS[2]) or '0'))
if previous + current >= limit then return -1 end
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], window * 2 + 1000) end
return limit - (count + previous)
`;

/**
 * The rate-limit store in Redis, shared by every app instance.
 *
 * On one Redis (or Upstash) it is @upstash/ratelimit's sliding window (pinned to 2.0.8: 2.1+ starts its scripts with
 * a `#!lua flags=` line that Redis 7 rejects). On a Redis Cluster that library cannot run: its script always passes a
 * third key, `""` when dynamic limits are off, which hashes to slot 0, so nearly every call fails with CROSSSLOT
 * (decision 034). There the same algorithm runs as our own script on the two window keys, with the same key names
 * and the same in-process memory of blocked keys.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly slidingWindow;
  /** Keys known to be over budget until the given time: fewer round trips under attack (the library's ephemeralCache). */
  private readonly blocked = new Map<string, number>();

  /** `timeoutMs`: how long a check waits for Redis (its time, not this process's: ../deadline.ts). */
  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs = 1_000,
    private readonly cluster = false,
  ) {
    this.slidingWindow = redis.createScript<number>(SLIDING_WINDOW);
  }

  async limit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const tagged = withHashTag(key);
    const result = await withinDeadline(
      this.cluster ? this.limitInScript(tagged, limit, windowMs) : this.limiter(limit, windowMs).limit(tagged),
      this.timeoutMs,
    );
    if (result === TIMED_OUT)
      return { success: true, limit, remaining: limit, resetMs: Date.now() + windowMs, timedOut: true };
    return { success: result.success, limit: result.limit, remaining: result.remaining, resetMs: result.reset };
  }

  /** One @upstash/ratelimit limiter per (limit, window); the identifier is the tagged key, prefixed `rl:`. */
  private limiter(limit: number, windowMs: number): Ratelimit {
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
    return limiter;
  }

  /** The cluster's path: the library's answer, from SLIDING_WINDOW on the library's key names. */
  private async limitInScript(key: string, limit: number, windowMs: number) {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const reset = (window + 1) * windowMs;
    const identifier = `rl:${key}`;
    const blockedUntil = this.blocked.get(identifier);
    if (blockedUntil !== undefined && blockedUntil > now) return { success: false, limit, remaining: 0, reset };
    const left = Number(
      await this.slidingWindow.exec(
        [`${identifier}:${window}`, `${identifier}:${window - 1}`],
        [String(limit), String(now), String(windowMs)],
      ),
    );
    if (left < 0) {
      if (this.blocked.size > 1_000) this.blocked.clear();
      this.blocked.set(identifier, reset);
    }
    return { success: left >= 0, limit, remaining: Math.max(0, left), reset };
  }
}
