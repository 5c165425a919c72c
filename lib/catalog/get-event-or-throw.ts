import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, priceTiers, venues } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { AppError } from '@/lib/errors';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A published event with its venue and price tiers; drafts are visible to admins only. */
export async function getEventOrThrow(db: Database, id: string, options: { includeDrafts?: boolean } = {}) {
  if (!uuid.test(id)) throw new AppError('NOT_FOUND', 'No such event.');
  const [found] = await db.select({ event: events, venue: venues }).from(events).innerJoin(venues, eq(venues.id, events.venueId)).where(eq(events.id, id));
  if (!found || (found.event.status === 'draft' && !options.includeDrafts)) throw new AppError('NOT_FOUND', 'No such event.');
  const tiers = await db.select().from(priceTiers).where(eq(priceTiers.eventId, id)).orderBy(asc(priceTiers.sortOrder));
  return { ...found.event, venue: found.venue, tiers };
}
export type EventDetails = Awaited<ReturnType<typeof getEventOrThrow>>;

export type SectionAvailability = { sectionLabel: string; total: number; available: number; minPriceMinor: number; maxPriceMinor: number };

/** Seats left per section (an expired hold counts as available), for the event page. */
export async function sectionAvailability(db: Database, eventId: string, now = new Date()): Promise<SectionAvailability[]> {
  return rows<SectionAvailability>(
    db,
    sql`select es.section_label as "sectionLabel", count(*)::int as total,
               count(*) filter (where es.status = 'available' or (es.status = 'held' and es.held_until <= ${ts(now)}))::int as available,
               min(t.price_minor)::int as "minPriceMinor", max(t.price_minor)::int as "maxPriceMinor"
        from event_seats es join price_tiers t on t.id = es.price_tier_id
        where es.event_id = ${eventId}
        group by es.section_label, es.section_id
        order by min(es.idx)`,
  );
}
