/** An owned key with an absolute expiry, as the in-process adapters keep what Redis keeps with PX. */
export type Entry = { owner: string; expiresAt: number };

/**
 * Keys that expire, for the in-process adapters (seat claims, leases). An expired entry is dropped when read, as
 * Redis does lazily; the ones nobody reads again are swept once a minute at most, so memory stays bounded.
 */
export class ExpiringEntries {
  private readonly entries = new Map<string, Entry>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number) {}

  /** The live entry of `key`, or undefined when there is none or it expired. */
  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops expired entries nobody read, at most once a minute (cheap enough to call on every write path). */
  sweep(): void {
    const now = this.now();
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + 60_000;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
