/**
 * Leases: one owner at a time for a piece of background work (the pre-queue draw, cancelling an event) or a one-time
 * mark (a spent proof of work, the first failed sign-in of a window). Keys carry their own hash tag. Both adapters
 * (./redis.ts, ./memory.ts) pass tests/integration/coordination-leases.contract.test.ts.
 */
export interface Leases {
  /** A lease on `key` for `owner` (SET NX PX): true when acquired. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
}
