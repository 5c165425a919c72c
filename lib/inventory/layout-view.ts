import type { LayoutDocument } from '@/lib/contracts/inventory';

/**
 * The layout without the seats of some price tiers (hidden tiers a viewer has not unlocked): those tiers, their
 * seats, and the rows and sections left with no seat are gone, so nothing in the document names them. The seats
 * that remain keep their availability positions in `seats.position` (the feed's positions count every seat of the
 * event). Omitting nothing returns the document itself.
 */
export function layoutWithout(doc: LayoutDocument, omitTierIds: ReadonlySet<string>): LayoutDocument {
  if (!doc.tiers.some((t) => omitTierIds.has(t.id))) return doc;
  const tierIndex = new Map<number, number>();
  const tiers: LayoutDocument['tiers'] = [];
  doc.tiers.forEach((t, i) => {
    if (!omitTierIds.has(t.id)) tierIndex.set(i, tiers.push(t) - 1);
  });
  const rowIndex = new Map<number, number>();
  const sectionIndex = new Map<number, number>();
  const rows: LayoutDocument['rows'] = [];
  const sections: LayoutDocument['sections'] = [];
  const src = doc.seats;
  const seats: Required<LayoutDocument['seats']> = {
    id: [],
    row: [],
    label: [],
    order: [],
    x: [],
    y: [],
    tier: [],
    flags: [],
    position: [],
  };
  for (let p = 0; p < src.id.length; p++) {
    const tier = tierIndex.get(src.tier[p]!);
    if (tier === undefined) continue;
    const oldRow = src.row[p]!;
    let row = rowIndex.get(oldRow);
    if (row === undefined) {
      const { section: oldSection, label } = doc.rows[oldRow]!;
      let section = sectionIndex.get(oldSection);
      if (section === undefined) {
        section = sections.push(doc.sections[oldSection]!) - 1;
        sectionIndex.set(oldSection, section);
      }
      row = rows.push({ section, label }) - 1;
      rowIndex.set(oldRow, row);
    }
    seats.id.push(src.id[p]!);
    seats.row.push(row);
    seats.label.push(src.label[p]!);
    seats.order.push(src.order[p]!);
    seats.x.push(src.x[p]!);
    seats.y.push(src.y[p]!);
    seats.tier.push(tier);
    seats.flags.push(src.flags[p]!);
    seats.position.push(src.position ? src.position[p]! : p);
  }
  return { ...doc, tiers, sections, rows, seats };
}
