import { integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tz } from './columns';
import { events } from './events';

/**
 * The pre-queue draw of an event: a hash commitment of the shuffle seed published before the on-sale, the seed
 * revealed after the draw, and the anonymised entrants, so anyone can recompute the order.
 */
export const queueDraws = pgTable('queue_draws', {
  eventId: uuid('event_id')
    .primaryKey()
    .references(() => events.id, { onDelete: 'cascade' }),
  seedCommitment: text('seed_commitment').notNull(),
  /** Kept secret (null in public reads) until drawnAt. */
  seed: text('seed').notNull(),
  committedAt: tz('committed_at').notNull().defaultNow(),
  drawnAt: tz('drawn_at'),
  entrantCount: integer('entrant_count'),
  /** Anonymised entrant ids in the drawn order. */
  entries: jsonb('entries').$type<string[]>(),
});
