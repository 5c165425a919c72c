import {
  ARRIVAL_PLACE_BASE,
  RECENT_MINUTES,
  type QueueEntry,
  type QueuePolicy,
  type QueueReport,
  type QueueStore,
} from './port';

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

/**
 * The queue store in this process, for the embedded mode (one server process). Operations are synchronous inside,
 * so each is atomic just like a Redis script.
 */
export class MemoryQueueStore implements QueueStore {
  private readonly queues = new Map<string, QueueState>();

  /** The synchronous form of admissionEnded, for the in-process seat filter's claim guard. */
  isAdmissionEnded(eventId: string, visitor: string, untilMs: number): boolean {
    const ended = this.queues.get(eventId)?.ended.get(visitor);
    return ended !== undefined && ended >= untilMs;
  }

  /** Forgets every queue (the process's coordinator closed). */
  clear(): void {
    this.queues.clear();
  }

  private queue(eventId: string): QueueState {
    let q = this.queues.get(eventId);
    if (!q) this.queues.set(eventId, (q = new QueueState()));
    return q;
  }

  /** The admission rule of ./port.ts, steps 1 to 6 (the Redis adapter's `admit` in Lua). */
  private admit(q: QueueState, now: number, policy: QueuePolicy): string[] {
    for (const [v, until] of q.active) if (until <= now) q.active.delete(v);
    for (const [v, until] of q.ended) if (until <= now) q.ended.delete(v);
    if (!policy.prequeue) q.open = true;
    if (q.pre.size > 0) return [];
    const tokens =
      q.tokens === undefined
        ? policy.burst
        : Math.min(policy.burst, q.tokens + (Math.max(0, now - q.tokensAt) * policy.ratePerMinute) / 60_000);
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

  private report(
    q: QueueState,
    visitor: string | null,
    now: number,
    admitted: string[],
    joined: number | null = null,
  ): QueueReport {
    let entry: QueueEntry = { state: 'none' };
    if (visitor) {
      const until = q.active.get(visitor);
      const place = q.placeOf(visitor);
      const ticket = q.pre.get(visitor);
      if (until !== undefined) entry = { state: 'admitted', untilMs: until };
      else if (place !== undefined)
        entry = {
          state: 'waiting',
          position: q.rankOf(place) + 1,
          ticket: place >= ARRIVAL_PLACE_BASE ? place - ARRIVAL_PLACE_BASE : null,
        };
      else if (ticket !== undefined) entry = { state: 'prequeue', ticket };
    }
    const minute = Math.floor(now / 60_000);
    let count = 0;
    for (let m = minute - RECENT_MINUTES + 1; m <= minute; m++) count += q.perMinute.get(m) ?? 0;
    const sinceMs =
      q.firstAdmissionAt === undefined ? now : Math.max(q.firstAdmissionAt, (minute - RECENT_MINUTES + 1) * 60_000);
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

  async join(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
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

  async status(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport> {
    const q = this.queue(eventId);
    return this.report(q, visitor, nowMs, this.admit(q, nowMs, policy));
  }

  async leave(
    eventId: string,
    visitor: string,
    nowMs: number,
    policy: QueuePolicy,
  ): Promise<QueueReport & { left: QueueEntry['state'] }> {
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

  async admissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean> {
    return this.isAdmissionEnded(eventId, visitor, untilMs);
  }

  async closePrequeue(eventId: string): Promise<string[]> {
    const q = this.queue(eventId);
    q.open = true;
    return [...q.pre.keys()];
  }

  async applyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number> {
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
}
