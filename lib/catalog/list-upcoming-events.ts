import 'server-only';
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, venues } from '@/db/schema';

export type EventSummary = {
  id: string;
  name: string;
  performer: string;
  category: string;
  city: string;
  venueName: string;
  startsAt: Date;
  onSaleAt: Date;
  timezone: string;
  currency: string;
  minPriceMinor: number | null;
  maxPriceMinor: number | null;
  highDemand: boolean;
};

export const eventSummaryColumns = {
  id: events.id,
  name: events.name,
  performer: events.performer,
  category: events.category,
  city: events.city,
  venueName: venues.name,
  startsAt: events.startsAt,
  onSaleAt: events.onSaleAt,
  timezone: events.timezone,
  currency: events.currency,
  minPriceMinor: events.minPriceMinor,
  maxPriceMinor: events.maxPriceMinor,
  highDemand: events.highDemand,
};

/** Published events that have not started, soonest first. */
export async function listUpcomingEvents(db: Database, { limit = 12, now = new Date() } = {}): Promise<EventSummary[]> {
  return db
    .select(eventSummaryColumns)
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(and(eq(events.status, 'published'), gt(events.startsAt, now)))
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(limit);
}
