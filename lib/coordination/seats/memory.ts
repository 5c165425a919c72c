import { ExpiringEntries } from '../expiring-entries';
import { SlidingWindows } from '../sliding-windows';
import { DB_OWNER, SOLD_OWNER, seatKey, type ClaimGuard, type ClaimResult, type SeatFilter } from './port';

/** Whether an admission was ended early: the in-process queue store answers it (MemoryQueueStore.isAdmissionEnded). */
export type AdmissionEndedLookup = (eventId: string, visitor: string, untilMs: number) => boolean;

/**
 * The seat filter in this process, for the embedded mode (one server process). Operations are synchronous inside,
 * so each is atomic just like a Redis script; the claim guard reads the queue store's ended admissions through
 * `admissionEnded`, as the Redis script reads the queue's key.
 */
export class MemorySeatFilter implements SeatFilter {
  private readonly claims: ExpiringEntries;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly admissionEnded: AdmissionEndedLookup = () => false,
    private readonly budgets = new SlidingWindows(),
  ) {
    this.claims = new ExpiringEntries(now);
  }

  async claim(
    eventId: string,
    seatIds: readonly number[],
    owner: string,
    ttlMs: number,
    guard?: ClaimGuard,
  ): Promise<ClaimResult> {
    this.claims.sweep();
    if (guard?.admission && this.admissionEnded(eventId, guard.admission.visitor, guard.admission.untilMs))
      return { ok: false, admissionEnded: true };
    if (guard?.limits?.length) {
      // All budgets are checked before any is counted, as one step.
      const looks = guard.limits.map(({ key, limit, windowMs }) =>
        this.budgets.look(key, limit, windowMs, guard.nowMs),
      );
      const full = looks.findIndex((w) => w.full);
      if (full >= 0) return { ok: false, limited: { limit: full, resetMs: looks[full]!.resetMs } };
      looks.forEach((look, i) => this.budgets.count(look, guard.limits![i]!.windowMs));
    }
    const taken = seatIds.filter((id) => {
      const entry = this.claims.get(seatKey(eventId, id));
      return entry !== undefined && entry.owner !== owner;
    });
    if (taken.length > 0) return { ok: false, taken };
    const expiresAt = this.now() + ttlMs;
    const fresh: number[] = [];
    for (const id of seatIds) {
      const key = seatKey(eventId, id);
      if (!this.claims.get(key)) fresh.push(id);
      this.claims.set(key, { owner, expiresAt });
    }
    return { ok: true, fresh };
  }

  async release(eventId: string, seatIds: readonly number[], owner: string): Promise<void> {
    for (const id of seatIds) {
      const key = seatKey(eventId, id);
      if (this.claims.get(key)?.owner === owner) this.claims.delete(key);
    }
  }

  async extend(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number> {
    let extended = 0;
    for (const id of seatIds) {
      const entry = this.claims.get(seatKey(eventId, id));
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
      this.claims.set(seatKey(eventId, seatId), {
        owner: untilMs === null ? SOLD_OWNER : DB_OWNER,
        expiresAt: untilMs ?? Number.POSITIVE_INFINITY,
      });
    }
  }

  async clear(eventId: string, seatIds: readonly number[]): Promise<void> {
    for (const id of seatIds) this.claims.delete(seatKey(eventId, id));
  }

  /** Forgets every claim (the process's coordinator closed). */
  forgetAll(): void {
    this.claims.clear();
    this.budgets.clear();
  }
}
