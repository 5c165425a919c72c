/**
 * The one port to Redis. Two adapters implement it and pass one contract suite
 * (tests/integration/coordination.contract.test.ts): Redis through @upstash/redis (HTTP or TCP), and an in-process
 * adapter for the embedded single-process mode. Keys of one event share the hash tag `{ev:ID}`, so every script
 * stays in one Redis Cluster slot.
 *
 * Nothing here is a source of truth: PostgreSQL decides. A lost or stale key only makes the filter less useful.
 */

export type ClaimResult =
  /** Every seat is now claimed by the owner; `fresh` lists the seats this call claimed (not already the owner's). */
  | { ok: true; fresh: number[] }
  /** Nothing changed; these seats are claimed by someone else (or known sold). */
  | { ok: false; taken: number[] };

export interface Coordinator {
  readonly mode: 'redis' | 'upstash' | 'memory';

  /** Round trip to the store; throws when it does not answer. */
  ping(): Promise<void>;

  /** Claims all seats for the owner for ttlMs, or none of them. */
  claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<ClaimResult>;

  /** Drops the owner's claims on these seats (others' claims are left alone). */
  releaseSeats(eventId: string, seatIds: readonly number[], owner: string): Promise<void>;

  /** Sets a new expiry on the owner's claims; returns how many were still the owner's. */
  extendSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number>;

  /**
   * Records what PostgreSQL knows to be taken, so the next request for these seats is refused here:
   * `untilMs` null means sold (no expiry), a number means held until then.
   */
  markTaken(eventId: string, seats: readonly { seatId: number; untilMs: number | null }[]): Promise<void>;

  /** Forgets every claim and mark of the event's seats (a sold seat came back, an event was reset). */
  clearSeats(eventId: string, seatIds: readonly number[]): Promise<void>;

  close(): Promise<void>;
}

/** Owner value that marks a seat as sold; never a user id (those are not allowed to contain ':'). */
export const SOLD_OWNER = ':sold';
export const DB_OWNER = ':db';

export const eventTag = (eventId: string) => `{ev:${eventId}}`;
export const seatKey = (eventId: string, seatId: number) => `${eventTag(eventId)}:seat:${seatId}`;
