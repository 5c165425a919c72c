import { ExpiringEntries } from '../expiring-entries';
import type { Leases } from './port';

/** Leases in this process (the embedded mode). */
export class MemoryLeases implements Leases {
  private readonly entries: ExpiringEntries;

  constructor(private readonly now: () => number = Date.now) {
    this.entries = new ExpiringEntries(now);
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    this.entries.sweep();
    if (this.entries.get(key)) return false;
    this.entries.set(key, { owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async release(key: string, owner: string): Promise<void> {
    if (this.entries.get(key)?.owner === owner) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
