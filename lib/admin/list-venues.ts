import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';

export type VenueSummary = {
  id: string;
  name: string;
  city: string;
  country: string;
  timezone: string;
  sections: number;
  seats: number;
  events: number;
  createdAt: string;
};

/** Every venue with its size and how many events use it, newest first. */
export async function listVenues(db: Database): Promise<VenueSummary[]> {
  const found = await rows<Omit<VenueSummary, 'createdAt'> & { created_at: Date | string }>(
    db,
    sql`select v.id, v.name, v.city, v.country, v.timezone, v.created_at,
               (select count(*)::int from sections s where s.venue_id = v.id) as sections,
               (select count(*)::int from seats s where s.venue_id = v.id) as seats,
               (select count(*)::int from events e where e.venue_id = v.id) as events
        from venues v order by v.created_at desc, v.name`,
  );
  return found.map(({ created_at, ...v }) => ({ ...v, createdAt: new Date(created_at).toISOString() }));
}
