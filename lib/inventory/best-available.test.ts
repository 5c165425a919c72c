import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEAT_FLAG, type LayoutDocument } from '@/lib/contracts/inventory';
import { seedEvents } from '@/db/seed/events';
import { SEED_VENUES, stadium } from '@/db/seed/venues';
import { layoutDocumentFor } from '@/tests/support/layout-document';
import { bestAvailable, type BestAvailableRequest } from './best-available';

/**
 * Rows drawn as text, the stage above row 0 and centred on x = 0:
 *   '.' free   'x' taken   '|' aisle (skips a seat number)   'w'/'W' wheelchair free/taken   'c'/'C' companion
 *   'r' free restricted view.  A digit before a row's seats (e.g. "1:....") puts it in tier 1.
 */
function hall(sections: string[][]): {
  layout: LayoutDocument;
  free: (p: number) => boolean;
  name: (p: number) => string;
} {
  const layout: LayoutDocument = {
    eventId: 'e',
    layoutVersion: '1',
    currency: 'USD',
    stage: { x: -50, y: -40, width: 100, height: 20, label: 'Stage' },
    tiers: [
      { id: 't0', name: 'Stalls', priceMinor: 8500, color: '#2563eb' },
      { id: 't1', name: 'Premium', priceMinor: 12000, color: '#7c3aed' },
    ],
    sections: sections.map((_, s) => ({ label: `S${s + 1}`, name: `Section ${s + 1}` })),
    rows: [],
    seats: { id: [], row: [], label: [], order: [], x: [], y: [], tier: [], flags: [] },
  };
  const free: boolean[] = [];
  sections.forEach((rows, s) => {
    rows.forEach((text, r) => {
      const [tierText, seatText] = text.includes(':') ? text.split(':') : ['0', text];
      const row = layout.rows.push({ section: s, label: String.fromCharCode(65 + r) }) - 1;
      const width = seatText!.length;
      [...seatText!].forEach((ch, slot) => {
        if (ch === '|') return;
        layout.seats.id.push(layout.seats.id.length + 1);
        layout.seats.row.push(row);
        layout.seats.label.push(String(slot + 1));
        layout.seats.order.push(slot);
        layout.seats.x.push(s * 1000 + (slot - (width - 1) / 2) * 10);
        layout.seats.y.push(r * 12);
        layout.seats.tier.push(Number(tierText));
        layout.seats.flags.push(
          'wW'.includes(ch)
            ? SEAT_FLAG.wheelchair
            : 'cC'.includes(ch)
              ? SEAT_FLAG.companion
              : ch === 'r'
                ? SEAT_FLAG.restrictedView
                : 0,
        );
        free.push('.wcr'.includes(ch));
      });
    });
  });
  const name = (p: number) =>
    `${layout.sections[layout.rows[layout.seats.row[p]!]!.section]!.label}-${layout.rows[layout.seats.row[p]!]!.label}${layout.seats.label[p]}`;
  return { layout, free: (p) => free[p]!, name };
}

const pick = (h: ReturnType<typeof hall>, request: BestAvailableRequest) => {
  const result = bestAvailable(h.layout, h.free, request);
  return result && { ...result, seats: result.positions.map(h.name) };
};

describe('best available', () => {
  it('gives N seats side by side in the front row, centred', () => {
    const h = hall([['..........', '..........']]);
    expect(pick(h, { quantity: 2 })).toMatchObject({ arrangement: 'row', seats: ['S1-A5', 'S1-A6'], orphans: 0 });
  });

  it('never spans a taken seat, and an aisle only when that is nearer than the next row', () => {
    const h = hall([['..|..x..', '....|...']]);
    expect(pick(h, { quantity: 3 })?.seats).toEqual(['S1-B6', 'S1-B7', 'S1-B8']);
    // Row A's nine free seats (an aisle after the sixth) seat five without stranding anyone; row B only its edges.
    const across = hall([['......|...xxxxxxxxxx', '...xxxxxxxxxxxxxx...', '...xxxxxxxxxxxxxx...']]);
    expect(pick(across, { quantity: 5 })).toMatchObject({
      arrangement: 'row',
      seats: ['S1-A5', 'S1-A6', 'S1-A8', 'S1-A9', 'S1-A10'],
      orphans: 0,
    });
  });

  it('moves back a row rather than strand a single seat between taken ones', () => {
    // Row A has five free seats: any four of them leave one alone. Row B has exactly four.
    const h = hall([['xx.....xx', 'x....xxxx']]);
    expect(pick(h, { quantity: 4 })).toMatchObject({ seats: ['S1-B2', 'S1-B3', 'S1-B4', 'S1-B5'], orphans: 0 });
  });

  it('slides off the centre within a run to avoid stranding a seat on either side', () => {
    // Seven free: the centred block of five would leave one seat on each side.
    const h = hall([['x.......x']]);
    const result = pick(h, { quantity: 5 })!;
    expect(result.orphans).toBe(0);
    expect([
      ['S1-A2', 'S1-A3', 'S1-A4', 'S1-A5', 'S1-A6'],
      ['S1-A4', 'S1-A5', 'S1-A6', 'S1-A7', 'S1-A8'],
    ]).toContainEqual(result.seats);
  });

  it('counts a single seat left against an aisle or the row end as stranded', () => {
    // Three from the left block (nearer the centre) would leave one seat against the aisle or the row end;
    // the right block holds exactly three.
    const h = hall([['....|...']]);
    expect(pick(h, { quantity: 3 })).toMatchObject({ seats: ['S1-A6', 'S1-A7', 'S1-A8'], orphans: 0 });
  });

  it('still answers when a stranded seat cannot be avoided, and says so', () => {
    const h = hall([['x...x']]);
    expect(pick(h, { quantity: 2 })).toMatchObject({ arrangement: 'row', orphans: 1 });
  });

  it('keeps to the requested price tier', () => {
    const h = hall([['0:..........', '1:..........', '0:..........']]);
    expect(pick(h, { quantity: 2, tier: 1 })?.seats).toEqual(['S1-B5', 'S1-B6']);
    expect(pick(h, { quantity: 2, tier: 0 })?.seats).toEqual(['S1-A5', 'S1-A6']);
  });

  it('keeps to the requested section', () => {
    const h = hall([['....'], ['....']]);
    expect(pick(h, { quantity: 2 })?.seats[0]).toMatch(/^S1-/);
    expect(pick(h, { quantity: 2, section: 1 })?.seats).toEqual(['S2-A1', 'S2-A2']);
  });

  it('never offers wheelchair or companion seats unless asked', () => {
    const h = hall([['wc....cw', '........']]);
    const plain = pick(h, { quantity: 4 })!;
    expect(plain.seats).toEqual(['S1-A3', 'S1-A4', 'S1-A5', 'S1-A6']);
    // Six in row A would need the companion seats: the plain request goes to row B instead.
    expect(pick(h, { quantity: 6 })?.seats.every((s) => s.startsWith('S1-B'))).toBe(true);
    const onlyAccess = hall([['wcwc']]);
    expect(pick(onlyAccess, { quantity: 1 })).toBeNull();
  });

  it('includes a wheelchair space when one is needed', () => {
    const h = hall([['........', 'wc....cw']]);
    const result = pick(h, { quantity: 2, accessible: true })!;
    expect(result.seats.some((s) => ['S1-B1', 'S1-B8'].includes(s))).toBe(true);
    expect(result.arrangement).toBe('row');
    expect(pick(hall([['........']]), { quantity: 2, accessible: true })).toBeNull();
  });

  it('offers restricted-view seats like any other (they are flagged, not reserved)', () => {
    const h = hall([['rr']]);
    expect(pick(h, { quantity: 2 })?.seats).toEqual(['S1-A1', 'S1-A2']);
  });

  it('splits over two neighbouring rows of one section when no row has room', () => {
    const h = hall([['..x..x..', 'x..x..x.', '...x...x']]);
    const result = pick(h, { quantity: 4 })!;
    expect(result.arrangement).toBe('rows');
    const rows = new Set(result.seats.map((s) => s.slice(0, 4)));
    expect(rows.size).toBe(2);
    expect(result.seats).toHaveLength(4);
  });

  it('falls back to the nearest single seats of one section, then to nothing', () => {
    const h = hall([['.x.x.x', 'x.x.x.'], ['.x']]);
    const result = pick(h, { quantity: 4 })!;
    expect(result.arrangement).toBe('scattered');
    expect(result.seats.every((s) => s.startsWith('S1-'))).toBe(true);
    expect(pick(h, { quantity: 7 })).toBeNull();
    expect(pick(h, { quantity: 0 })).toBeNull();
  });

  it('answers quickly on the 50,800-seat stadium and keeps its wheelchair spaces for those who ask', () => {
    const layout = layoutDocumentFor(stadium('Summit Stadium', 'Austin', 'US', 'America/Chicago'));
    expect(layout.seats.id.length).toBe(50_800);
    const taken = new Uint8Array(layout.seats.id.length);
    // A busy on-sale: every third seat is taken.
    for (let p = 0; p < taken.length; p += 3) taken[p] = 1;
    const free = (p: number) => taken[p] === 0;
    const started = performance.now();
    const result = bestAvailable(layout, free, { quantity: 2 })!;
    const ms = performance.now() - started;
    expect(result.arrangement).toBe('row');
    expect(ms).toBeLessThan(1000);
    expect(
      result.positions.every((p) => (layout.seats.flags[p]! & (SEAT_FLAG.wheelchair | SEAT_FLAG.companion)) === 0),
    ).toBe(true);
    const accessible = bestAvailable(layout, () => true, { quantity: 2, accessible: true })!;
    expect(accessible.positions.some((p) => (layout.seats.flags[p]! & SEAT_FLAG.wheelchair) !== 0)).toBe(true);
  });

  it('only ever returns free, eligible seats, side by side when it says so, and strands nothing it could avoid', () => {
    const rowText = fc
      .array(fc.constantFrom('.', '.', '.', 'x', '|', 'w', 'c'), { minLength: 1, maxLength: 14 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc.array(rowText, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 6 }),
        (rows, quantity) => {
          const h = hall([rows]);
          const result = bestAvailable(h.layout, h.free, { quantity });
          if (!result) return;
          const { positions } = result;
          expect(new Set(positions).size).toBe(quantity);
          for (const p of positions) {
            expect(h.free(p)).toBe(true);
            expect(h.layout.seats.flags[p]! & (SEAT_FLAG.wheelchair | SEAT_FLAG.companion)).toBe(0);
          }
          if (result.arrangement === 'row') {
            expect(new Set(positions.map((p) => h.layout.seats.row[p])).size).toBe(1);
            // Side by side: no seat of the row between two of them (an aisle may be).
            const row = h.layout.seats.row[positions[0]!]!;
            const orders = positions.map((p) => h.layout.seats.order[p]!);
            const rowOrders = h.layout.seats.order.filter((_, p) => h.layout.seats.row[p] === row);
            orders.forEach(
              (o, i) =>
                i === 0 || expect(rowOrders.some((between) => between > orders[i - 1]! && between < o)).toBe(false),
            );
            if (result.orphans > 0) expect(anyOrphanFreeBlock(h, quantity, row)).toBe(false);
          } else {
            expect(anyBlock(h, quantity)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * Brute force over the text rows: is there any block of n plain free seats side by side (an aisle may pass between
 * them)? And one that strands nothing?
 */
function blocks(h: ReturnType<typeof hall>, n: number): { orphans: number; row: number }[] {
  const found: { orphans: number; row: number }[] = [];
  const { row, order, flags } = h.layout.seats;
  const byRow = new Map<number, number[]>();
  row.forEach((r, p) => byRow.set(r, [...(byRow.get(r) ?? []), p]));
  for (const seats of byRow.values()) {
    const at = new Map(seats.map((p) => [order[p]!, p]));
    const freeAt = (o: number) => at.has(o) && h.free(at.get(o)!);
    const sorted = [...seats].sort((a, b) => order[a]! - order[b]!);
    for (let i = 0; i + n <= sorted.length; i++) {
      const block = sorted.slice(i, i + n);
      if (block.some((p) => !h.free(p) || flags[p]! & (SEAT_FLAG.wheelchair | SEAT_FLAG.companion))) continue;
      const first = order[block[0]!]!;
      const last = order[block.at(-1)!]!;
      const strandedLeft = freeAt(first - 1) && !freeAt(first - 2) ? 1 : 0;
      const strandedRight = freeAt(last + 1) && !freeAt(last + 2) ? 1 : 0;
      found.push({ orphans: strandedLeft + strandedRight, row: row[block[0]!]! });
    }
  }
  return found;
}
const anyBlock = (h: ReturnType<typeof hall>, n: number) => blocks(h, n).length > 0;
/** In one row: within a row, the party always slides to strand nobody when it can. */
const anyOrphanFreeBlock = (h: ReturnType<typeof hall>, n: number, inRow: number) =>
  blocks(h, n).some((b) => b.orphans === 0 && b.row === inRow);

/** A seed venue as an event of the demo catalogue prices it: its tiers, and which sections and rows are in each. */
function seedVenue(key: 'lyric' | 'harborview' | 'summit') {
  const venue = SEED_VENUES.find((v) => v.key === key)!;
  const event = seedEvents(new Date('2026-11-22T12:00:00Z')).find((e) => e.venue === key)!;
  const tiers = event.input.tiers.map((t) => ({ ...t, color: t.color ?? '#2563eb' }));
  const assignments = event.input.assignments ?? [];
  const tierOf = (section: string, row: string) => {
    const exact =
      assignments.find((a) => a.sectionLabel === section && a.rowLabel === row) ??
      assignments.find((a) => a.sectionLabel === section && !a.rowLabel);
    return tiers.findIndex((t) => t.name === exact?.tier);
  };
  const layout = layoutDocumentFor(venue.layout, { tiers, tierOf });
  const at = (p: number) => ({
    section: layout.sections[layout.rows[layout.seats.row[p]!]!.section]!.label,
    row: layout.rows[layout.seats.row[p]!]!.label,
    seat: Number(layout.seats.label[p]),
  });
  return { layout, at, tierName: (p: number) => tiers[layout.seats.tier[p]!]!.name };
}

describe('best available on the seed venues', () => {
  it('theatre: stays in row A when its seats 1–9 are free, instead of the edges of rows B and C', () => {
    const { layout, at } = seedVenue('lyric');
    const free = (p: number) => {
      const { section, row, seat } = at(p);
      if (section !== 'Stalls') return false;
      if (row === 'A') return seat <= 9;
      if (row === 'B' || row === 'C') return seat <= 3 || seat >= 20;
      return false;
    };
    for (const quantity of [2, 3, 4, 5, 6]) {
      const result = bestAvailable(layout, free, { quantity })!;
      expect(
        result.positions.map((p) => at(p).row),
        `${quantity} seats`,
      ).toEqual(Array(quantity).fill('A'));
      expect(result.orphans, `${quantity} seats`).toBe(0);
    }
  });

  it('theatre: an empty house gives the middle of the front row of the stalls', () => {
    const { layout, at, tierName } = seedVenue('lyric');
    const result = bestAvailable(layout, () => true, { quantity: 2 })!;
    expect(result.positions.map((p) => `${at(p).row}${at(p).seat}`)).toEqual(['A11', 'A12']);
    expect(tierName(result.positions[0]!)).toBe('Premium stalls');
  });

  it('arena: with no price asked, Premium before Standard; with a price asked, that price', () => {
    const { layout, at, tierName } = seedVenue('harborview');
    // Premium's front rows are sold: its row B is still better than Standard's row A by the organizer's prices.
    const free = (p: number) => !(tierName(p) === 'Premium' && at(p).row === 'A');
    const any = bestAvailable(layout, free, { quantity: 4 })!;
    expect(any.positions.map(tierName)).toEqual(Array(4).fill('Premium'));
    expect(any.arrangement).toBe('row');
    // Every seat of a row curved around the floor is as near to it: the middle of the row, not an arbitrary side.
    const seatNumbers = any.positions.map((p) => at(p).seat);
    expect(seatNumbers).toContain(13);
    expect(seatNumbers.every((n) => n >= 11 && n <= 15)).toBe(true);
    const standard = layout.tiers.findIndex((t) => t.name === 'Standard');
    const asked = bestAvailable(layout, free, { quantity: 4, tier: standard })!;
    expect(asked.positions.map(tierName)).toEqual(Array(4).fill('Standard'));
  });

  it('stadium: with no price asked, the sideline of the lower bowl, together and strands nobody', () => {
    const { layout, tierName } = seedVenue('summit');
    const taken = new Uint8Array(layout.seats.id.length);
    for (let p = 0; p < taken.length; p += 3) taken[p] = 1;
    const result = bestAvailable(layout, (p) => taken[p] === 0, { quantity: 2 })!;
    expect(result.arrangement).toBe('row');
    expect(result.orphans).toBe(0);
    expect(result.positions.map(tierName)).toEqual(['Lower sideline', 'Lower sideline']);
  });
});
