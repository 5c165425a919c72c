import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { WaitlistFigures } from '@/lib/admin/dashboard-types';

/** The event's waitlist per tier asked for (null: any tier), for the organizer's dashboard, and its offer window. */
export async function waitlistFigures(db: Database, eventId: string): Promise<WaitlistFigures> {
  const found = await rows<{
    tier_id: string | null;
    tier_name: string | null;
    waiting: number;
    people: number;
    offered: number;
    sort: number | null;
  }>(
    db,
    sql`select w.price_tier_id as tier_id, pt.name as tier_name, pt.sort_order as sort,
               count(*) filter (where w.status = 'waiting')::int as waiting,
               coalesce(sum(w.party_size) filter (where w.status = 'waiting'), 0)::int as people,
               count(*) filter (where w.status = 'offered')::int as offered
        from waitlist_entries w left join price_tiers pt on pt.id = w.price_tier_id
        where w.event_id = ${eventId} and w.status in ('waiting', 'offered')
        group by w.price_tier_id, pt.name, pt.sort_order
        order by pt.sort_order nulls last, pt.name`,
  );
  const [event] = await rows<{ minutes: number }>(
    db,
    sql`select waitlist_offer_minutes as minutes from events where id = ${eventId}`,
  );
  return {
    offerMinutes: event?.minutes ?? 30,
    tiers: found.map((r) => ({
      tierId: r.tier_id,
      tierName: r.tier_name,
      waiting: r.waiting,
      people: r.people,
      offered: r.offered,
    })),
  };
}
