import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { createdAt, tz } from './columns';
import { events } from './events';

/**
 * A presale: a window before the general on-sale in which buyers whose access code unlocks it may buy, through
 * their own line of the waiting room, admitted at their own rate (docs/decisions/041-presales-and-access-codes.md).
 */
export const presales = pgTable(
  'presales',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    startsAt: tz('starts_at').notNull(),
    endsAt: tz('ends_at').notNull(),
    /** The presale line's own admission rate (its share of the event's). */
    admissionRatePerMinute: integer('admission_rate_per_minute').notNull().default(60),
    createdAt: createdAt(),
  },
  (t) => [
    check('presales_window_check', sql`${t.startsAt} < ${t.endsAt}`),
    check('presales_rate_check', sql`${t.admissionRatePerMinute} >= 1`),
    index('presales_event_idx').on(t.eventId),
  ],
);
export type Presale = typeof presales.$inferSelect;

/**
 * A presale code (an ACCESS code: it unlocks, it does not discount). It unlocks a presale, hidden price tiers, or
 * both. `uses` counts the accounts that redeemed it and can never pass `max_uses` (a check constraint, and the
 * redemption is a conditional update); `per_account_limit` caps the seats an account holds and buys through it.
 */
export const accessCodes = pgTable(
  'access_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** Upper case, as typed without spaces; unique per event. */
    code: text('code').notNull(),
    presaleId: uuid('presale_id').references(() => presales.id, { onDelete: 'cascade' }),
    unlocksTierIds: uuid('unlocks_tier_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    perAccountLimit: integer('per_account_limit').notNull().default(4),
    createdAt: createdAt(),
    disabledAt: tz('disabled_at'),
  },
  (t) => [
    unique('access_codes_event_code_unique').on(t.eventId, t.code),
    check('access_codes_uses_check', sql`${t.uses} >= 0 and ${t.uses} <= ${t.maxUses}`),
    check('access_codes_max_uses_check', sql`${t.maxUses} >= 1`),
    check('access_codes_per_account_check', sql`${t.perAccountLimit} between 1 and 50`),
    check('access_codes_code_check', sql`${t.code} ~ '^[A-Z0-9-]{4,32}$'`),
    check('access_codes_unlocks_check', sql`${t.presaleId} is not null or cardinality(${t.unlocksTierIds}) > 0`),
  ],
);
export type AccessCode = typeof accessCodes.$inferSelect;

/** One row per account that redeemed a code: the unlock lasts, and entering the code again counts nothing. */
export const accessCodeRedemptions = pgTable(
  'access_code_redemptions',
  {
    codeId: uuid('code_id')
      .notNull()
      .references(() => accessCodes.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    redeemedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.codeId, t.userId] }),
    index('access_code_redemptions_user_event_idx').on(t.userId, t.eventId),
  ],
);

/**
 * A presale line's pre-queue draw, published as the event's own (queue_draws, docs/fairness.md): the commitment to
 * the seed before the line's pre-queue opens, the seed and the entries in drawn order from the presale's start on.
 */
export const presaleDraws = pgTable(
  'presale_draws',
  {
    presaleId: uuid('presale_id')
      .primaryKey()
      .references(() => presales.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    seedCommitment: text('seed_commitment').notNull(),
    /** Kept secret (null in public reads) until drawnAt. */
    seed: text('seed').notNull(),
    committedAt: tz('committed_at').notNull().defaultNow(),
    drawnAt: tz('drawn_at'),
    entrantCount: integer('entrant_count'),
    /** Anonymised entrant ids in the drawn order. */
    entries: jsonb('entries').$type<string[]>(),
  },
  (t) => [index('presale_draws_event_idx').on(t.eventId)],
);
