import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { user } from './auth';
import { CURRENCY_CODES, type CurrencyCode } from '@/lib/contracts/currency';
import { createdAt, tsvector, tz, updatedAt } from './columns';
import { sections, venues } from './venues';

import { EVENT_CATEGORIES } from '@/lib/contracts/categories';
import { TAX_MODES } from '@/lib/contracts/pricing';

export { EVENT_CATEGORIES, type EventCategory } from '@/lib/contracts/categories';
export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Refund share by how long before the start a cancellation comes, e.g. [{hoursBefore: 24, percent: 100}]. */
export type RefundPolicy = { hoursBefore: number; percent: number }[];

export const events = pgTable(
  'events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    performer: text('performer').notNull(),
    category: text('category', { enum: EVENT_CATEGORIES }).notNull(),
    description: text('description').notNull().default(''),
    imageUrl: text('image_url'),
    city: text('city').notNull(),
    venueId: uuid('venue_id')
      .notNull()
      .references(() => venues.id, { onDelete: 'restrict' }),
    startsAt: tz('starts_at').notNull(),
    timezone: text('timezone').notNull().default('UTC'),
    onSaleAt: tz('on_sale_at').notNull(),
    status: text('status', { enum: EVENT_STATUSES }).notNull().default('draft'),
    currency: text('currency').$type<CurrencyCode>().notNull().default('USD'),
    highDemand: boolean('high_demand').notNull().default(false),

    perOrderLimit: integer('per_order_limit').notNull().default(6),
    perAccountLimit: integer('per_account_limit').notNull().default(8),
    holdMinutes: integer('hold_minutes').notNull().default(8),
    /** Waitlist: how long seats offered to the next person in line stay held for them to pay (docs/waitlist.md). */
    waitlistOfferMinutes: integer('waitlist_offer_minutes').notNull().default(30),
    feePerTicketMinor: integer('fee_per_ticket_minor').notNull().default(0),

    /** Tax (decision 040): none, included in the prices, or added to them; the rate in basis points (2000 = 20%). */
    taxMode: text('tax_mode', { enum: TAX_MODES }).notNull().default('none'),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    taxLabel: text('tax_label').notNull().default(''),
    /** Whether the fee per ticket is taxed too. */
    taxFees: boolean('tax_fees').notNull().default(false),

    /** Waiting room: how many shoppers may be active at once, how fast the queue admits, how long they may shop. */
    queueCapacity: integer('queue_capacity').notNull().default(500),
    admissionRatePerMinute: integer('admission_rate_per_minute').notNull().default(300),
    shoppingWindowMinutes: integer('shopping_window_minutes').notNull().default(15),
    prequeueOpensAt: tz('prequeue_opens_at'),

    refundPolicy: jsonb('refund_policy')
      .$type<RefundPolicy>()
      .notNull()
      .default([
        { hoursBefore: 24, percent: 100 },
        { hoursBefore: 2, percent: 50 },
      ]),

    /** Denormalised at publish time for browsing: seat count and price range. */
    seatsTotal: integer('seats_total').notNull().default(0),
    minPriceMinor: integer('min_price_minor'),
    maxPriceMinor: integer('max_price_minor'),

    /** Name, performer, venue and city; kept by the catalog on every write. */
    searchDocument: text('search_document').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple', search_document)`),

    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    publishedAt: tz('published_at'),
    cancelledAt: tz('cancelled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('events_status_check', sql`${t.status} in ('draft', 'published', 'cancelled')`),
    check(
      'events_category_check',
      sql`${t.category} in ('concert', 'theatre', 'sports', 'comedy', 'family', 'festival')`,
    ),
    // One of lib/contracts/currency.ts CURRENCIES (migration 0020, decision 045); orders and payments copy it.
    check('events_currency_check', sql`${t.currency} in (${sql.raw(CURRENCY_CODES.map((c) => `'${c}'`).join(', '))})`),
    check('events_per_order_limit_check', sql`${t.perOrderLimit} between 1 and 50`),
    check(
      'events_per_account_limit_check',
      sql`${t.perAccountLimit} >= ${t.perOrderLimit} and ${t.perAccountLimit} <= 200`,
    ),
    check('events_hold_minutes_check', sql`${t.holdMinutes} between 1 and 60`),
    check('events_waitlist_offer_minutes_check', sql`${t.waitlistOfferMinutes} between 5 and 1440`),
    check('events_fee_check', sql`${t.feePerTicketMinor} >= 0`),
    check('events_tax_mode_check', sql`${t.taxMode} in ('none', 'inclusive', 'exclusive')`),
    check('events_tax_rate_check', sql`${t.taxRateBp} between 0 and 10000`),
    check('events_tax_label_check', sql`length(${t.taxLabel}) <= 40`),
    check('events_queue_capacity_check', sql`${t.queueCapacity} >= 1`),
    check('events_admission_rate_check', sql`${t.admissionRatePerMinute} >= 1`),
    check('events_shopping_window_check', sql`${t.shoppingWindowMinutes} between 1 and 120`),
    check('events_on_sale_before_start_check', sql`${t.onSaleAt} <= ${t.startsAt}`),
    check(
      'events_prices_check',
      sql`${t.minPriceMinor} is null or (${t.minPriceMinor} >= 0 and ${t.maxPriceMinor} >= ${t.minPriceMinor})`,
    ),
    index('events_status_starts_idx').on(t.status, t.startsAt),
    index('events_city_idx').on(t.city),
    index('events_category_idx').on(t.category),
    index('events_venue_idx').on(t.venueId),
    index('events_search_vector_idx').using('gin', t.searchVector),
    index('events_search_trgm_idx').using('gin', sql`${t.searchDocument} gin_trgm_ops`),
  ],
);
export type Event = typeof events.$inferSelect;

export const priceTiers = pgTable(
  'price_tiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priceMinor: integer('price_minor').notNull(),
    color: text('color').notNull().default('#2563eb'),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Invisible and unholdable except to buyers whose presale code unlocks it (db/schema/presale.ts). */
    hidden: boolean('hidden').notNull().default(false),
  },
  (t) => [
    unique('price_tiers_event_name_unique').on(t.eventId, t.name),
    check('price_tiers_price_check', sql`${t.priceMinor} >= 0`),
  ],
);
export type PriceTier = typeof priceTiers.$inferSelect;

/** Before publishing, price tiers are assigned to whole sections or single rows (a row overrides its section). */
export const tierAssignments = pgTable(
  'tier_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    priceTierId: uuid('price_tier_id')
      .notNull()
      .references(() => priceTiers.id, { onDelete: 'cascade' }),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => sections.id, { onDelete: 'cascade' }),
    rowLabel: text('row_label'),
  },
  (t) => [unique('tier_assignments_target_unique').on(t.eventId, t.sectionId, t.rowLabel).nullsNotDistinct()],
);

/**
 * The catalog version: one row, bumped by lib/catalog's catalogChanged() whenever a write can change what search or
 * an event page shows. Every app instance reads it at most once a second and drops cached results stamped with
 * another version (docs/decisions/018-search-cache.md). No row means version 0.
 */
export const catalogVersion = pgTable(
  'catalog_version',
  {
    id: smallint('id').primaryKey().default(1),
    version: bigint('version', { mode: 'number' }).notNull().default(0),
    changedAt: tz('changed_at').notNull().defaultNow(),
  },
  (t) => [check('catalog_version_single_row', sql`${t.id} = 1`)],
);
