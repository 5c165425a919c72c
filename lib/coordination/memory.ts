import { DB_OWNER, SOLD_OWNER, seatKey, type ClaimResult, type Coordinator } from './port';

type Entry = { owner: string; expiresAt: number };

/**
 * In-process adapter for the embedded mode (one server process). Operations are synchronous inside, so each is
 * atomic just like a Redis script.
 */
export class MemoryCoordinator implements Coordinator {
  readonly mode = 'memory' as const;
  private readonly keys = new Map<string, Entry>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Expired entries are dropped when read; this drops the ones nobody reads again, once a minute at most. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 60_000;
    for (const [key, entry] of this.keys) if (entry.expiresAt <= now) this.keys.delete(key);
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

  async claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<ClaimResult> {
    this.sweep();
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

  async close(): Promise<void> {
    this.keys.clear();
  }
}
