/**
 * Which free seats fit a waiting party (docs/waitlist.md). Pure: the matcher passes the event's free seats and one
 * entry's needs, and holds what this returns. No server imports.
 */

export type FreeSeat = {
  id: number;
  sectionId: string;
  rowIndex: number;
  seatIndex: number;
  wheelchair: boolean;
  priceTierId: string;
  priceMinor: number;
};

export type PartyNeeds = {
  partySize: number;
  maxPriceMinor: number;
  wheelchairSeats: number;
  /** Null: any tier. */
  priceTierId: string | null;
};

const byPlace = (a: FreeSeat, b: FreeSeat) =>
  a.sectionId < b.sectionId ? -1 : a.sectionId > b.sectionId ? 1 : a.rowIndex - b.rowIndex || a.seatIndex - b.seatIndex;

/**
 * The seats to offer the party, or null when the free seats cannot seat it. Only seats of the asked tier (if any)
 * within the price ceiling count, and at least `wheelchairSeats` of them must be wheelchair spaces.
 * 1. Together: the first run of side-by-side seats in one row (consecutive seat indexes; an aisle breaks a run).
 * 2. Else as close as the seats allow: one row, then one section, then anywhere; the wheelchair spaces first, then
 *    the seats nearest them in layout order.
 */
export function chooseSeats(free: readonly FreeSeat[], needs: PartyNeeds): number[] | null {
  const fits = free
    .filter((s) => s.priceMinor <= needs.maxPriceMinor && (!needs.priceTierId || s.priceTierId === needs.priceTierId))
    .sort(byPlace);
  if (fits.length < needs.partySize) return null;
  if (fits.filter((s) => s.wheelchair).length < needs.wheelchairSeats) return null;

  const together = sideBySide(fits, needs);
  if (together) return together;

  const groups = [...groupBy(fits, (s) => `${s.sectionId}:${s.rowIndex}`), ...groupBy(fits, (s) => s.sectionId), fits];
  for (const group of groups) {
    const picked = pickFrom(group, needs);
    if (picked) return picked;
  }
  return null;
}

function sideBySide(fits: FreeSeat[], needs: PartyNeeds): number[] | null {
  let run: FreeSeat[] = [];
  for (const seat of fits) {
    const last = run[run.length - 1];
    const adjacent =
      last &&
      last.sectionId === seat.sectionId &&
      last.rowIndex === seat.rowIndex &&
      seat.seatIndex === last.seatIndex + 1;
    run = adjacent ? [...run, seat] : [seat];
    if (run.length >= needs.partySize) {
      const window = run.slice(run.length - needs.partySize);
      if (window.filter((s) => s.wheelchair).length >= needs.wheelchairSeats) return window.map((s) => s.id);
    }
  }
  return null;
}

function pickFrom(group: FreeSeat[], needs: PartyNeeds): number[] | null {
  if (group.length < needs.partySize) return null;
  const wheelchair = group.filter((s) => s.wheelchair).slice(0, needs.wheelchairSeats);
  if (wheelchair.length < needs.wheelchairSeats) return null;
  const taken = new Set(wheelchair.map((s) => s.id));
  const anchor = wheelchair[0] ?? group[0]!;
  const anchorAt = group.indexOf(anchor);
  // The rest: the seats nearest the first chosen one in layout order.
  const rest = group
    .map((s, i) => ({ s, distance: Math.abs(i - anchorAt) }))
    .filter(({ s }) => !taken.has(s.id))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, needs.partySize - wheelchair.length)
    .map(({ s }) => s);
  return [...wheelchair, ...rest].sort(byPlace).map((s) => s.id);
}

function groupBy(seats: FreeSeat[], key: (s: FreeSeat) => string): FreeSeat[][] {
  const groups = new Map<string, FreeSeat[]>();
  for (const s of seats) groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  return [...groups.values()];
}
