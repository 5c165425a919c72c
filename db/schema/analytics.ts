import { integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { tz } from './columns';
import { events } from './events';

/**
 * The sales funnel's steps that leave no row of their own, per event and minute: event page views, joins of the
 * waiting room and admissions from it. Each app process counts in memory and adds its counts here every two seconds
 * (lib/analytics/funnel-counts.ts), so the hot paths do no I/O for them. Holds, checkouts and paid orders are counted
 * from their own tables (lib/analytics/event-funnel.ts). Kept as long as the event.
 */
export const funnelCounts = pgTable(
  'funnel_counts',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    minute: tz('minute').notNull(),
    pageViews: integer('page_views').notNull().default(0),
    queueJoins: integer('queue_joins').notNull().default(0),
    admissions: integer('admissions').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.minute] })],
);
