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
  | { ok: false; taken: number[] }
  /** Nothing changed: the guard's budget `limit` (its index) is spent until `resetMs`. */
  | { ok: false; limited: { limit: number; resetMs: number } }
  /** Nothing changed: the guard's admission was ended early (the shopping window is over). */
  | { ok: false; admissionEnded: true };

/**
 * What a claim checks first, in the same atomic step (a hold's whole conversation with the store is one round trip):
 * the owner's admission was not ended early, and sliding-window budgets (counted only when all have room, as
 * @upstash/ratelimit's sliding window counts) for keys under the event's hash tag.
 */
export type ClaimGuard = {
  nowMs: number;
  admission?: { visitor: string; untilMs: number };
  limits?: { key: string; limit: number; windowMs: number }[];
};

export interface Coordinator {
  readonly mode: 'redis' | 'upstash' | 'memory';

  /** Round trip to the store; throws when it does not answer. */
  ping(): Promise<void>;

  /** Claims all seats for the owner for ttlMs, or none of them; with a guard, only if it lets the claim through. */
  claimSeats(eventId: string, seatIds: readonly number[], owner: string, ttlMs: number, guard?: ClaimGuard): Promise<ClaimResult>;

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

  // Waiting room (lib/queue). Every operation first expires ended shopping windows, then admits the next waiting
  // visitors within capacity and rate (admission is lazy: it happens whenever anyone asks), then reports.

  /** Puts the visitor in line unless already there (joining twice keeps the place). */
  queueJoin(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport>;

  /** Admits whoever is due and reports the visitor's place (`visitor` null: only admit, as the scheduler does). */
  queueStatus(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport>;

  /**
   * Takes the visitor out of the waiting room: out of line, or, when admitted, ends the shopping window early
   * (checkout done, or the visitor left) and records it so tokens of that admission are refused from now on.
   */
  queueLeave(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport & { left: QueueEntry['state'] }>;

  /** True when the admission of `visitor` that lasts until `untilMs` was ended early by queueLeave. */
  queueAdmissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean>;

  /**
   * Closes the pre-queue for good (later arrivals are first come, first served) and returns its entrants in
   * arrival order. Admission stays paused while entrants remain in the pre-queue.
   */
  queueClosePrequeue(eventId: string): Promise<string[]>;

  /**
   * Moves drawn entrants from the pre-queue into line, `order[i]` at place `offset + i` (ahead of every later
   * arrival). Entrants no longer in the pre-queue are skipped, so applying a draw twice is harmless. With `last`,
   * entrants the draw did not list keep their arrival order behind the drawn ones, and admission resumes.
   */
  queueApplyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number>;

  /** A lease on `key` for `owner` (SET NX PX): true when acquired. */
  acquireLease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back if `owner` still holds it. */
  releaseLease(key: string, owner: string): Promise<void>;

  /**
   * Counts one request against `limit` per sliding `windowMs` for `key` (which carries its own hash tag).
   * Redis adapters use @upstash/ratelimit's sliding window; the in-process one the same algorithm.
   * Throws when the store fails; `timedOut` when it did not answer in time (the request was not counted).
   */
  rateLimit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;

  close(): Promise<void>;
}

/** What an event's queue settings mean to the coordinator (lib/queue derives it from the event row and the clock). */
export type QueuePolicy = {
  /** Most active shoppers at once. */
  capacity: number;
  /** Admissions per minute at most (a token bucket holding `burst` admissions). */
  ratePerMinute: number;
  burst: number;
  /** How long an admission lasts. */
  windowMs: number;
  /** True before the on-sale: arrivals join the pre-queue, to be drawn at the start. Once false it stays false. */
  prequeue: boolean;
};

export type QueueEntry =
  | { state: 'none' }
  /** In the pre-queue; `ticket` is the arrival number. */
  | { state: 'prequeue'; ticket: number }
  /** In line at `position` (1 = next); `ticket` is the arrival number, null for a drawn pre-queue entrant. */
  | { state: 'waiting'; position: number; ticket: number | null }
  /** Admitted until `untilMs` (a whole second). */
  | { state: 'admitted'; untilMs: number };

export type QueueReport = {
  entry: QueueEntry;
  waiting: number;
  prequeue: number;
  active: number;
  /** The pre-queue was closed and fully drawn (admission runs). */
  drawn: boolean;
  /** The arrival number this call gave the visitor (a join that found no place); null otherwise. */
  joined: number | null;
  /** Visitors this call admitted, in admission order; the last of them is admission number `admittedTotal`. */
  admitted: string[];
  admittedTotal: number;
  /** Admissions counted since `sinceMs` (up to six minutes back), to measure the admission rate. */
  recent: { count: number; sinceMs: number };
};

export type RateLimitResult = { success: boolean; limit: number; remaining: number; resetMs: number; timedOut?: boolean };

/** Owner value that marks a seat as sold; never a user id (those are not allowed to contain ':'). */
export const SOLD_OWNER = ':sold';
export const DB_OWNER = ':db';

export const eventTag = (eventId: string) => `{ev:${eventId}}`;
/** A rate-limit key in the event's slot, so a claim's guard can count it in the same script. */
export const eventLimitKey = (eventId: string, policy: string, subject: string) => `${eventTag(eventId)}:rl:${policy}:${subject}`;
export const seatKey = (eventId: string, seatId: number) => `${eventTag(eventId)}:seat:${seatId}`;

/** The queue keys of an event: line (sorted by place), pre-queue, active windows, ended windows, counters. */
export const queueKeys = (eventId: string) => {
  const tag = eventTag(eventId);
  return [`${tag}:q:wait`, `${tag}:q:pre`, `${tag}:q:active`, `${tag}:q:ended`, `${tag}:q:meta`] as const;
};

/** Places of later arrivals start here, so every drawn pre-queue entrant (place < this) is ahead of them. */
export const ARRIVAL_PLACE_BASE = 1e12;

/** Admission counts are kept per minute; the rate is measured over the current and five previous minutes. */
export const RECENT_MINUTES = 6;
