import { SlidingWindows } from '../sliding-windows';
import type { RateLimitResult, RateLimitStore } from './port';

/** The rate-limit store in this process: the embedded mode's limiter, and every instance's fallback when Redis fails. */
export class MemoryRateLimitStore implements RateLimitStore {
  constructor(
    private readonly now: () => number = Date.now,
    private readonly windows = new SlidingWindows(),
  ) {}

  async limit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const look = this.windows.look(key, limit, windowMs, this.now());
    if (look.full) return { success: false, limit, remaining: 0, resetMs: look.resetMs };
    const count = this.windows.count(look, windowMs);
    return {
      success: true,
      limit,
      remaining: Math.max(0, limit - count - look.weightedPrevious),
      resetMs: look.resetMs,
    };
  }

  clear(): void {
    this.windows.clear();
  }
}
