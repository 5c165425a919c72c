import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { joinWaitlistSchema, type JoinWaitlistInput, type WaitlistStatus } from '@/lib/contracts/waitlist';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { countOf } from '@/lib/format';
import { getWaitlistStatus } from './get-waitlist-status';

type EventRow = {
  status: string;
  on_sale_at: Date | string;
  starts_at: Date | string;
  per_order_limit: number;
};

/**
 * Puts the account on the event's waitlist, for one tier or any. Only a sold-out event or tier has one: while seats
 * that fit are free, the buyer is told to choose them. Joining again while on the list changes nothing (to change
 * the party, leave and join again, at the back). Answers the place (getWaitlistStatus).
 */
export async function joinWaitlist(
  db: Database,
  input: { eventId: string; userId: string; now: Date; body: JoinWaitlistInput },
): Promise<WaitlistStatus> {
  const { eventId, userId, now } = input;
  const body = joinWaitlistSchema.parse(input.body);
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const [event] = await rows<EventRow>(
    db,
    sql`select status, on_sale_at, starts_at, per_order_limit from events where id = ${eventId} and status <> 'draft'`,
  );
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');
  if (event.status !== 'published' || new Date(event.on_sale_at) > now || new Date(event.starts_at) <= now)
    throw new AppError('EVENT_NOT_ON_SALE', 'This event is not on sale, so it has no waitlist.');
  if (body.partySize > event.per_order_limit)
    throw new AppError(
      'SEAT_LIMIT_EXCEEDED',
      `A party can have at most ${countOf(event.per_order_limit, 'person', 'people')} for this event.`,
      { limit: event.per_order_limit, scope: 'order' },
    );

  const tiers = await rows<{ id: string; price_minor: number; free: number | string }>(
    db,
    sql`select pt.id, pt.price_minor,
               (select count(*) from event_seats es where es.price_tier_id = pt.id
                  and (es.status = 'available' or (es.status = 'held' and es.held_until <= ${ts(now)}))) as free
        from price_tiers pt where pt.event_id = ${eventId}`,
  );
  const wanted = body.priceTierId ? tiers.filter((t) => t.id === body.priceTierId) : tiers;
  if (!wanted.length)
    throw new AppError('VALIDATION_FAILED', 'That price tier is not part of this event.', {
      errors: [{ path: 'priceTierId', message: 'not a tier of this event' }],
    });
  const affordable = wanted.filter((t) => t.price_minor <= body.maxPriceMinor);
  if (!affordable.length)
    throw new AppError('VALIDATION_FAILED', 'No seats of this event cost that little.', {
      errors: [{ path: 'maxPriceMinor', message: 'below the price of every seat asked for' }],
    });
  if (affordable.some((t) => Number(t.free) > 0))
    throw new AppError('INVALID_STATE', 'Seats within your price are still on sale: choose them on the seat map.', {
      reason: 'not-sold-out',
    });

  // One live entry per account and event (waitlist_entries_live_unique): a second join keeps the first place.
  await db.execute(
    sql`insert into waitlist_entries (event_id, user_id, price_tier_id, party_size, max_price_minor, wheelchair_seats)
        values (${eventId}, ${userId}, ${body.priceTierId ?? null}, ${body.partySize}, ${body.maxPriceMinor}, ${body.wheelchairSeats})
        on conflict (event_id, user_id) where status in ('waiting', 'offered') do nothing`,
  );
  return getWaitlistStatus(db, { eventId, userId, now });
}
