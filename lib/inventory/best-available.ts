import { SEAT_FLAG, type LayoutDocument } from '@/lib/contracts/inventory';

/**
 * "Best available": pure and synchronous, so the browser can answer at once from the availability it already has
 * (the hold request then settles who really gets the seats). No server imports.
 */

export type BestAvailableRequest = {
  quantity: number;
  /** Index into layout.tiers; omit for any tier. */
  tier?: number;
  /** Index into layout.sections; omit for any section. */
  section?: number;
  /**
   * The buyer needs a wheelchair space: the block must contain one (companion seats are allowed too).
   * Without it, wheelchair and companion seats are never offered.
   */
  accessible?: boolean;
};

export type BestAvailableResult = {
  /** Layout positions, in row order. */
  positions: number[];
  /** 'row': all in one row side by side; 'rows': two blocks in neighbouring rows; 'scattered': nearest single seats. */
  arrangement: 'row' | 'rows' | 'scattered';
  /** Single free seats the choice leaves hemmed in (0 unless it could not be avoided; not counted when scattered). */
  orphans: number;
};

/** The positions of every row, sorted by physical order; computed once per layout document. */
export type RowGroups = { seats: number[][] };

const groupsCache = new WeakMap<LayoutDocument, RowGroups>();

export function groupRows(layout: LayoutDocument): RowGroups {
  const cached = groupsCache.get(layout);
  if (cached) return cached;
  const seats: number[][] = layout.rows.map(() => []);
  const { row, order } = layout.seats;
  for (let p = 0; p < row.length; p++) seats[row[p]!]!.push(p);
  for (const list of seats) list.sort((a, b) => order[a]! - order[b]!);
  const groups = { seats };
  groupsCache.set(layout, groups);
  return groups;
}

/** The point seats are judged against: the middle of the stage (or field), else the middle of all seats. */
export function focusPoint(layout: LayoutDocument): { x: number; y: number } {
  if (layout.stage) return { x: layout.stage.x + layout.stage.width / 2, y: layout.stage.y + layout.stage.height / 2 };
  const { x, y } = layout.seats;
  let sx = 0;
  let sy = 0;
  for (let p = 0; p < x.length; p++) {
    sx += x[p]!;
    sy += y[p]!;
  }
  return x.length ? { x: sx / x.length, y: sy / x.length } : { x: 0, y: 0 };
}

type Block = { positions: number[]; orphans: number; distance: number };

const ACCESS_BITS = SEAT_FLAG.wheelchair | SEAT_FLAG.companion;

/**
 * Finds `quantity` seats for which `isFree(position)` holds (the caller decides what free means, e.g. available
 * or already chosen by this buyer). Preference, in order: one row side by side, then two blocks in neighbouring
 * rows of one section, then the nearest single seats of one section. Within each, a choice that leaves no single
 * seat hemmed in by taken seats (or the end of a row, or an aisle) wins; then the one nearest the stage.
 * Returns null when not enough seats match.
 */
export function bestAvailable(layout: LayoutDocument, isFree: (position: number) => boolean, request: BestAvailableRequest): BestAvailableResult | null {
  const quantity = Math.floor(request.quantity);
  if (!(quantity >= 1)) return null;
  const groups = groupRows(layout);
  const focus = focusPoint(layout);
  const { order, tier, flags, x, y } = layout.seats;

  const eligible = (p: number) => {
    if (!isFree(p)) return false;
    if (request.tier !== undefined && tier[p] !== request.tier) return false;
    if (!request.accessible && (flags[p]! & ACCESS_BITS) !== 0) return false;
    return true;
  };
  const wanted = (r: number) => request.section === undefined || layout.rows[r]!.section === request.section;

  const centroid = (positions: number[]) => {
    let sx = 0;
    let sy = 0;
    for (const p of positions) {
      sx += x[p]!;
      sy += y[p]!;
    }
    return { x: sx / positions.length, y: sy / positions.length };
  };

  const distanceOf = (positions: number[]) => {
    const c = centroid(positions);
    return Math.hypot(c.x - focus.x, c.y - focus.y);
  };

  /** Free seats of a row as runs of indexes into the row, physically adjacent (an aisle or a taken seat ends a run). */
  const runsOf = (r: number) => {
    const seats = groups.seats[r]!;
    const runs: number[][] = [];
    let current: number[] = [];
    for (let i = 0; i < seats.length; i++) {
      const p = seats[i]!;
      const adjacent = i > 0 && order[p]! - order[seats[i - 1]!]! === 1;
      if (!adjacent || !eligible(p)) {
        if (current.length) runs.push(current);
        current = [];
      }
      if (eligible(p)) current.push(i);
    }
    if (current.length) runs.push(current);
    return runs;
  };

  const adjacentInRow = (seats: number[], i: number, j: number) => {
    const a = seats[i];
    const b = seats[j];
    return a !== undefined && b !== undefined && Math.abs(order[a]! - order[b]!) === 1;
  };

  /**
   * How many single free seats taking seats[first..last] of row r would strand: a free neighbour whose other side
   * is taken, an aisle or the end of the row.
   */
  const orphansAround = (r: number, first: number, last: number) => {
    const seats = groups.seats[r]!;
    const stranded = (i: number, step: -1 | 1) => {
      if (!adjacentInRow(seats, i, i - step) || !isFree(seats[i]!)) return 0;
      return adjacentInRow(seats, i, i + step) && isFree(seats[i + step]!) ? 0 : 1;
    };
    return stranded(first - 1, -1) + stranded(last + 1, 1);
  };

  const better = (a: Block, b: Block | null) => !b || a.orphans < b.orphans || (a.orphans === b.orphans && a.distance < b.distance - 1e-9);

  const hasWheelchair = (positions: number[]) => positions.some((p) => (flags[p]! & SEAT_FLAG.wheelchair) !== 0);

  /** The best block of n side by side in row r (nearest the stage, or to `near`), or null. */
  const bestInRow = (r: number, n: number, needWheelchair: boolean, near?: { x: number; y: number }): Block | null => {
    let best: Block | null = null;
    const seats = groups.seats[r]!;
    for (const run of runsOf(r)) {
      for (let start = 0; start + n <= run.length; start++) {
        const positions = run.slice(start, start + n).map((i) => seats[i]!);
        if (needWheelchair && !hasWheelchair(positions)) continue;
        const centre = centroid(positions);
        const to = near ?? focus;
        const block: Block = { positions, orphans: orphansAround(r, run[start]!, run[start + n - 1]!), distance: Math.hypot(centre.x - to.x, centre.y - to.y) };
        if (better(block, best)) best = block;
      }
    }
    return best;
  };

  let best: Block | null = null;
  for (let r = 0; r < layout.rows.length; r++) {
    if (!wanted(r)) continue;
    const block = bestInRow(r, quantity, Boolean(request.accessible));
    if (block && better(block, best)) best = block;
  }
  if (best) return { positions: best.positions, arrangement: 'row', orphans: best.orphans };
  if (quantity === 1) return null;

  // Two blocks, one behind the other, in neighbouring rows of one section.
  const front = Math.ceil(quantity / 2);
  const back = quantity - front;
  let pair: Block | null = null;
  for (let r = 0; r + 1 < layout.rows.length; r++) {
    if (!wanted(r) || layout.rows[r]!.section !== layout.rows[r + 1]!.section) continue;
    for (const [first, second] of [
      [r, r + 1],
      [r + 1, r],
    ] as const) {
      const a = bestInRow(first, front, Boolean(request.accessible));
      if (!a) continue;
      const b = bestInRow(second, back, false, centroid(a.positions));
      if (!b) continue;
      const positions = first < second ? [...a.positions, ...b.positions] : [...b.positions, ...a.positions];
      const block: Block = { positions, orphans: a.orphans + b.orphans, distance: a.distance + distanceOf(b.positions) + b.distance };
      if (better(block, pair)) pair = block;
    }
  }
  if (pair) return { positions: pair.positions, arrangement: 'rows', orphans: pair.orphans };

  // The nearest single seats, all in one section, so the party is at least close together.
  let scattered: { positions: number[]; distance: number } | null = null;
  for (let s = 0; s < layout.sections.length; s++) {
    if (request.section !== undefined && request.section !== s) continue;
    const candidates: number[] = [];
    for (let r = 0; r < layout.rows.length; r++) {
      if (layout.rows[r]!.section !== s) continue;
      for (const p of groups.seats[r]!) if (eligible(p)) candidates.push(p);
    }
    if (candidates.length < quantity) continue;
    const distance = (p: number) => Math.hypot(x[p]! - focus.x, y[p]! - focus.y);
    candidates.sort((a, b) => distance(a) - distance(b));
    const chosen = candidates.slice(0, quantity);
    if (request.accessible && !hasWheelchair(chosen)) {
      const wheelchair = candidates.find((p) => (flags[p]! & SEAT_FLAG.wheelchair) !== 0);
      if (wheelchair === undefined) continue;
      chosen[chosen.length - 1] = wheelchair;
    }
    const total = chosen.reduce((n, p) => n + distance(p), 0);
    if (!scattered || total < scattered.distance) scattered = { positions: chosen, distance: total };
  }
  if (!scattered) return null;
  const positions = [...scattered.positions].sort((a, b) => a - b);
  return { positions, arrangement: 'scattered', orphans: 0 };
}
