import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { sections, venues } from '@/db/schema';
import { rows } from '@/db/sql';
import { venueLayoutSchema, type VenueLayout } from '@/lib/contracts/venue-layout';
import { AppError } from '@/lib/errors';
import { assertId } from './ids';

export async function getVenueOrThrow(db: Database, id: string) {
  assertId(id, 'venue');
  const [venue] = await db.select().from(venues).where(eq(venues.id, id));
  if (!venue) throw new AppError('NOT_FOUND', 'No such venue.');
  return venue;
}

/**
 * The venue's layout file (docs/venue-layout.md): the one it was built from, unchanged. A venue created before
 * layouts were kept gets one rebuilt from its seats: the same sections, rows, seat numbers, aisles and flags, in
 * straight rows (positions are not recoverable).
 */
export async function getVenueLayout(db: Database, id: string): Promise<VenueLayout> {
  const venue = await getVenueOrThrow(db, id);
  const kept = venueLayoutSchema.safeParse(venue.drawing.layout);
  if (venue.drawing.layout !== undefined && kept.success) return kept.data;

  const sectionRows = await db.select().from(sections).where(eq(sections.venueId, id)).orderBy(asc(sections.sortOrder));
  const seatRows = await rows<{
    section_id: string;
    row_label: string;
    row_index: number;
    seat_label: string;
    seat_index: number;
    wheelchair: boolean;
    companion: boolean;
    restricted_view: boolean;
  }>(
    db,
    sql`select section_id, row_label, row_index, seat_label, seat_index, wheelchair, companion, restricted_view
        from seats where venue_id = ${id} order by section_id, row_index, seat_index`,
  );
  const bySection = groupBy(seatRows, (s) => s.section_id);
  return venueLayoutSchema.parse({
    name: venue.name,
    city: venue.city,
    country: venue.country,
    address: venue.address,
    timezone: venue.timezone,
    description: venue.description,
    ...(venue.drawing.stage ? { stage: venue.drawing.stage } : {}),
    sections: sectionRows.map((section, i) => {
      const seats = bySection.get(section.id) ?? [];
      const byRow = [...groupBy(seats, (s) => s.row_index).values()];
      const numbers = seats.map((s) => Number(s.seat_label)).filter(Number.isFinite);
      const first = numbers.length ? Math.min(...numbers) : 1;
      const ascending = byRow.every((r) => r.length < 2 || Number(r[1]!.seat_label) > Number(r[0]!.seat_label));
      return {
        label: section.label,
        name: section.name,
        origin: { x: i * 400, y: 0 },
        numbering: ascending ? 'ltr' : 'rtl',
        firstSeatNumber: first,
        rows: byRow.map((r) => ({
          label: r[0]!.row_label,
          seats: r.length,
          aislesAfter: r.flatMap((s, k) => (k > 0 && s.seat_index - r[k - 1]!.seat_index > 1 ? [k] : [])),
          wheelchair: r.filter((s) => s.wheelchair).map((s) => Number(s.seat_label)),
          companion: r.filter((s) => s.companion).map((s) => Number(s.seat_label)),
          restrictedView: r.filter((s) => s.restricted_view).map((s) => Number(s.seat_label)),
        })),
      };
    }),
  });
}

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
