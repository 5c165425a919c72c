import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';

export type VenueChoice = {
  id: string;
  name: string;
  city: string;
  timezone: string;
  seats: number;
  sections: { label: string; name: string; rows: string[] }[];
};

/** Venues with their sections and row labels, for the event form's venue picker and tier assignment. */
export async function listVenueChoices(db: Database): Promise<VenueChoice[]> {
  const found = await rows<{
    id: string;
    name: string;
    city: string;
    timezone: string;
    seats: number;
    sections: VenueChoice['sections'] | null;
  }>(
    db,
    sql`select v.id, v.name, v.city, v.timezone, (select count(*)::int from seats where venue_id = v.id) as seats,
               (select json_agg(json_build_object('label', s.label, 'name', s.name,
                         'rows', (select json_agg(r.row_label order by r.row_index)
                                  from (select distinct row_label, row_index from seats where section_id = s.id) r))
                       order by s.sort_order)
                from sections s where s.venue_id = v.id) as sections
        from venues v order by v.name`,
  );
  return found.map((v) => ({ ...v, sections: (v.sections ?? []).map((s) => ({ ...s, rows: s.rows ?? [] })) }));
}
