import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';

export type InventoryAudit = {
  events: { eventId: string; capacity: number; available: number; held: number; sold: number; blocked: number }[];
  violations: string[];
};

/**
 * Checks the promises the database makes, from the outside: per event available + held + sold + blocked equals
 * capacity; every held seat belongs to exactly one live hold of the same buyer with the same end; every active,
 * unexpired hold still has all its seats; every sold seat has exactly one live ticket and no other seat has one.
 * Used by tests, the load harness and the benchmarks after a run.
 */
export async function auditInventory(db: Database, now = new Date(), eventIds?: string[]): Promise<InventoryAudit> {
  const only = eventIds?.length ? sql`and e.id = any(${`{${eventIds.join(',')}}`}::uuid[])` : sql``;
  const events = await rows<InventoryAudit['events'][number] & { seats_total: number }>(
    db,
    sql`select e.id as "eventId", e.seats_total::int as capacity,
               count(*) filter (where es.status = 'available')::int as available,
               count(*) filter (where es.status = 'held')::int as held,
               count(*) filter (where es.status = 'sold')::int as sold,
               count(*) filter (where es.status = 'blocked')::int as blocked
        from events e join event_seats es on es.event_id = e.id
        where e.status <> 'draft' ${only}
        group by e.id, e.seats_total`,
  );
  const violations: string[] = [];
  for (const e of events) {
    if (e.available + e.held + e.sold + e.blocked !== e.capacity)
      violations.push(
        `event ${e.eventId}: ${e.available}+${e.held}+${e.sold}+${e.blocked} seats != capacity ${e.capacity}`,
      );
  }
  const scoped = eventIds?.length ? sql`and es.event_id = any(${`{${eventIds.join(',')}}`}::uuid[])` : sql``;
  const badHeld = await rows<{ id: number | string; reason: string }>(
    db,
    sql`select es.id, case when h.id is null then 'no hold'
                           when h.status <> 'active' then 'hold ' || h.status
                           when h.user_id <> es.held_by then 'held by someone other than the hold''s buyer'
                           when h.expires_at <> es.held_until then 'seat and hold end at different times'
                           else 'seat not in the hold''s seat list' end as reason
        from event_seats es left join holds h on h.id = es.hold_id
        where es.status = 'held' ${scoped}
          and (h.id is null or h.status <> 'active' or h.user_id <> es.held_by or h.expires_at <> es.held_until or not (es.id = any(h.seat_ids)))
        limit 20`,
  );
  for (const s of badHeld) violations.push(`held seat ${s.id}: ${s.reason}`);
  const robbed = await rows<{ hold_id: string; seat_id: number | string }>(
    db,
    sql`select h.id as hold_id, seat.id as seat_id
        from holds h cross join lateral unnest(h.seat_ids) as seat(id)
        join event_seats es on es.id = seat.id
        where h.status = 'active' and h.expires_at > ${ts(now)} and es.hold_id is distinct from h.id ${scoped}
        limit 20`,
  );
  for (const r of robbed) violations.push(`active hold ${r.hold_id} lost seat ${r.seat_id} before it expired`);
  const tickets = await rows<{ id: number | string; status: string; live: number }>(
    db,
    sql`select es.id, es.status, count(t.id) filter (where t.status in ('valid', 'used'))::int as live
        from event_seats es left join tickets t on t.event_seat_id = es.id
        where (es.status = 'sold' or t.id is not null) ${scoped}
        group by es.id, es.status
        having (es.status = 'sold') <> (count(t.id) filter (where t.status in ('valid', 'used')) = 1)
        limit 20`,
  );
  for (const t of tickets) violations.push(`seat ${t.id} is ${t.status} with ${t.live} live tickets`);
  return { events: events.map(({ seats_total: _, ...e }) => e), violations };
}
