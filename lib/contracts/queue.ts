import { z } from 'zod';
import { UUID_PATTERN } from './uuid';

/**
 * The waiting room's API, shared by the server (lib/queue, the route handlers) and the queue page. No server imports.
 * GET/POST/DELETE /api/events/{id}/queue all answer a QueueStatus; times are ISO 8601.
 */

const QUEUE_STATES = [
  /** Before the pre-queue opens: nobody can join yet (`opensAt`). */
  'not-open',
  /** Queue open but this account has not joined (GET before POST, or after leaving). */
  'none',
  /** In the pre-queue: places are drawn at the on-sale. */
  'prequeue',
  /** In line at `position`. */
  'waiting',
  /** Admitted until `admission.until`; the admission cookie is set. */
  'admitted',
  /** The event started, was cancelled, or no longer sells. */
  'closed',
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

const instant = z.string();

export const queueStatusSchema = z.object({
  eventId: z.string(),
  state: z.enum(QUEUE_STATES),
  serverTime: instant,
  onSaleAt: instant,
  /** When the pre-queue opens (or opened). */
  opensAt: instant,
  /** Ask again after this long (the client adds jitter); 0 when there is nothing to wait for. */
  pollAfterMs: z.number().int().nonnegative(),
  /** This account's anonymised entry id: find it in the published draw. */
  entryId: z.string().nullable(),
  /** 1 = next. */
  position: z.number().int().positive().nullable(),
  ahead: z.number().int().nonnegative().nullable(),
  /** Arrival number (first come, first served); null for places from the pre-queue draw. */
  ticket: z.number().int().positive().nullable(),
  waiting: z.number().int().nonnegative(),
  prequeue: z.number().int().nonnegative(),
  active: z.number().int().nonnegative(),
  capacity: z.number().int().positive(),
  /** How long an admitted shopper may shop: the longest a full shopping capacity can keep the next person waiting. */
  shoppingWindowMinutes: z.number().positive(),
  eta: z
    .object({
      seconds: z.number().int().nonnegative(),
      ratePerMinute: z.number().nonnegative(),
      /** `measured`: from admissions of the last minutes; `settings`: nothing measured yet, from capacity and rate. */
      basis: z.enum(['measured', 'settings']),
      /** Every shopping place is taken: this visitor goes in only as shoppers ahead finish or their windows end. */
      waitsForShoppers: z.boolean(),
    })
    .nullable(),
  admission: z.object({ until: instant, redirectTo: z.string() }).nullable(),
  fairness: z
    .object({
      commitment: z.string(),
      committedAt: instant,
      seed: z.string().nullable(),
      drawnAt: instant.nullable(),
      entrantCount: z.number().int().nullable(),
      algorithm: z.string(),
      drawUrl: z.string(),
      /** Whose draw: the event's line, or the presale line this visitor stands in (its own draw, at its start). */
      line: z.enum(['event', 'presale']),
    })
    .nullable(),
  seats: z.object({
    currency: z.string(),
    tiers: z.array(
      z.object({
        name: z.string(),
        priceMinor: z.number().int(),
        color: z.string(),
        left: z.number().int(),
        total: z.number().int(),
      }),
    ),
    left: z.number().int(),
    seatsPerBuyer: z.number(),
    seatsPerBuyerMeasured: z.boolean(),
    /** Seats the people ahead would take at `seatsPerBuyer` each. */
    wantedAhead: z.number().int().nullable(),
    /** `likely`: the people ahead would take every seat left; `possible`: most of them; `sold-out`: none left. */
    sellOut: z.enum(['sold-out', 'likely', 'possible']).nullable(),
  }),
});
export type QueueStatus = z.infer<typeof queueStatusSchema>;

/** GET /api/events/{id}/queue/draw?presale=: a presale line's draw instead of the event's (docs/fairness.md). */
export const queueDrawQuerySchema = z.object({
  presale: z.string().regex(UUID_PATTERN, 'presale is a presale id').optional(),
});

/** GET /api/events/{id}/queue/draw: everything needed to recompute the pre-queue order (docs/fairness.md). */
export const queueDrawSchema = z.object({
  eventId: z.string(),
  /** The line drawn: the event's own (null), or this presale's. */
  presaleId: z.string().nullable(),
  algorithm: z.string(),
  commitment: z.string(),
  committedAt: instant,
  seed: z.string().nullable(),
  drawnAt: instant.nullable(),
  entrantCount: z.number().int().nullable(),
  /** Anonymised entry ids in drawn order (place 1 first); null until drawn. */
  entries: z.array(z.string()).nullable(),
});
export type QueueDraw = z.infer<typeof queueDrawSchema>;
