import { compileLayout } from '@/lib/admin/compile-layout';
import { SEAT_FLAG, type LayoutDocument } from '@/lib/contracts/inventory';
import { venueLayoutSchema, type VenueLayoutInput } from '@/lib/contracts/venue-layout';

type Tier = { name: string; priceMinor: number; color: string };

/**
 * A LayoutDocument built from a venue layout the way publishing an event lays it out (sections in order, then
 * rows, then seats along each row), for tests that need a real venue (e.g. the 50,800-seat stadium) without a
 * database. `tierOf` returns a tier index for a seat's section and row.
 */
export function layoutDocumentFor(
  venue: VenueLayoutInput,
  options: { tiers?: Tier[]; tierOf?: (sectionLabel: string, rowLabel: string) => number; currency?: string; eventId?: string; firstSeatId?: number } = {},
): LayoutDocument {
  const layout = venueLayoutSchema.parse(venue);
  const tiers = options.tiers ?? [{ name: 'Standard', priceMinor: 5000, color: '#2563eb' }];
  const tierOf = options.tierOf ?? (() => 0);
  const seats = compileLayout(layout);
  const sectionIndex = new Map(layout.sections.map((s, i) => [s.label, i]));
  const rows: LayoutDocument['rows'] = [];
  const rowIndex = new Map<string, number>();
  const doc: LayoutDocument = {
    eventId: options.eventId ?? '00000000-0000-4000-8000-000000000000',
    layoutVersion: 'test',
    currency: options.currency ?? 'USD',
    stage: layout.stage ?? null,
    tiers: tiers.map((t, i) => ({ id: `tier-${i}`, ...t })),
    sections: layout.sections.map((s) => ({ label: s.label, name: s.name })),
    rows,
    seats: { id: [], row: [], label: [], order: [], x: [], y: [], tier: [], flags: [] },
  };
  const firstId = options.firstSeatId ?? 1000;
  seats.forEach((seat, position) => {
    const key = `${seat.sectionLabel}\u0000${seat.rowLabel}`;
    let row = rowIndex.get(key);
    if (row === undefined) {
      row = rows.length;
      rows.push({ section: sectionIndex.get(seat.sectionLabel)!, label: seat.rowLabel });
      rowIndex.set(key, row);
    }
    doc.seats.id.push(firstId + position);
    doc.seats.row.push(row);
    doc.seats.label.push(seat.seatLabel);
    doc.seats.order.push(seat.seatIndex);
    doc.seats.x.push(seat.x);
    doc.seats.y.push(seat.y);
    doc.seats.tier.push(tierOf(seat.sectionLabel, seat.rowLabel));
    doc.seats.flags.push((seat.wheelchair ? SEAT_FLAG.wheelchair : 0) | (seat.companion ? SEAT_FLAG.companion : 0) | (seat.restrictedView ? SEAT_FLAG.restrictedView : 0));
  });
  return doc;
}
