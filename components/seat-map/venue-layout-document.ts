import { compileLayout } from '@/lib/admin/compile-layout';
import { SEAT_FLAG, type LayoutDocument } from '@/lib/contracts/inventory';
import type { VenueLayout } from '@/lib/contracts/venue-layout';

type Tier = { name: string; priceMinor: number; color: string };

/**
 * A LayoutDocument for a venue layout that is not an event yet (the venue builder's preview, tests), laid out the
 * way publishing an event does it: sections in order, then rows, then seats along each row. Seat ids are made up
 * (`firstSeatId` onwards); `tierOf` picks a tier index for a seat's section and row.
 */
export function venueLayoutDocument(
  venue: Pick<VenueLayout, 'sections' | 'stage'>,
  options: {
    tiers?: Tier[];
    tierOf?: (sectionLabel: string, rowLabel: string) => number;
    currency?: string;
    eventId?: string;
    firstSeatId?: number;
  } = {},
): LayoutDocument {
  const tiers = options.tiers ?? [{ name: 'Standard', priceMinor: 0, color: '#2563eb' }];
  const tierOf = options.tierOf ?? (() => 0);
  const sectionIndex = new Map(venue.sections.map((s, i) => [s.label, i]));
  const rows: LayoutDocument['rows'] = [];
  const rowIndex = new Map<string, number>();
  const doc: LayoutDocument = {
    eventId: options.eventId ?? 'preview',
    layoutVersion: 'preview',
    currency: options.currency ?? 'USD',
    stage: venue.stage ? { ...venue.stage, label: venue.stage.label ?? 'Stage' } : null,
    tiers: tiers.map((t, i) => ({ id: `tier-${i}`, ...t })),
    sections: venue.sections.map((s) => ({ label: s.label, name: s.name })),
    rows,
    seats: { id: [], row: [], label: [], order: [], x: [], y: [], tier: [], flags: [] },
  };
  const firstId = options.firstSeatId ?? 1;
  compileLayout(venue).forEach((seat, position) => {
    const key = `${seat.sectionLabel}\u0000${seat.rowLabel}`;
    let row = rowIndex.get(key);
    if (row === undefined) {
      row = rows.push({ section: sectionIndex.get(seat.sectionLabel)!, label: seat.rowLabel }) - 1;
      rowIndex.set(key, row);
    }
    doc.seats.id.push(firstId + position);
    doc.seats.row.push(row);
    doc.seats.label.push(seat.seatLabel);
    doc.seats.order.push(seat.seatIndex);
    doc.seats.x.push(seat.x);
    doc.seats.y.push(seat.y);
    doc.seats.tier.push(tierOf(seat.sectionLabel, seat.rowLabel));
    doc.seats.flags.push(
      (seat.wheelchair ? SEAT_FLAG.wheelchair : 0) |
        (seat.companion ? SEAT_FLAG.companion : 0) |
        (seat.restrictedView ? SEAT_FLAG.restrictedView : 0),
    );
  });
  return doc;
}
