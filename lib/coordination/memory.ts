import {
  ARRIVAL_PLACE_BASE,
  DB_OWNER,
  RECENT_MINUTES,
  SOLD_OWNER,
  seatKey,
  type ClaimGuard,
  type ClaimResult,
  type Coordinator,
  type QueueEntry,
  type QueuePolicy,
  type QueueReport,
  type RateLimitResult,
} from './port';

type Entry = { owner: string; expiresAt: number };

/** One event's waiting room, the same state the Redis adapter keeps in five keys. */
class QueueState {
  /** Visitors in line, ascending by place; `head` skips the ones already admitted (compacted now and then). */
  private line: { visitor: string; place: number }[] = [];
  private head = 0;
  private readonly places = new Map<string, number>();
  /** Pre-queue entrants in arrival order (a Map keeps insertion order). */
  readonly pre = new Map<string, number>();
  readonly active = new Map<string, number>();
  readonly ended = new Map<string, number>();
  seq = 0;
  open = false;
  tokens: number | undefined;
  tokensAt = 0;
  admittedTotal = 0;
  firstAdmissionAt: number | undefined;
  readonly perMinute = new Map<number, number>();

  get waiting(): number {
    return this.line.length - this.head;
  }

  placeOf(visitor: string): number | undefined {
    return this.places.get(visitor);
  }

  /** Zero-based rank of a place in line (binary search). */
  rankOf(place: number): number {
    let lo = this.head;
    let hi = this.line.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.line[mid]!.place < place) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.head;
  }

  enqueue(visitor: string, place: number): void {
    if (this.places.has(visitor)) return;
    const last = this.line[this.line.length - 1];
    if (!last || this.line.length === this.head || last.place < place) this.line.push({ visitor, place });
    else this.line.splice(this.head + this.rankOf(place), 0, { visitor, place });
    this.places.set(visitor, place);
  }

  remove(visitor: string): boolean {
    const place = this.places.get(visitor);
    if (place === undefined) return false;
    this.line.splice(this.head + this.rankOf(place), 1);
    this.places.delete(visitor);
    return true;
  }

  popFront(n: number): string[] {
    const out = this.line.slice(this.head, this.head + n).map((e) => e.visitor);
    this.head += out.length;
    for (const v of out) this.places.delete(v);
    if (this.head > 1024 && this.head * 2 > this.line.length) {
      this.line = this.line.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}

type Window = { count: number; start: number };

/**
 * In-process adapter for the embedded mode (one server process). Operations are synchronous inside, so each is
 * atomic just like a Redis script.
 */
export class MemoryCoordinator implements Coordinator {
  readonly mode = 'memory' as const;
  private readonly keys = new Map<string, Entry>();
  private readonly queues = new Map<string, QueueState>();
  private readonly leases = new Map<string, Entry>();
  private readonly limits = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Expired entries are dropped when read; this drops the ones nobody reads again, once a minute at most. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 60_000;
    for (const [key, entry] of this.keys) if (entry.expiresAt <= now) this.keys.delete(key);
    for (const [key, entry] of this.leases) if (entry.expiresAt <= now) this.leases.delete(key);
    // A rate-limit window older than two windows counts for nothing; the longest policy window is minutes.
    for (const [key, w] of this.limits) if (w.start < now - 3_600_000) this.limits.delete(key);
  }

  async ping(): Promise<void> {}

  private live(key: string): Entry | undefined {
    const entry = this.keys.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.keys.delete(key);
      return undefined;
    }
    return entry;
  }

  async claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number, guard?: ClaimGuard): Promise<ClaimResult> {
    this.sweep();
    if (guard?.admission) {
      const ended = this.queues.get(eventId)?.ended.get(guard.admission.visitor);
      if (ended !== undefined && ended >= guard.admission.untilMs) return { ok: false, admissionEnded: true };
    }
    if (guard?.limits?.length) {
      // All budgets are checked before any is counted, as one step.
      const windows = guard.limits.map(({ key, limit, windowMs }) => {
        const current = Math.floor(guard.nowMs / windowMs);
        const here = this.limits.get(`${key}:${current}`) ?? { count: 0, start: current * windowMs };
        const previous = this.limits.get(`${key}:${current - 1}`)?.count ?? 0;
        const weighted = Math.floor((1 - (guard.nowMs % windowMs) / windowMs) * previous);
        return { key: `${key}:${current}`, here, full: weighted + here.count >= limit, resetMs: (current + 1) * windowMs };
      });
      const full = windows.findIndex((w) => w.full);
      if (full >= 0) return { ok: false, limited: { limit: full, resetMs: windows[full]!.resetMs } };
      for (const w of windows) {
        w.here.count++;
        this.limits.set(w.key, w.here);
      }
    }
    const taken = seatIds.filter((id) => {
      const entry = this.live(seatKey(eventId, id));
      return entry !== undefined && entry.owner !== owner;
    });
    if (taken.length > 0) return { ok: false, taken };
    const expiresAt = this.now() + ttlMs;
    const fresh: number[] = [];
    for (const id of seatIds) {
      const key = seatKey(eventId, id);
      if (!this.live(key)) fresh.push(id);
      this.keys.set(key, { owner, expiresAt });
    }
    return { ok: true, fresh };
  }

  async releaseSeats(eventId: string, seatIds: readonly number[], owner: string): Promise<void> {
    for (const id of seatIds) {
      const key = seatKey(eventId, id);
      if (this.live(key)?.owner === owner) this.keys.delete(key);
    }
  }

  async extendSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number> {
    let extended = 0;
    for (const id of seatIds) {
      const entry = this.live(seatKey(eventId, id));
      if (entry?.owner === owner) {
        entry.expiresAt = this.now() + ttlMs;
        extended++;
      }
    }
    return extended;
  }

  async markTaken(eventId: string, seats: readonly { seatId: number; untilMs: number | null }[]): Promise<void> {
    for (const { seatId, untilMs } of seats) {
      if (untilMs !== null && untilMs <= this.now()) continue;
      this.keys.set(seatKey(eventId, seatId), {
        owner: untilMs === null ? SOLD_OWNER : DB_OWNER,
        expiresAt: untilMs ?? Number.POSITIVE_INFINITY,
      });
    }
  }

  async clearSeats(eventId: string, seatIds: readonly number[]): Promise<void> {
    for (const id of seatIds) this.keys.delete(seatKey(eventId, id));
  }

  private queue(eventId: string): QueueState {
    let q = this.queues.get(eventId);
    if (!q) this.queues.set(eventId, (q = new QueueState()));
    return q;
  }

  /** The admission step, as the Redis script does it: expire windows, refill the bucket, admit from the front. */
  private admit(q: QueueState, now: number, policy: QueuePolicy): string[] {
    for (const [v, until] of q.active) if (until <= now) q.active.delete(v);
    for (const [v, until] of q.ended) if (until <= now) q.ended.delete(v);
    if (!policy.prequeue) q.open = true;
    if (q.pre.size > 0) return [];
    const tokens = q.tokens === undefined ? policy.burst : Math.min(policy.burst, q.tokens + (Math.max(0, now - q.tokensAt) * policy.ratePerMinute) / 60_000);
    const n = Math.min(policy.capacity - q.active.size, Math.floor(tokens), q.waiting);
    // Stored only when spent, as the Redis script does (refilling is linear and capped: the result is the same).
    if (n > 0 || q.tokens === undefined) {
      q.tokens = tokens - Math.max(n, 0);
      q.tokensAt = now;
    }
    if (n <= 0) return [];
    const admitted = q.popFront(n);
    const until = Math.ceil((now + policy.windowMs) / 1000) * 1000;
    // A new admission must outlast an earlier one that ended early, or its token would count as ended too.
    for (const v of admitted) q.active.set(v, Math.max(until, (q.ended.get(v) ?? 0) + 1000));
    q.admittedTotal += n;
    q.firstAdmissionAt ??= now;
    const minute = Math.floor(now / 60_000);
    q.perMinute.set(minute, (q.perMinute.get(minute) ?? 0) + n);
    for (const m of q.perMinute.keys()) if (m < minute - RECENT_MINUTES - 6) q.perMinute.delete(m);
    return admitted;
  }

  private report(q: QueueState, visitor: string | null, now: number, admitted: string[], joined: number | null = null): QueueReport {
    let entry: QueueEntry = { state: 'none' };
    if (visitor) {
      const until = q.active.get(visitor);
      const place = q.placeOf(visitor);
      const ticket = q.pre.get(visitor);
      if (until !== undefined) entry = { state: 'admitted', untilMs: until };
      else if (place !== undefined) entry = { state: 'waiting', position: q.rankOf(place) + 1, ticket: place >= ARRIVAL_PLACE_BASE ? place - ARRIVAL_PLACE_BASE : null };
      else if (ticket !== undefined) entry = { state: 'prequeue', ticket };
    }
    const minute = Math.floor(now / 60_000);
    let count = 0;
    for (let m = minute - RECENT_MINUTES + 1; m <= minute; m++) count += q.perMinute.get(m) ?? 0;
    const sinceMs = q.firstAdmissionAt === undefined ? now : Math.max(q.firstAdmissionAt, (minute - RECENT_MINUTES + 1) * 60_000);
    return {
      entry,
      waiting: q.waiting,
      prequeue: q.pre.size,
      active: q.active.size,
      drawn: q.open && q.pre.size === 0,
      joined,
      admitted,
      admittedTotal: q.admittedTotal,
      recent: { count, sinceMs },
    };
  }

  async queueJoin(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const q = this.queue(eventId);
    for (const [v, until] of q.active) if (until <= nowMs) q.active.delete(v);
    if (!policy.prequeue) q.open = true;
    let joined: number | null = null;
    if (!q.active.has(visitor) && q.placeOf(visitor) === undefined && !q.pre.has(visitor)) {
      joined = ++q.seq;
      if (q.open) q.enqueue(visitor, ARRIVAL_PLACE_BASE + joined);
      else q.pre.set(visitor, joined);
    }
    return this.report(q, visitor, nowMs, this.admit(q, nowMs, policy), joined);
  }

  async queueStatus(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const q = this.queue(eventId);
    return this.report(q, visitor, nowMs, this.admit(q, nowMs, policy));
  }

  async queueLeave(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport & { left: QueueEntry['state'] }> {
    const q = this.queue(eventId);
    let left: QueueEntry['state'] = 'none';
    const until = q.active.get(visitor);
    if (until !== undefined && until > nowMs) {
      q.active.delete(visitor);
      q.ended.set(visitor, Math.max(until, q.ended.get(visitor) ?? 0));
      left = 'admitted';
    } else if (q.remove(visitor)) left = 'waiting';
    else if (q.pre.delete(visitor)) left = 'prequeue';
    return { ...this.report(q, visitor, nowMs, this.admit(q, nowMs, policy)), left };
  }

  async queueAdmissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean> {
    const ended = this.queues.get(eventId)?.ended.get(visitor);
    return ended !== undefined && ended >= untilMs;
  }

  async queueClosePrequeue(eventId: string): Promise<string[]> {
    const q = this.queue(eventId);
    q.open = true;
    return [...q.pre.keys()];
  }

  async queueApplyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number> {
    const q = this.queue(eventId);
    let moved = 0;
    order.forEach((visitor, i) => {
      if (q.pre.delete(visitor)) {
        q.enqueue(visitor, offset + i);
        moved++;
      }
    });
    if (last) {
      for (const [visitor, ticket] of q.pre) q.enqueue(visitor, ARRIVAL_PLACE_BASE + ticket);
      q.pre.clear();
    }
    return moved;
  }

  async acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(key);
    if (current && current.expiresAt > this.now()) return false;
    this.leases.set(key, { owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async releaseLease(key: string, owner: string): Promise<void> {
    if (this.leases.get(key)?.owner === owner) this.leases.delete(key);
  }

  /** The sliding window of @upstash/ratelimit: this window's count plus the previous one's, weighted by overlap. */
  async rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    this.sweep();
    const now = this.now();
    const current = Math.floor(now / windowMs);
    const resetMs = (current + 1) * windowMs;
    const here = this.limits.get(`${key}:${current}`) ?? { count: 0, start: current * windowMs };
    const previous = this.limits.get(`${key}:${current - 1}`)?.count ?? 0;
    const weightedPrevious = Math.floor((1 - (now % windowMs) / windowMs) * previous);
    if (weightedPrevious + here.count >= limit) return { success: false, limit, remaining: 0, resetMs };
    here.count++;
    this.limits.set(`${key}:${current}`, here);
    return { success: true, limit, remaining: Math.max(0, limit - here.count - weightedPrevious), resetMs };
  }

  async close(): Promise<void> {
    this.keys.clear();
    this.queues.clear();
    this.leases.clear();
    this.limits.clear();
  }
}
