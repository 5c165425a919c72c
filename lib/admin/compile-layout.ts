import type { SectionSpec, VenueLayout } from '@/lib/contracts/venue-layout';

/** A seat as the layout compiler places it; the same shape drives the admin preview and the database rows. */
export type CompiledSeat = {
  sectionLabel: string;
  rowLabel: string;
  rowIndex: number;
  seatLabel: string;
  /** Physical order in the row; an aisle skips a number, so adjacent seats differ by exactly one. */
  seatIndex: number;
  x: number;
  y: number;
  wheelchair: boolean;
  companion: boolean;
  restrictedView: boolean;
};

const round = (n: number) => Math.round(n * 10) / 10;

/** Places every seat of a section: rows stack away from the stage, bend around curveRadius, then turn and move. */
export function compileSection(section: SectionSpec): CompiledSeat[] {
  const seats: CompiledSeat[] = [];
  const angle = (section.rotation * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  section.rows.forEach((row, rowIndex) => {
    const aisles = [...row.aislesAfter].sort((a, b) => a - b);
    const width = row.seats + aisles.length; // in seat widths, aisles included
    for (let position = 0; position < row.seats; position++) {
      const gapsBefore = aisles.filter((a) => a <= position).length;
      const slot = position + gapsBefore;
      const number =
        section.numbering === 'ltr'
          ? section.firstSeatNumber + position
          : section.firstSeatNumber + row.seats - 1 - position;
      let localX = (slot - (width - 1) / 2 + row.offset) * section.seatSpacing;
      let localY = rowIndex * section.rowSpacing;
      if (section.curveRadius > 0) {
        const radius = section.curveRadius + localY;
        const theta = localX / radius;
        localX = Math.sin(theta) * radius;
        localY = Math.cos(theta) * radius - section.curveRadius;
      }
      seats.push({
        sectionLabel: section.label,
        rowLabel: row.label,
        rowIndex,
        seatLabel: String(number),
        seatIndex: slot,
        x: round(section.origin.x + localX * cos - localY * sin),
        y: round(section.origin.y + localX * sin + localY * cos),
        wheelchair: row.wheelchair.includes(number),
        companion: row.companion.includes(number),
        restrictedView: row.restrictedView.includes(number),
      });
    }
  });
  return seats;
}

export function compileLayout(layout: Pick<VenueLayout, 'sections'>): CompiledSeat[] {
  return layout.sections.flatMap(compileSection);
}
