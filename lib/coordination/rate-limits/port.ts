/**
 * The rate-limit store (lib/ratelimit's port): sliding-window counters shared by every app instance. Both adapters
 * (./redis.ts, ./memory.ts) pass tests/integration/coordination-rate-limits.contract.test.ts.
 */
export interface RateLimitStore {
  /**
   * Counts one request against `limit` per sliding `windowMs` for `key` (which carries its own hash tag).
   * Redis adapters use @upstash/ratelimit's sliding window (on a Redis Cluster, the same algorithm in a script of
   * ours); the in-process one the same algorithm.
   * Throws when the store fails; `timedOut` when it did not answer in time (the request was not counted).
   */
  limit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
}

export type RateLimitResult = {
  success: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
  timedOut?: boolean;
};
