/**
 * Simulated buyers for the load phases: each has its own session (with better-auth's signed session cache, so no
 * request needs a session lookup), its own client address (the app limits per address too), admission cookies per
 * event, and pre-serialised request headers. The picker hands buyers out round robin while keeping every one of
 * them inside the app's per-account rate limits, so a limit never answers in place of the path being measured;
 * if the run needs more requests than the buyers' budgets allow, it says so (`exhausted`) instead of measuring 429s.
 */
import { randomInt } from 'node:crypto';
import type { Database } from '@/db/client';
import { RATE_LIMITS, type RateLimitName } from '@/lib/ratelimit/policies';
import { admittedCookie } from '../../tests/support/admission';
import { createUsers } from '../../tests/support/fixtures';
import { signedSessionCookies } from '../../tests/support/sessions';

export type Buyer = {
  index: number;
  id: string;
  email: string;
  /** better-auth.session_token and better-auth.session_data. */
  cookie: string;
  ip: string;
  /** "Cookie: …\r\nX-Forwarded-For: …\r\n" per event (with that event's admission), '' for no admission. */
  headers: Map<string, string>;
};

/** `n` accounts with signed sessions, valid for `cacheSeconds`; addresses 10.R.x.y with R random per run. */
export async function createBuyers(db: Database, n: number, options: { cacheSeconds?: number } = {}): Promise<Buyer[]> {
  if (n > 65_536) throw new Error('at most 65,536 buyers (one /16 of addresses)');
  const users = await createUsers(db, n);
  const cookies = await signedSessionCookies(
    db,
    users.map((u) => u.id),
    { cacheSeconds: options.cacheSeconds ?? 3_600 },
  );
  // A different /16 each run: the per-address limits of a run a minute ago do not count against this one.
  const net = randomInt(0, 256);
  return users.map((u, i) => {
    const ip = `10.${net}.${(i >> 8) & 255}.${i & 255}`;
    const cookie = cookies[i]!;
    return {
      index: i,
      id: u.id,
      email: u.email,
      cookie,
      ip,
      headers: new Map([['', `Cookie: ${cookie}\r\nX-Forwarded-For: ${ip}\r\n`]]),
    };
  });
}

/** Gives every buyer an admission to `eventId` (as the waiting room would, `minutes` long) and its header block. */
export async function admitBuyers(buyers: Buyer[], eventId: string, minutes = 60): Promise<void> {
  for (let i = 0; i < buyers.length; i += 500) {
    await Promise.all(
      buyers.slice(i, i + 500).map(async (b) => {
        const cookie = await admittedCookie(b.cookie, eventId, b.id, minutes);
        b.headers.set(eventId, `Cookie: ${cookie}\r\nX-Forwarded-For: ${b.ip}\r\n`);
      }),
    );
  }
}

/**
 * @upstash/ratelimit's sliding window as the app uses it (prefix rl, one key per account): fixed windows of
 * `windowMs`, the previous window's count weighted by the share of it still inside the sliding window. Tracking the
 * same estimate here keeps each buyer below the limit however the windows fall.
 */
class SlidingBudget {
  private readonly window: Float64Array;
  private readonly current: Uint32Array;
  private readonly previous: Uint32Array;

  constructor(
    n: number,
    readonly limit: number,
    private readonly windowMs: number,
    private readonly margin = 1,
  ) {
    this.window = new Float64Array(n).fill(-1);
    this.current = new Uint32Array(n);
    this.previous = new Uint32Array(n);
  }

  private roll(i: number, now: number): void {
    const w = Math.floor(now / this.windowMs);
    if (this.window[i] === w) return;
    this.previous[i] = this.window[i] === w - 1 ? this.current[i]! : 0;
    this.current[i] = 0;
    this.window[i] = w;
  }

  fits(i: number, now: number): boolean {
    this.roll(i, now);
    const weighted = Math.floor((1 - (now % this.windowMs) / this.windowMs) * this.previous[i]!);
    return weighted + this.current[i]! + 1 <= this.limit - this.margin;
  }

  use(i: number, now: number): void {
    this.roll(i, now);
    this.current[i]!++;
  }
}

/** Round-robin buyers within the per-account budgets of the rate-limit policies a route counts against. */
export class BuyerPicker {
  private cursor = 0;
  private readonly budgets = new Map<RateLimitName, SlidingBudget>();
  /** Picks that found no buyer with budget left (each would likely be answered 429). */
  exhausted = 0;

  constructor(readonly buyers: Buyer[]) {}

  private budget(policy: RateLimitName): SlidingBudget | undefined {
    let b = this.budgets.get(policy);
    const perAccount = (RATE_LIMITS[policy] as { perAccount?: { limit: number; windowMs: number } }).perAccount;
    if (!b && perAccount)
      this.budgets.set(policy, (b = new SlidingBudget(this.buyers.length, perAccount.limit, perAccount.windowMs)));
    return b;
  }

  /** The next buyer with room under `policy` (and for whom `also` holds); counts the request against it. */
  next(policy: RateLimitName | null, also?: (b: Buyer) => boolean): Buyer {
    const budget = policy ? this.budget(policy) : undefined;
    const now = Date.now();
    const n = this.buyers.length;
    for (let tried = 0; tried < n; tried++) {
      const i = this.cursor;
      this.cursor = (this.cursor + 1) % n;
      const b = this.buyers[i]!;
      if (budget && !budget.fits(i, now)) continue;
      if (also && !also(b)) continue;
      budget?.use(i, now);
      return b;
    }
    this.exhausted++;
    const b = this.buyers[this.cursor]!;
    this.cursor = (this.cursor + 1) % n;
    budget?.use(b.index, now);
    return b;
  }
}
