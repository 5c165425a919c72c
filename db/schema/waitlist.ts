import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, tz } from './columns';
import { events, priceTiers } from './events';
import { holds } from './inventory';

/**
 * waiting -> offered -> purchased | lapsed | declined; waiting -> left. An entry is offered when seats that fit the
 * party came free and were held in the buyer's name (`hold_id`): the hold is the offer, so checkout works unchanged.
 */
export const WAITLIST_STATUSES = ['waiting', 'offered', 'purchased', 'lapsed', 'declined', 'left'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/** A buyer waiting for seats on a sold-out event or tier (docs/waitlist.md). Offers go in `seq` order. */
export const waitlistEntries = pgTable(
  'waitlist_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Order of joining: offers go to the first entry that the freed seats fit. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** The tier asked for; null takes any tier within the price ceiling. */
    priceTierId: uuid('price_tier_id').references(() => priceTiers.id, { onDelete: 'cascade' }),
    partySize: integer('party_size').notNull(),
    /** The most the buyer pays per seat, in the event's currency's minor units. */
    maxPriceMinor: integer('max_price_minor').notNull(),
    /** How many of the party's seats must be wheelchair spaces (event_seats.wheelchair). */
    wheelchairSeats: integer('wheelchair_seats').notNull().default(0),
    status: text('status', { enum: WAITLIST_STATUSES }).notNull().default('waiting'),
    holdId: uuid('hold_id').references(() => holds.id, { onDelete: 'set null' }),
    offeredAt: tz('offered_at'),
    offerExpiresAt: tz('offer_expires_at'),
    endedAt: tz('ended_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'waitlist_entries_status_check',
      sql`${t.status} in ('waiting', 'offered', 'purchased', 'lapsed', 'declined', 'left')`,
    ),
    check('waitlist_entries_party_check', sql`${t.partySize} between 1 and 50`),
    check('waitlist_entries_price_check', sql`${t.maxPriceMinor} >= 0`),
    check('waitlist_entries_wheelchair_check', sql`${t.wheelchairSeats} between 0 and ${t.partySize}`),
    check(
      'waitlist_entries_offer_check',
      sql`${t.status} <> 'offered' or (${t.holdId} is not null and ${t.offerExpiresAt} is not null)`,
    ),
    check('waitlist_entries_ended_check', sql`(${t.status} in ('waiting', 'offered')) = (${t.endedAt} is null)`),
    // One live entry per account and event: joining twice cannot take two places in line.
    uniqueIndex('waitlist_entries_live_unique')
      .on(t.eventId, t.userId)
      .where(sql`${t.status} in ('waiting', 'offered')`),
    index('waitlist_entries_waiting_idx')
      .on(t.eventId, t.seq)
      .where(sql`${t.status} = 'waiting'`),
    index('waitlist_entries_offered_idx')
      .on(t.eventId)
      .where(sql`${t.status} = 'offered'`),
    index('waitlist_entries_user_idx').on(t.userId),
  ],
);
export type WaitlistEntry = typeof waitlistEntries.$inferSelect;
