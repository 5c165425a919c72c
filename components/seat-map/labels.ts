import { SEAT_FLAG, type AvailabilityStatus, type LayoutDocument } from '@/lib/contracts/inventory';
import { formatMoney } from '@/lib/format';

/** What a person hears or reads for a seat's state. */
export type SeatState = AvailabilityStatus | 'selected';

export const STATUS_WORDS: Record<SeatState, string> = {
  available: 'available',
  held: 'held by another buyer',
  sold: 'sold',
  blocked: 'not for sale',
  yours: 'held for you',
  selected: 'selected',
};

/** "Section 104" for numbered sections, else the section's own name ("Stalls", "Balcony"). */
export function sectionName(layout: LayoutDocument, section: number): string {
  const s = layout.sections[section]!;
  return /^\d/.test(s.label) ? `Section ${s.label}` : s.name;
}

/** "Section 104, row F, seat 12". */
export function seatName(layout: LayoutDocument, position: number): string {
  const row = layout.rows[layout.seats.row[position]!]!;
  return `${sectionName(layout, row.section)}, row ${row.label}, seat ${layout.seats.label[position]}`;
}

export function seatFeatures(layout: LayoutDocument, position: number): string[] {
  const flags = layout.seats.flags[position]!;
  const out: string[] = [];
  if (flags & SEAT_FLAG.wheelchair) out.push('wheelchair space');
  if (flags & SEAT_FLAG.companion) out.push('companion seat');
  if (flags & SEAT_FLAG.restrictedView) out.push('restricted view');
  return out;
}

export function seatPrice(layout: LayoutDocument, position: number, locale?: string): string {
  const tier = layout.tiers[layout.seats.tier[position]!];
  return tier ? formatMoney(tier.priceMinor, layout.currency, locale) : '';
}

/** The full label a screen reader reads: "Section 104, row F, seat 12, $85, available, wheelchair space". */
export function describeSeat(layout: LayoutDocument, position: number, state: SeatState, locale?: string): string {
  return [
    seatName(layout, position),
    seatPrice(layout, position, locale),
    STATUS_WORDS[state],
    ...seatFeatures(layout, position),
  ]
    .filter(Boolean)
    .join(', ');
}

/** "Stalls, row F, seats 11 and 12" style list for messages naming several seats. */
export function listSeats(layout: LayoutDocument, positions: number[]): string {
  const names = positions.map((p) => seatName(layout, p));
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join('; ')} and ${names[names.length - 1]}`;
}
