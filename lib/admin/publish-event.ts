import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events } from '@/db/schema';
import { rows } from '@/db/sql';
import { catalogChanged } from '@/lib/catalog/catalog-reads';
import { AppError } from '@/lib/errors';
import { assertId } from './ids';
import { recordAudit } from './record-audit';

/**
 * Publishes a draft: copies the venue layout into event_seats with each seat's price tier (a row's tier over its
 * section's), so later venue edits never change a published event. One statement copies every seat.
 */
export async function publishEvent(db: Database, eventId: string, actorId: string | null): Promise<{ seats: number }> {
  assertId(eventId, 'event');
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for('update');
    if (!event) throw new AppError('NOT_FOUND', 'No such event.');
    if (event.status !== 'draft')
      throw new AppError('INVALID_STATE', `The event is ${event.status}; only drafts can be published.`);
    // A draft that already has seats (put back to draft by hand, or a publish that raced this one) keeps them: copying
    // the layout again would collide with them, and its holds and sales must not be disturbed.
    const [copied] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from event_seats where event_id = ${eventId}`,
    );
    if (copied && copied.n > 0)
      throw new AppError('INVALID_STATE', 'This event already has its seats; it cannot be published again.');

    const unpriced = await rows<{ label: string }>(
      tx,
      sql`select distinct sec.label, sec.sort_order from seats s join sections sec on sec.id = s.section_id
          where s.venue_id = ${event.venueId}
            and not exists (select 1 from tier_assignments a where a.event_id = ${eventId} and a.section_id = s.section_id
                            and (a.row_label is null or a.row_label = s.row_label))
          order by sec.sort_order`,
    );
    if (unpriced.length) {
      throw new AppError(
        'INVALID_STATE',
        `Give every section a price tier first: ${unpriced.map((r) => r.label).join(', ')} ${unpriced.length === 1 ? 'has' : 'have'} none.`,
        {
          sections: unpriced.map((r) => r.label),
        },
      );
    }

    const inserted = await rows<{ count: number }>(
      tx,
      sql`with copied as (
            insert into event_seats (event_id, seat_id, idx, section_id, section_label, row_label, row_index, seat_label, seat_index,
                                     x, y, wheelchair, companion, restricted_view, price_tier_id)
            select ${eventId}, s.id,
                   (row_number() over (order by sec.sort_order, s.row_index, s.seat_index))::int - 1,
                   s.section_id, sec.label, s.row_label, s.row_index, s.seat_label, s.seat_index,
                   s.x, s.y, s.wheelchair, s.companion, s.restricted_view,
                   coalesce(by_row.price_tier_id, by_section.price_tier_id)
            from seats s
            join sections sec on sec.id = s.section_id
            left join tier_assignments by_row on by_row.event_id = ${eventId} and by_row.section_id = s.section_id and by_row.row_label = s.row_label
            left join tier_assignments by_section on by_section.event_id = ${eventId} and by_section.section_id = s.section_id and by_section.row_label is null
            where s.venue_id = ${event.venueId}
            returning price_tier_id
          )
          select count(*)::int as count from copied`,
    );
    const seatCount = inserted[0]?.count ?? 0;
    if (seatCount === 0) throw new AppError('INVALID_STATE', 'The venue has no seats.');

    const [prices] = await rows<{ min: number; max: number }>(
      tx,
      sql`select min(t.price_minor)::int as min, max(t.price_minor)::int as max
          from price_tiers t where t.event_id = ${eventId} and exists (select 1 from event_seats es where es.event_id = ${eventId} and es.price_tier_id = t.id)`,
    );
    await tx
      .update(events)
      .set({
        status: 'published',
        publishedAt: new Date(),
        seatsTotal: seatCount,
        minPriceMinor: prices?.min ?? null,
        maxPriceMinor: prices?.max ?? null,
      })
      .where(eq(events.id, eventId));
    await recordAudit(tx, {
      actorId,
      action: 'event.publish',
      entityType: 'event',
      entityId: eventId,
      before: { status: 'draft' },
      after: { status: 'published', seats: seatCount },
    });
    await catalogChanged(tx);
    return { seats: seatCount };
  });
}
