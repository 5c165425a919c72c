import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { memoizePerDb } from './memo';
import type { QueueEvent } from './policy';
import { isUuid } from '@/lib/contracts/uuid';

/** Queue settings of an event, cached for five seconds: an admin's change applies within that. */
export const queueEvents = memoizePerDb<Database, QueueEvent | null>(5_000, async (db, id) => {
  const [row] = await db
    .select({
      id: events.id,
      name: events.name,
      status: events.status,
      onSaleAt: events.onSaleAt,
      startsAt: events.startsAt,
      prequeueOpensAt: events.prequeueOpensAt,
      queueCapacity: events.queueCapacity,
      admissionRatePerMinute: events.admissionRatePerMinute,
      shoppingWindowMinutes: events.shoppingWindowMinutes,
      currency: events.currency,
      timezone: events.timezone,
    })
    .from(events)
    .where(eq(events.id, id));
  return row ?? null;
});

/** A published (or cancelled) event's queue settings; drafts and unknown ids are 404. */
export async function getQueueEventOrThrow(db: Database, id: string): Promise<QueueEvent> {
  const event = isUuid(id) ? await queueEvents.get(db, id.toLowerCase()) : null;
  if (!event || event.status === 'draft') throw new AppError('NOT_FOUND', 'No such event.');
  return event;
}
