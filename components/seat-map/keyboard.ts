import type { SeatMapModel } from './model';

export type Move =
  'left' | 'right' | 'up' | 'down' | 'rowStart' | 'rowEnd' | 'previousSection' | 'nextSection' | 'first' | 'last';

/** Keys of the map's keyboard path; anything else is left to the browser. */
export const KEY_MOVES: Record<string, Move> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'rowStart',
  End: 'rowEnd',
  PageUp: 'previousSection',
  PageDown: 'nextSection',
};

/** The seat of row r nearest to a point (in map units). */
function nearestInRow(model: SeatMapModel, r: number, x: number, y: number): number {
  const seats = model.rowSeats[r]!;
  let best = seats[0]!;
  let bestDistance = Infinity;
  for (const p of seats) {
    const d = Math.hypot(model.layout.seats.x[p]! - x, model.layout.seats.y[p]! - y);
    if (d < bestDistance) {
      bestDistance = d;
      best = p;
    }
  }
  return best;
}

/** The seat nearest the front middle of a section: where a keyboard user lands on entering it. */
export function sectionEntry(model: SeatMapModel, section: number): number | null {
  const rows = model.sectionRows[section]!.filter((r) => model.rowSeats[r]!.length);
  if (!rows.length) return null;
  const front = model.rowSeats[rows[0]!]!;
  return front[Math.floor((front.length - 1) / 2)]!;
}

/**
 * Where the keyboard focus goes from `position`. Left and right follow the row's physical order; up and down go
 * to the nearest seat of the row in front or behind, continuing into the previous or next section at the first or
 * last row; Page Up and Page Down jump a whole section. Returns the same position at an edge.
 */
export function move(model: SeatMapModel, position: number, to: Move): number {
  const { layout } = model;
  const r = layout.seats.row[position]!;
  const rowSeats = model.rowSeats[r]!;
  const i = model.indexInRow[position]!;
  const section = model.sectionOf[position]!;
  const x = layout.seats.x[position]!;
  const y = layout.seats.y[position]!;
  const sectionCount = layout.sections.length;
  const nonEmpty = (s: number) => model.sectionRows[s]!.filter((row) => model.rowSeats[row]!.length);

  switch (to) {
    case 'left':
      return rowSeats[Math.max(0, i - 1)]!;
    case 'right':
      return rowSeats[Math.min(rowSeats.length - 1, i + 1)]!;
    case 'rowStart':
      return rowSeats[0]!;
    case 'rowEnd':
      return rowSeats[rowSeats.length - 1]!;
    case 'up':
    case 'down': {
      const rows = nonEmpty(section);
      const k = rows.indexOf(r) + (to === 'up' ? -1 : 1);
      if (k >= 0 && k < rows.length) return nearestInRow(model, rows[k]!, x, y);
      for (let s = section + (to === 'up' ? -1 : 1); s >= 0 && s < sectionCount; s += to === 'up' ? -1 : 1) {
        const other = nonEmpty(s);
        if (!other.length) continue;
        const target = to === 'up' ? other[other.length - 1]! : other[0]!;
        const seats = model.rowSeats[target]!;
        const fraction = rowSeats.length > 1 ? i / (rowSeats.length - 1) : 0.5;
        return seats[Math.round(fraction * (seats.length - 1))]!;
      }
      return position;
    }
    case 'previousSection':
    case 'nextSection': {
      for (
        let s = section + (to === 'previousSection' ? -1 : 1);
        s >= 0 && s < sectionCount;
        s += to === 'previousSection' ? -1 : 1
      ) {
        const entry = sectionEntry(model, s);
        if (entry !== null) return entry;
      }
      return position;
    }
    case 'first':
      return firstSeat(model) ?? position;
    case 'last':
      return model.count > 0 ? (model.rowSeats[model.rowSeats.length - 1]!.at(-1) ?? position) : position;
  }
}

export function firstSeat(model: SeatMapModel): number | null {
  for (let s = 0; s < model.layout.sections.length; s++) {
    const entry = sectionEntry(model, s);
    if (entry !== null) return entry;
  }
  return null;
}
