/**
 * Every rate limit in one table: a name, and per-account and per-IP budgets over a sliding window. Keys are
 * namespaced `{rl:<policy>:<subject kind>:<subject>}`; the braces are a Redis Cluster hash tag, so the two window
 * keys @upstash/ratelimit keeps per identifier share a slot.
 *
 * The budgets leave room for an honest visitor with a few tabs open and are far below what a script needs to hurt:
 * the queue page polls every 2–15 s (at most ~30 polls a minute); IP budgets are larger because many people can share
 * one address (offices, mobile carriers).
 */
export type Budget = { limit: number; windowMs: number };
export type RatePolicy = { perAccount?: Budget; perIp?: Budget };

const MINUTE = 60_000;

export const RATE_LIMITS = {
  'queue-join': { perAccount: { limit: 20, windowMs: MINUTE }, perIp: { limit: 300, windowMs: MINUTE } },
  'queue-status': { perAccount: { limit: 90, windowMs: MINUTE }, perIp: { limit: 3_000, windowMs: MINUTE } },
  holds: { perAccount: { limit: 30, windowMs: MINUTE }, perIp: { limit: 600, windowMs: MINUTE } },
  checkout: { perAccount: { limit: 10, windowMs: MINUTE }, perIp: { limit: 200, windowMs: MINUTE } },
  /** The public draw record can be large (every pre-queue entry); nobody needs it often. */
  'queue-draw': { perIp: { limit: 30, windowMs: MINUTE } },
} as const satisfies Record<string, RatePolicy>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export const rateLimitKey = (policy: string, kind: 'acct' | 'ip', subject: string) => `{rl:${policy}:${kind}:${subject}}`;

/**
 * Holding seats and letting them go again, over and over, keeps seats away from other buyers without buying them.
 * A buyer may end this many holds unbought (released or expired) per event within the window; the next hold is 429.
 * Counted in PostgreSQL from the holds themselves, so it holds across instances and through a Redis outage.
 */
export const ABANDONED_HOLDS: Budget = { limit: 10, windowMs: 15 * MINUTE };
