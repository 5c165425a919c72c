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
function focusPoint(layout: LayoutDocument): { x: number; y: number } {
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

type Block = { positions: number[]; orphans: number; distance: number; cost: number };

const ACCESS_BITS = SEAT_FLAG.wheelchair | SEAT_FLAG.companion;

const pitchCache = new WeakMap<LayoutDocument, number>();

/**
 * The usual distance between two neighbouring seats of a row, in the layout's units: the yardstick for what a
 * stranded seat, an aisle in the middle of a party or a split over two rows is worth in distance from the stage.
 */
function seatPitch(layout: LayoutDocument): number {
  const cached = pitchCache.get(layout);
  if (cached !== undefined) return cached;
  const { order, x, y } = layout.seats;
  const gaps: number[] = [];
  for (const seats of groupRows(layout).seats) {
    for (let i = 1; i < seats.length && gaps.length < 4096; i++) {
      const a = seats[i - 1]!;
      const b = seats[i]!;
      if (order[b]! - order[a]! === 1) gaps.push(Math.hypot(x[b]! - x[a]!, y[b]! - y[a]!));
    }
  }
  gaps.sort((a, b) => a - b);
  const pitch = gaps.length ? gaps[Math.floor(gaps.length / 2)]! || 1 : 1;
  pitchCache.set(layout, pitch);
  return pitch;
}

/**
 * What each compromise costs, in seat pitches of distance from the stage: a party moves back about two seats (a
 * row) rather than leave one seat nobody will buy, or sit on both sides of an aisle; it splits over two rows only
 * when no row has room at all.
 */
const ORPHAN_COST = 2;
const AISLE_COST = 2;
/**
 * Between blocks equally near the stage, the middle of the row: in a row curved around the stage (the seed arena's
 * sections) every block is at the same distance, and the first found was an arbitrary one off to the side.
 */
const OFF_MIDDLE_COST = 0.1;

/**
 * Finds `quantity` seats for which `isFree(position)` holds (the caller decides what free means, e.g. available
 * or already chosen by this buyer). docs/decisions/027-best-available.md explains the preference:
 *
 * 1. Within the asked price tier; with no price asked, the dearest tier that can seat the party together (the
 *    organizer's prices rank the seats), then any tier.
 * 2. Together: one row side by side (across an aisle only when that is nearer), then two blocks in neighbouring
 *    rows of one section, and only then the nearest single seats of one section.
 * 3. Closest to the stage (or the middle of the venue), where a single seat left hemmed in by taken seats (or the
 *    end of a row, or an aisle) or an aisle inside the party counts as two seats further away: no stranded seats
 *    where a nearby choice avoids them.
 * Returns null when not enough seats match.
 */
export function bestAvailable(
  layout: LayoutDocument,
  isFree: (position: number) => boolean,
  request: BestAvailableRequest,
): BestAvailableResult | null {
  const quantity = Math.floor(request.quantity);
  if (!(quantity >= 1)) return null;
  const groups = groupRows(layout);
  const focus = focusPoint(layout);
  const pitch = seatPitch(layout);
  const { order, tier, flags, x, y } = layout.seats;

  /** The tiers a phase may use: undefined for any. */
  let tiers: ReadonlySet<number> | undefined;
  const eligible = (p: number) => {
    if (!isFree(p)) return false;
    if (request.tier !== undefined && tier[p] !== request.tier) return false;
    if (tiers && !tiers.has(tier[p]!)) return false;
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

  const better = (a: Block, b: Block | null) => !b || a.cost < b.cost - 1e-9;

  const hasWheelchair = (positions: number[]) => positions.some((p) => (flags[p]! & SEAT_FLAG.wheelchair) !== 0);

  /**
   * The best block of n in row r (fewest stranded seats, then nearest the stage, or to `near`), or null: seats of
   * the row in order, all eligible, with no seat of the row between them; an aisle between two of them costs
   * AISLE_COST.
   */
  const bestInRow = (r: number, n: number, needWheelchair: boolean, near?: { x: number; y: number }): Block | null => {
    let best: Block | null = null;
    const seats = groups.seats[r]!;
    const to = near ?? focus;
    const middle = centroid(seats);
    let run = 0;
    for (let end = 0; end < seats.length; end++) {
      run = eligible(seats[end]!) ? run + 1 : 0;
      if (run < n) continue;
      const first = end - n + 1;
      const positions = seats.slice(first, end + 1);
      if (needWheelchair && !hasWheelchair(positions)) continue;
      let aisles = 0;
      for (let i = first + 1; i <= end; i++) if (!adjacentInRow(seats, i - 1, i)) aisles++;
      const centre = centroid(positions);
      const distance = Math.hypot(centre.x - to.x, centre.y - to.y);
      const orphans = orphansAround(r, first, end);
      const offMiddle = Math.hypot(centre.x - middle.x, centre.y - middle.y) * OFF_MIDDLE_COST;
      const block: Block = {
        positions,
        orphans,
        distance,
        cost: distance + offMiddle + (orphans * ORPHAN_COST + aisles * AISLE_COST) * pitch,
      };
      // Within a row, a block that strands nobody always wins: the party slides along the row instead.
      if (!best || orphans < best.orphans || (orphans === best.orphans && better(block, best))) best = block;
    }
    return best;
  };

  const inOneRow = (): Block | null => {
    let best: Block | null = null;
    for (let r = 0; r < layout.rows.length; r++) {
      if (!wanted(r)) continue;
      const block = bestInRow(r, quantity, Boolean(request.accessible));
      if (block && better(block, best)) best = block;
    }
    return best;
  };

  /** Two blocks, one behind the other, in neighbouring rows of one section. */
  const inTwoRows = (): Block | null => {
    if (quantity === 1) return null;
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
        const distance = a.distance + distanceOf(b.positions) + b.distance;
        const block: Block = {
          positions,
          orphans: a.orphans + b.orphans,
          distance,
          cost: distance + (a.cost - a.distance) + (b.cost - b.distance),
        };
        if (better(block, pair)) pair = block;
      }
    }
    return pair;
  };

  // Dearest first when no price was asked (tiers of one price together), then any mix of tiers.
  const phases: (ReadonlySet<number> | undefined)[] = [];
  if (request.tier === undefined && layout.tiers.length > 1) {
    const prices = [...new Set(layout.tiers.map((t) => t.priceMinor))].sort((a, b) => b - a);
    for (const price of prices)
      phases.push(new Set(layout.tiers.flatMap((t, i) => (t.priceMinor === price ? [i] : []))));
  }
  phases.push(undefined);
  for (const phase of phases) {
    tiers = phase;
    const row = inOneRow();
    if (row) return { positions: row.positions, arrangement: 'row', orphans: row.orphans };
    const pair = inTwoRows();
    if (pair) return { positions: pair.positions, arrangement: 'rows', orphans: pair.orphans };
  }
  tiers = undefined;

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
