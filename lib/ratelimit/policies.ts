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
/**
 * `perAccount` counts per account (for sign-in and sign-up, per email address, which need not be an account);
 * `perIp` per client address; `perIpAndScope` per client address within a scope the caller names (the event of a
 * hold), so one address's budget on one event does not spend its budget elsewhere.
 */
export type RatePolicy = { perAccount?: Budget; perIp?: Budget; perIpAndScope?: Budget };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const RATE_LIMITS = {
  'queue-join': { perAccount: { limit: 20, windowMs: MINUTE }, perIp: { limit: 300, windowMs: MINUTE } },
  'queue-status': { perAccount: { limit: 90, windowMs: MINUTE }, perIp: { limit: 3_000, windowMs: MINUTE } },
  /**
   * Holds per account, and per address and event: a farm of accounts behind one address cannot sweep an event's map
   * (issue 15, item 8), while the many buyers a mobile carrier or an office puts behind one address can still shop
   * (sixty holds on one event in ten minutes; with sign-ups per address limited and a proof of work on high-demand
   * events, one address rarely has that many accounts to hold with). Both are counted per event, inside the hold's
   * seat claim (one round trip to the coordinator; lib/inventory/hold-guard.ts), and in each instance's own limiter
   * while the coordinator is down.
   */
  holds: { perAccount: { limit: 30, windowMs: MINUTE }, perIpAndScope: { limit: 60, windowMs: 10 * MINUTE } },
  checkout: { perAccount: { limit: 10, windowMs: MINUTE }, perIp: { limit: 200, windowMs: MINUTE } },
  /**
   * Discount codes tried at checkout (the checkout page's preview and payments that carry a code): a person types a
   * few; a script guessing codes is stopped per account and per address (decision 040).
   */
  'discount-code': { perAccount: { limit: 20, windowMs: 10 * MINUTE }, perIp: { limit: 100, windowMs: 10 * MINUTE } },
  /** Waitlist join, leave and reads: an honest buyer needs a few; the join form retries on a typo. */
  waitlist: { perAccount: { limit: 30, windowMs: MINUTE }, perIp: { limit: 600, windowMs: MINUTE } },
  /** The public draw record can be large (every pre-queue entry); nobody needs it often. */
  'queue-draw': { perIp: { limit: 30, windowMs: MINUTE } },
  /**
   * Sign-in from a browser the account has not signed in from before (docs/decisions/021-sign-in-throttling.md):
   * five tries a minute at full speed, then one as each slot frees (about every 12 s): the progressive delay.
   */
  'sign-in': { perAccount: { limit: 5, windowMs: MINUTE }, perIp: { limit: 20, windowMs: MINUTE } },
  /**
   * Beyond ten tries in fifteen minutes the account is locked for such browsers until the window slides (at most
   * fifteen minutes). Refused tries are not counted, so an attacker cannot stretch the lock by hammering it.
   */
  'sign-in-lock': { perAccount: { limit: 10, windowMs: 15 * MINUTE }, perIp: { limit: 100, windowMs: HOUR } },
  /** A browser that signed in to the account before (its trusted-device cookie): a budget of its own, per account. */
  'sign-in-device': { perAccount: { limit: 10, windowMs: 15 * MINUTE } },
  /** Sign-ups per address (and per email address, so one address cannot be hammered for whether it exists). */
  'sign-up': { perAccount: { limit: 5, windowMs: HOUR }, perIp: { limit: 10, windowMs: HOUR } },
  /**
   * Ticket transfers offered: each sends an email to an address the sender chooses, so a script could spam through
   * it. Ten an hour covers a group booking handed out one by one.
   */
  'ticket-transfer': { perAccount: { limit: 10, windowMs: HOUR }, perIp: { limit: 30, windowMs: HOUR } },
  /** Claims of transfers: the link's secret cannot be guessed, but nobody needs to try many. */
  'transfer-claim': { perAccount: { limit: 20, windowMs: 10 * MINUTE }, perIp: { limit: 60, windowMs: 10 * MINUTE } },
  /**
   * Presale codes entered (docs/decisions/041-presales-and-access-codes.md): a fan mistypes a few times; a script
   * guessing codes needs thousands of tries, and sign-ups per address are limited too.
   */
  'access-code': { perAccount: { limit: 10, windowMs: 10 * MINUTE }, perIp: { limit: 60, windowMs: 10 * MINUTE } },
  /**
   * Door scanners (/api/checkin/*): a busy gate scans a ticket every second or two and a venue's Wi-Fi puts all its
   * phones behind one address, so the address budget is large; it still stops a script hammering the scan or the
   * device-token check.
   */
  checkin: { perAccount: { limit: 300, windowMs: MINUTE }, perIp: { limit: 3_000, windowMs: MINUTE } },
  /**
   * The box office's writes (holds, sales, voids): a staff member at a busy counter makes a few a minute; this stops a
   * stolen staff session from sweeping a seat map, and caps the emails a sale can send (each ticket offered to an
   * address the staff member types).
   */
  counter: { perAccount: { limit: 60, windowMs: MINUTE }, perIp: { limit: 600, windowMs: MINUTE } },
  /** While a high-demand sale is coming: sign-ups without a proof of work (a form sent without JavaScript). */
  'sign-up-unproven': { perIp: { limit: 3, windowMs: HOUR } },
} as const satisfies Record<string, RatePolicy>;

export type RateLimitName = keyof typeof RATE_LIMITS;

export type SubjectKind = 'acct' | 'ip' | 'ip-scope';

export const rateLimitKey = (policy: string, kind: SubjectKind, subject: string) => `{rl:${policy}:${kind}:${subject}}`;

/**
 * Holding seats and letting them go again, over and over, keeps seats away from other buyers without buying them.
 * A buyer may end this many holds unbought (released or expired) per event within the window; the next hold is 429.
 * Counted in PostgreSQL from the holds themselves, so it holds across instances and through a Redis outage.
 */
export const ABANDONED_HOLDS: Budget = { limit: 10, windowMs: 15 * MINUTE };
