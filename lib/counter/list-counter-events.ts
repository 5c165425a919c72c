import 'server-only';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, venues } from '@/db/schema';

export type CounterEvent = { id: string; name: string; venueName: string; startsAt: Date; timezone: string };

/** The counter's event picker: published events on sale now, soonest first. */
export async function listCounterEvents(db: Database, now = new Date()): Promise<CounterEvent[]> {
  return db
    .select({
      id: events.id,
      name: events.name,
      venueName: venues.name,
      startsAt: events.startsAt,
      timezone: events.timezone,
    })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(eq(events.status, 'published'), lte(events.onSaleAt, now), gt(events.startsAt, now)))
    .orderBy(asc(events.startsAt))
    .limit(100);
}
