import { eventTag } from '@/lib/coordination/keys';

/**
 * The queue store: an event's waiting room as shared state. Two adapters keep it, ./redis.ts (Lua scripts, one per
 * operation) and ./memory.ts (the same steps in TypeScript, for the embedded single-process mode); both pass
 * tests/integration/coordination-queue.contract.test.ts, which is what keeps the two spellings of the rule in step.
 *
 * THE ADMISSION RULE (each adapter implements exactly this; change it here, in both, and in the contract test):
 * every operation, atomically, first
 *   1. forgets shopping windows and ended-admission records whose time has passed;
 *   2. opens the line for good once the policy says the pre-queue is over (`prequeue` false);
 *   3. admits nobody while the pre-queue still holds undrawn entrants (the draw decides their order first);
 *   4. otherwise admits n = min(capacity − active, ⌊tokens⌋, waiting) visitors from the front of the line, where
 *      tokens is a bucket of `burst` refilled at `ratePerMinute` (stored only when spent: refilling is linear and
 *      capped, so skipping the write changes nothing);
 *   5. gives each admitted visitor a window ending at the whole second after now + windowMs, and at least a second
 *      after an earlier admission of theirs that ended early (so the new token is not refused as ended);
 *   6. counts admissions in total and per minute (the last RECENT_MINUTES measure the admission rate);
 * then does its own work (join, leave, report). Admission is lazy: it happens whenever anyone asks.
 * Places in line: drawn pre-queue entrants take 0, 1, 2, ...; later arrivals ARRIVAL_PLACE_BASE + arrival number.
 */
export interface QueueStore {
  /** Puts the visitor in line unless already there (joining twice keeps the place). */
  join(eventId: string, visitor: string, nowMs: number, policy: QueuePolicy): Promise<QueueReport>;

  /** Admits whoever is due and reports the visitor's place (`visitor` null: only admit, as the scheduler does). */
  status(eventId: string, visitor: string | null, nowMs: number, policy: QueuePolicy): Promise<QueueReport>;

  /**
   * Takes the visitor out of the waiting room: out of line, or, when admitted, ends the shopping window early
   * (checkout done, or the visitor left) and records it so tokens of that admission are refused from now on.
   */
  leave(
    eventId: string,
    visitor: string,
    nowMs: number,
    policy: QueuePolicy,
  ): Promise<QueueReport & { left: QueueEntry['state'] }>;

  /** True when the admission of `visitor` that lasts until `untilMs` was ended early by leave. */
  admissionEnded(eventId: string, visitor: string, untilMs: number): Promise<boolean>;

  /**
   * Closes the pre-queue for good (later arrivals are first come, first served) and returns its entrants in
   * arrival order. Admission stays paused while entrants remain in the pre-queue.
   */
  closePrequeue(eventId: string): Promise<string[]>;

  /**
   * Moves drawn entrants from the pre-queue into line, `order[i]` at place `offset + i` (ahead of every later
   * arrival). Entrants no longer in the pre-queue are skipped, so applying a draw twice is harmless. With `last`,
   * entrants the draw did not list keep their arrival order behind the drawn ones, and admission resumes.
   */
  applyDraw(eventId: string, order: readonly string[], offset: number, last: boolean): Promise<number>;
}

/** What an event's queue settings mean to the store (lib/queue derives it from the event row and the clock). */
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

/** The queue keys of an event: line (sorted by place), pre-queue, active windows, ended windows, counters. */
export const queueKeys = (eventId: string) => {
  const tag = eventTag(eventId);
  return [`${tag}:q:wait`, `${tag}:q:pre`, `${tag}:q:active`, `${tag}:q:ended`, `${tag}:q:meta`] as const;
};

/** The sorted set of admissions ended early (visitor → window end): a hold's claim guard checks it too. */
export const endedAdmissionsKey = (eventId: string) => queueKeys(eventId)[3];

/** Places of later arrivals start here, so every drawn pre-queue entrant (place < this) is ahead of them. */
export const ARRIVAL_PLACE_BASE = 1e12;

/** Admission counts are kept per minute; the rate is measured over the current and five previous minutes. */
export const RECENT_MINUTES = 6;
