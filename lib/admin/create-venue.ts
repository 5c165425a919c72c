import 'server-only';
import type { Database } from '@/db/client';
import { seats, sections, venues } from '@/db/schema';
import { venueDetails, venueLayoutSchema, type VenueLayoutInput } from '@/lib/contracts/venue-layout';
import { compileSection } from './compile-layout';
import { recordAudit } from './record-audit';

const SEAT_BATCH = 4_000; // 13 parameters a row keeps a batch well under PostgreSQL's 65,535

/** Creates a venue with its sections and every seat, in one transaction; 50,000 seats take a few seconds. */
export async function createVenue(
  db: Database,
  input: VenueLayoutInput,
  actorId: string | null,
  options: { source?: 'builder' | 'import' | 'seed' } = {},
): Promise<{ id: string; seatCount: number }> {
  const layout = venueLayoutSchema.parse(input);
  return db.transaction(async (tx) => {
    const [venue] = await tx
      .insert(venues)
      .values({
        ...venueDetails(layout),
        // The parsed layout is kept whole, so an export gives back exactly what was imported.
        drawing: { ...(layout.stage ? { stage: layout.stage } : {}), layout },
      })
      .returning({ id: venues.id });
    const venueId = venue!.id;
    const sectionRows = await tx
      .insert(sections)
      .values(layout.sections.map((s, i) => ({ venueId, label: s.label, name: s.name, sortOrder: i })))
      .returning({ id: sections.id, label: sections.label });
    const sectionIds = new Map(sectionRows.map((s) => [s.label, s.id]));

    const rows = layout.sections.flatMap((section) =>
      compileSection(section).map((seat) => ({
        venueId,
        sectionId: sectionIds.get(section.label)!,
        rowLabel: seat.rowLabel,
        rowIndex: seat.rowIndex,
        seatLabel: seat.seatLabel,
        seatIndex: seat.seatIndex,
        x: seat.x,
        y: seat.y,
        wheelchair: seat.wheelchair,
        companion: seat.companion,
        restrictedView: seat.restrictedView,
      })),
    );
    for (let i = 0; i < rows.length; i += SEAT_BATCH) await tx.insert(seats).values(rows.slice(i, i + SEAT_BATCH));

    await recordAudit(tx, {
      actorId,
      action: 'venue.create',
      entityType: 'venue',
      entityId: venueId,
      after: {
        name: layout.name,
        city: layout.city,
        sections: layout.sections.map((s) => s.label),
        seats: rows.length,
        source: options.source ?? 'builder',
      },
    });
    return { id: venueId, seatCount: rows.length };
  });
}
