import { eventTag } from '../keys';

/**
 * The seat filter (lib/inventory's port): short claims on seats in front of PostgreSQL, so a conflict is refused
 * without a database round trip. Nothing here is a source of truth: PostgreSQL decides every hold and sale, and a
 * lost or stale claim only makes the filter less useful. Both adapters (./redis.ts, ./memory.ts) pass
 * tests/integration/coordination-seats.contract.test.ts.
 */
export interface SeatFilter {
  /** Claims all seats for the owner for ttlMs, or none of them; with a guard, only if it lets the claim through. */
  claim(
    eventId: string,
    seatIds: readonly number[],
    owner: string,
    ttlMs: number,
    guard?: ClaimGuard,
  ): Promise<ClaimResult>;

  /** Drops the owner's claims on these seats (others' claims are left alone). */
  release(eventId: string, seatIds: readonly number[], owner: string): Promise<void>;

  /** Sets a new expiry on the owner's claims; returns how many were still the owner's. */
  extend(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number): Promise<number>;

  /**
   * Records what PostgreSQL knows to be taken, so the next request for these seats is refused here:
   * `untilMs` null means sold (no expiry), a number means held until then.
   */
  markTaken(eventId: string, seats: readonly { seatId: number; untilMs: number | null }[]): Promise<void>;

  /** Forgets every claim and mark of the event's seats (a sold seat came back, an event was reset). */
  clear(eventId: string, seatIds: readonly number[]): Promise<void>;
}

export type ClaimResult =
  /** Every seat is now claimed by the owner; `fresh` lists the seats this call claimed (not already the owner's). */
  | { ok: true; fresh: number[] }
  /** Nothing changed; these seats are claimed by someone else (or known sold). */
  | { ok: false; taken: number[] }
  /** Nothing changed: the guard's budget `limit` (its index) is spent until `resetMs`. */
  | { ok: false; limited: { limit: number; resetMs: number } }
  /** Nothing changed: the guard's admission was ended early (the shopping window is over). */
  | { ok: false; admissionEnded: true };

/**
 * What a claim checks first, in the same atomic step (a hold's whole conversation with the store is one round trip):
 * the owner's admission was not ended early (the queue store's record of ended windows), and sliding-window budgets
 * (counted only when all have room, as @upstash/ratelimit's sliding window counts) for keys under the event's hash tag.
 */
export type ClaimGuard = {
  nowMs: number;
  admission?: { visitor: string; untilMs: number };
  limits?: { key: string; limit: number; windowMs: number }[];
};

/** Owner value that marks a seat as sold; never a user id (those are not allowed to contain ':'). */
export const SOLD_OWNER = ':sold';
/** Owner value that marks a seat PostgreSQL says is held by someone. */
export const DB_OWNER = ':db';

/** A rate-limit key in the event's slot, so a claim's guard can count it in the same script. */
export const eventLimitKey = (eventId: string, policy: string, subject: string) =>
  `${eventTag(eventId)}:rl:${policy}:${subject}`;
export const seatKey = (eventId: string, seatId: number) => `${eventTag(eventId)}:seat:${seatId}`;
