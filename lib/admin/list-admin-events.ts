import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { EventStatus } from '@/db/schema';

export type AdminEventRow = {
  id: string;
  name: string;
  performer: string;
  status: EventStatus;
  venueName: string;
  city: string;
  startsAt: string;
  timezone: string;
  onSaleAt: string;
  seatsTotal: number;
  sold: number;
  blocked: number;
};

/** Every event, drafts included, soonest first within status (drafts, then published, then cancelled). */
export async function listAdminEvents(db: Database, filter: { status?: EventStatus } = {}): Promise<AdminEventRow[]> {
  const where = filter.status ? sql`where e.status = ${filter.status}` : sql``;
  const found = await rows<
    Omit<AdminEventRow, 'startsAt' | 'onSaleAt'> & { startsAt: Date | string; onSaleAt: Date | string }
  >(
    db,
    sql`select e.id, e.name, e.performer, e.status, v.name as "venueName", e.city, e.starts_at as "startsAt", e.timezone,
               e.on_sale_at as "onSaleAt", e.seats_total::int as "seatsTotal",
               coalesce(c.sold, 0)::int as sold, coalesce(c.blocked, 0)::int as blocked
        from events e join venues v on v.id = e.venue_id
        left join lateral (
          select count(*) filter (where es.status = 'sold') as sold, count(*) filter (where es.status = 'blocked') as blocked
          from event_seats es where es.event_id = e.id
        ) c on true
        ${where}
        order by case e.status when 'draft' then 0 when 'published' then 1 else 2 end, e.starts_at
        limit 500`,
  );
  return found.map((e) => ({
    ...e,
    startsAt: new Date(e.startsAt).toISOString(),
    onSaleAt: new Date(e.onSaleAt).toISOString(),
  }));
}
