import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, seatPlace, tz, xid8 } from './columns';
import { events, priceTiers } from './events';
import { seats, sections } from './venues';

export const HOLD_STATUSES = ['active', 'released', 'expired', 'converted'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/**
 * A buyer's claim on some seats until `expiresAt`. An active hold past its expiry is already dead for the
 * purposes of selling: its seats may be taken by the next conditional update before any sweeper runs.
 */
export const holds = pgTable(
  'holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    status: text('status', { enum: HOLD_STATUSES }).notNull().default('active'),
    seatCount: integer('seat_count').notNull(),
    /** The seats the hold was placed on; kept after it ends, so a late payment knows what it was for. */
    seatIds: bigint('seat_ids', { mode: 'number' }).array().notNull(),
    expiresAt: tz('expires_at').notNull(),
    extendedAt: tz('extended_at'),
    endedAt: tz('ended_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('holds_status_check', sql`${t.status} in ('active', 'released', 'expired', 'converted')`),
    check('holds_seat_count_check', sql`${t.seatCount} >= 1 and ${t.seatCount} = cardinality(${t.seatIds})`),
    check('holds_ended_check', sql`(${t.status} = 'active') = (${t.endedAt} is null)`),
    index('holds_event_user_idx').on(t.eventId, t.userId),
    index('holds_active_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'active'`),
  ],
);
export type Hold = typeof holds.$inferSelect;

export const SEAT_STATUSES = ['available', 'held', 'sold', 'blocked'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

/**
 * The event's copy of the venue layout, made at publish time, and the seat state machine:
 * available -> held -> sold, held -> available (release or expiry), available <-> blocked (box office),
 * sold -> available only after its ticket was voided by a refunded cancellation (enforced by a trigger).
 * Every one of those updates is a HOT update: no index covers a column they change, and the table is filled to 75%
 * (migration 0012) so the new row version fits on its page.
 */
export const eventSeats = pgTable(
  'event_seats',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    seatId: bigint('seat_id', { mode: 'number' })
      .notNull()
      .references(() => seats.id, { onDelete: 'restrict' }),
    /** Position in the event's layout document; the availability document is indexed by it. */
    idx: integer('idx').notNull(),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => sections.id, { onDelete: 'restrict' }),
    sectionLabel: text('section_label').notNull(),
    ...seatPlace(),
    priceTierId: uuid('price_tier_id')
      .notNull()
      .references(() => priceTiers.id, { onDelete: 'restrict' }),

    status: text('status', { enum: SEAT_STATUSES }).notNull().default('available'),
    holdId: uuid('hold_id'),
    /**
     * Always 'active' while held. A held seat points at an active hold of its event that lists it, and a hold cannot
     * end while a seat points at it: constraint triggers of migration 0012 (docs/decisions/037), not a foreign key,
     * whose index on hold_id would make every hold of a seat a non-HOT update.
     */
    holdState: text('hold_state', { enum: ['active'] }),
    heldBy: text('held_by').references(() => user.id, { onDelete: 'restrict' }),
    heldUntil: tz('held_until'),
    /**
     * The seat's change count: every update sets it to rev + 1 (the state-machine trigger refuses any other value).
     * The change feed records it, so a reader applies a seat's changes in the order they happened.
     */
    rev: integer('rev').notNull().default(0),
  },
  (t) => [
    check('event_seats_status_check', sql`${t.status} in ('available', 'held', 'sold', 'blocked')`),
    check(
      'event_seats_hold_fields_check',
      sql`(${t.status} = 'held' and ${t.holdId} is not null and ${t.holdState} = 'active' and ${t.heldBy} is not null and ${t.heldUntil} is not null)
        or (${t.status} <> 'held' and ${t.holdId} is null and ${t.holdState} is null and ${t.heldBy} is null and ${t.heldUntil} is null)`,
    ),
    unique('event_seats_event_seat_unique').on(t.eventId, t.seatId),
    unique('event_seats_event_idx_unique').on(t.eventId, t.idx),
  ],
);
export type EventSeat = typeof eventSeats.$inferSelect;

/** Status codes used in the compact availability encoding and the change feed. */
export const SEAT_STATUS_CODE = { available: 0, held: 1, sold: 2, blocked: 3 } as const satisfies Record<
  SeatStatus,
  number
>;

/**
 * The change feed: in transaction `xid`, these seat positions took this status (each at its new `rev`). Readers
 * take every change of transactions below the oldest one still running (pg_snapshot_xmin), a watermark that no
 * writer can fall behind, and apply a seat's changes in the order of its revs: docs/decisions/019. No row, sequence
 * or index entry is shared by the writers of an event but the (event_id, xid) index's right edge. An append-only log
 * without a key of its own; pruned after an hour.
 */
export const availabilityChanges = pgTable(
  'availability_changes',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    status: smallint('status').notNull(),
    seatIdx: integer('seat_idx').array().notNull(),
    /** event_seats.rev of each seat after this change, in the order of seat_idx. */
    seatRev: integer('seat_rev').array().notNull(),
    /** Owner of the hold for held changes (never sent to readers). */
    heldBy: text('held_by'),
    /** For held changes: when the hold ends, so readers can show the seat as free again without waiting for a sweep. */
    heldUntil: tz('held_until'),
    createdAt: createdAt(),
  },
  (t) => [
    index('availability_changes_event_xid_idx').on(t.eventId, t.xid),
    index('availability_changes_created_idx').using('brin', t.createdAt),
    check('availability_changes_status_check', sql`${t.status} between 0 and 3`),
  ],
);

/**
 * Hold requests per event and minute, as answered by every app process together: the organizer dashboard's
 * success and conflict rates. Refusals by the seat filter never reach PostgreSQL otherwise, so each process counts
 * in memory and adds its counts here every two seconds (lib/inventory/metrics.ts). Pruned after a day.
 */
export const holdOutcomeCounts = pgTable(
  'hold_outcome_counts',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    minute: tz('minute').notNull(),
    granted: integer('granted').notNull().default(0),
    conflicts: integer('conflicts').notNull().default(0),
    refused: integer('refused').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.minute] })],
);
