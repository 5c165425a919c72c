import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, priceTiers, venues } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/contracts/uuid';

/** A published or cancelled event with its venue and price tiers; drafts are visible to admins only. */
export async function getEventOrThrow(db: Database, id: string, options: { includeDrafts?: boolean } = {}) {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'No such event.');
  const [found] = await db
    .select({ event: events, venue: venues })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(events.id, id));
  if (!found || (found.event.status === 'draft' && !options.includeDrafts))
    throw new AppError('NOT_FOUND', 'No such event.');
  const tiers = await db.select().from(priceTiers).where(eq(priceTiers.eventId, id)).orderBy(asc(priceTiers.sortOrder));
  return { ...found.event, venue: found.venue, tiers };
}
export type EventWithVenue = Awaited<ReturnType<typeof getEventOrThrow>>;
