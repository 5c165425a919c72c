import { z } from 'zod';

/**
 * Shared by the server (route handlers, lib/inventory) and the browser (seat map, countdown). No server imports.
 *
 * Seat ids are event-seat ids: positive integers, unique across all events. The layout lists every seat of an
 * event in a fixed order (its "position", 0-based); the availability document and the change feed refer to seats
 * by that position, which keeps them small.
 */

const MAX_SEATS_PER_REQUEST = 50;

const seatId = z
  .number({ error: 'seat ids are positive integers' })
  .int('seat ids are positive integers')
  .positive('seat ids are positive integers')
  .max(Number.MAX_SAFE_INTEGER);

export const holdRequestSchema = z
  .object({
    seatIds: z
      .array(seatId, { error: 'seatIds must be an array of seat ids' })
      .min(1, 'choose at least one seat')
      .max(MAX_SEATS_PER_REQUEST, `at most ${MAX_SEATS_PER_REQUEST} seats in one request`),
  })
  .strict();
export type HoldRequest = z.infer<typeof holdRequestSchema>;

export const HOLD_STATUSES = ['active', 'released', 'expired', 'converted'] as const;

/** 201 answer of POST /api/events/{id}/holds, and GET /api/holds/{id}. Times are ISO 8601. */
export type HoldResponse = {
  id: string;
  eventId: string;
  seatIds: number[];
  /** When the hold ends; the client shows expiresAt - serverTime, corrected for its own clock. */
  expiresAt: string;
  serverTime: string;
  status: (typeof HOLD_STATUSES)[number];
  /** A hold can be extended once, when payment starts. */
  extended: boolean;
};

/** 409 SEATS_UNAVAILABLE problem members. */
export type SeatsUnavailableProblem = { code: 'SEATS_UNAVAILABLE'; unavailableSeatIds: number[]; detail: string };

/** Seat flags, as bits in LayoutDocument.seats.flags. */
export const SEAT_FLAG = { wheelchair: 1, companion: 2, restrictedView: 4 } as const;

/**
 * GET /api/events/{id}/layout: immutable once the event is published (served with a long cache lifetime and an
 * ETag). Columnar: entry i of every array in `seats` describes the seat at position i, or at `seats.position[i]`
 * when the layout leaves seats out (hidden tiers: docs/decisions/044-hidden-tiers-and-published-presale-draws.md).
 */
export type LayoutDocument = {
  eventId: string;
  /** Changes only if the event is re-published; part of the ETag. */
  layoutVersion: string;
  currency: string;
  stage: { x: number; y: number; width: number; height: number; label: string } | null;
  tiers: { id: string; name: string; priceMinor: number; color: string }[];
  sections: { label: string; name: string }[];
  /** Rows in layout order; `section` indexes `sections`. */
  rows: { section: number; label: string }[];
  seats: {
    id: number[];
    /** Index into `rows`. */
    row: number[];
    label: string[];
    /** Physical order within the row: adjacent seats differ by exactly 1 (an aisle skips a number). */
    order: number[];
    x: number[];
    y: number[];
    /** Index into `tiers`. */
    tier: number[];
    /** Bits of SEAT_FLAG. */
    flags: number[];
    /**
     * Only in a layout that leaves seats out (the public layout of an event with hidden price tiers): the availability
     * position of each listed seat. Absent, entry i is the seat at position i.
     */
    position?: number[];
  };
};

/** One character per seat position in the availability string. */
export const AVAILABILITY_CODE = { available: '0', held: '1', sold: '2', blocked: '3', yours: '4' } as const;
export type AvailabilityStatus = keyof typeof AVAILABILITY_CODE;
export const AVAILABILITY_STATUS_BY_CODE: Record<string, AvailabilityStatus> = {
  '0': 'available',
  '1': 'held',
  '2': 'sold',
  '3': 'blocked',
  '4': 'yours',
};

/**
 * GET /api/events/{id}/availability: the status of every seat, as one character per layout position
 * (AVAILABILITY_CODE). A 50,000-seat event is 50 kB before compression and a few kB after. A hold whose time has
 * passed reads as available. Seats held by the requesting account read as "yours".
 */
export type AvailabilitySnapshot = {
  kind: 'snapshot';
  eventId: string;
  version: number;
  serverTime: string;
  statuses: string;
  counts: Record<'available' | 'held' | 'sold' | 'blocked', number>;
  /** Suggested polling interval when the stream is not available: 5 s during an on-sale, 30 s otherwise. */
  pollAfterMs: number;
};

/** One change of the feed: at `version`, these positions took this status. */
export type AvailabilityChange = {
  version: number;
  status: AvailabilityStatus;
  positions: number[];
  expiresAt?: string;
};

/**
 * GET /api/events/{id}/availability?since=N: the changes after version N, oldest first. When N is too old (the
 * feed was pruned) the answer is a snapshot instead; clients handle both kinds.
 */
export type AvailabilityDelta = {
  kind: 'delta';
  eventId: string;
  from: number;
  version: number;
  serverTime: string;
  changes: AvailabilityChange[];
  pollAfterMs: number;
};

export type AvailabilityResponse = AvailabilitySnapshot | AvailabilityDelta;

export const availabilityQuerySchema = z.object({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
