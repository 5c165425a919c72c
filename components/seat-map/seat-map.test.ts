import { describe, expect, it } from 'vitest';
import { arena, stadium, theatre } from '@/db/seed/venues';
import type { AvailabilityDelta, AvailabilitySnapshot } from '@/lib/contracts/inventory';
import { layoutDocumentFor } from '@/tests/support/layout-document';
import { CODE, codesToString, fromSnapshot, mergeAvailability, withStatus } from './availability';
import { firstSeat, move } from './keyboard';
import { describeSeat, listSeats, seatName } from './labels';
import { seatMapModel } from './model';
import { fit, toMap, toScreen, zoomAt } from './viewport';

const arenaLayout = layoutDocumentFor(arena('Harborview Arena', 'Seattle', 'US', 'America/Los_Angeles'), {
  tiers: [
    { name: 'Premium', priceMinor: 15000, color: '#7c3aed' },
    { name: 'Standard', priceMinor: 8500, color: '#2563eb' },
  ],
  tierOf: (section) => (section === '101' ? 0 : 1),
});
const theatreLayout = layoutDocumentFor(theatre('The Lyric Theatre', 'London', 'GB', 'Europe/London'), {
  currency: 'GBP',
});

const position = (layout: typeof arenaLayout, section: string, row: string, seat: string) => {
  const p = layout.seats.id.findIndex((_, i) => {
    const r = layout.rows[layout.seats.row[i]!]!;
    return layout.sections[r.section]!.label === section && r.label === row && layout.seats.label[i] === seat;
  });
  if (p < 0) throw new Error(`no seat ${section} ${row} ${seat}`);
  return p;
};

describe('seat labels', () => {
  it('reads a seat the way a screen reader should say it', () => {
    const p = position(arenaLayout, '104', 'F', '12');
    expect(describeSeat(arenaLayout, p, 'available')).toBe('Section 104, row F, seat 12, $85, available');
    expect(describeSeat(arenaLayout, p, 'held')).toBe('Section 104, row F, seat 12, $85, held by another buyer');
    const wheelchair = position(arenaLayout, '101', 'K', '1');
    expect(describeSeat(arenaLayout, wheelchair, 'sold')).toBe(
      'Section 101, row K, seat 1, $150, sold, wheelchair space',
    );
  });

  it('uses the name of sections that are not numbered', () => {
    const p = position(theatreLayout, 'Stalls', 'N', '2');
    expect(describeSeat(theatreLayout, p, 'selected')).toBe('Stalls, row N, seat 2, £50, selected');
    expect(listSeats(theatreLayout, [p, position(theatreLayout, 'Balcony', 'BA', '1')])).toBe(
      'Stalls, row N, seat 2 and Balcony, row BA, seat 1',
    );
  });
});

describe('availability merging', () => {
  const count = 10;
  const snapshot = (statuses: string, version: number): AvailabilitySnapshot => ({
    kind: 'snapshot',
    eventId: 'e',
    version,
    serverTime: '2026-11-22T10:00:00.000Z',
    statuses,
    counts: { available: 0, held: 0, sold: 0, blocked: 0 },
    pollAfterMs: 5000,
  });
  const delta = (from: number, changes: AvailabilityDelta['changes']): AvailabilityDelta => ({
    kind: 'delta',
    eventId: 'e',
    from,
    version: changes.at(-1)?.version ?? from,
    serverTime: '2026-11-22T10:00:01.000Z',
    changes,
    pollAfterMs: 5000,
  });
  const start = fromSnapshot(snapshot('0000012340', 7), count);

  it('applies changes after its version, reports them, and leaves the old array untouched', () => {
    const { state, changes, gap } = mergeAvailability(
      start,
      delta(7, [
        { version: 8, status: 'held', positions: [0, 1] },
        { version: 9, status: 'sold', positions: [1] },
      ]),
    );
    expect(gap).toBe(false);
    expect(codesToString(state.codes)).toBe('1200012340');
    expect(state.version).toBe(9);
    expect(changes).toEqual([
      { position: 0, from: 'available', to: 'held' },
      { position: 1, from: 'available', to: 'held' },
      { position: 1, from: 'held', to: 'sold' },
    ]);
    expect(codesToString(start.codes)).toBe('0000012340');
  });

  it('skips changes it already has, so a stream and a poll can both deliver them', () => {
    const once = mergeAvailability(
      start,
      delta(6, [
        { version: 7, status: 'sold', positions: [0] },
        { version: 8, status: 'held', positions: [2] },
      ]),
    ).state;
    expect(codesToString(once.codes)).toBe('0010012340');
  });

  it('asks for a snapshot when changes are missing', () => {
    const result = mergeAvailability(start, delta(9, [{ version: 10, status: 'sold', positions: [0] }]));
    expect(result.gap).toBe(true);
    expect(result.state).toBe(start);
  });

  it('keeps the buyer’s own held seats as theirs when the shared feed says "held"', () => {
    const { state } = mergeAvailability(
      start,
      delta(7, [{ version: 8, status: 'held', positions: [3, 4] }]),
      new Set([3]),
    );
    expect(state.codes[3]).toBe(CODE.yours);
    expect(state.codes[4]).toBe(CODE.held);
  });

  it('replaces everything with a newer snapshot and reports the differences', () => {
    const { state, changes } = mergeAvailability(withStatus(start, [0], 'yours'), snapshot('2000012340', 12));
    expect(state.version).toBe(12);
    expect(changes).toEqual([{ position: 0, from: 'yours', to: 'sold' }]);
  });
});

describe('keyboard path', () => {
  const model = seatMapModel(arenaLayout);
  const name = (p: number) => seatName(arenaLayout, p);

  it('moves along a row and stops at its ends', () => {
    const p = position(arenaLayout, '104', 'F', '12');
    expect(name(move(model, p, 'right'))).toBe('Section 104, row F, seat 13');
    expect(name(move(model, p, 'left'))).toBe('Section 104, row F, seat 11');
    const last = position(arenaLayout, '104', 'F', '25');
    expect(move(model, last, 'right')).toBe(last);
    expect(name(move(model, p, 'rowStart'))).toBe('Section 104, row F, seat 1');
  });

  it('moves between rows to the nearest seat, and on into the next section', () => {
    const p = position(arenaLayout, '104', 'F', '12');
    expect(name(move(model, p, 'down'))).toMatch(/^Section 104, row G, seat 1[12]$/);
    expect(name(move(model, p, 'up'))).toMatch(/^Section 104, row E, seat 1[23]$/);
    const back = position(arenaLayout, '104', 'K', '12');
    expect(name(move(model, back, 'down'))).toBe('Section 105, row A, seat 12');
    const front = position(arenaLayout, '104', 'A', '12');
    expect(name(move(model, front, 'up'))).toBe('Section 103, row K, seat 12');
  });

  it('jumps whole sections with Page Up and Page Down', () => {
    const p = position(arenaLayout, '104', 'F', '12');
    expect(name(move(model, p, 'nextSection'))).toBe('Section 105, row A, seat 13');
    expect(name(move(model, p, 'previousSection'))).toBe('Section 103, row A, seat 13');
    expect(name(firstSeat(model)!)).toBe('Section 101, row A, seat 13');
  });
});

describe('seat map model', () => {
  it('indexes the 50,800-seat stadium quickly and finds seats and sections under a point', () => {
    const layout = layoutDocumentFor(stadium('Summit Stadium', 'Austin', 'US', 'America/Chicago'));
    const started = performance.now();
    const model = seatMapModel(layout);
    const ms = performance.now() - started;
    expect(model.count).toBe(50_800);
    expect(ms).toBeLessThan(2000);
    expect(model.pitch).toBeGreaterThan(8);
    expect(model.pitch).toBeLessThan(12);
    const p = position(layout, '110', '1', '15');
    const { x, y } = layout.seats;
    expect(model.seatAt(x[p]! + 1, y[p]! - 1, model.pitch / 2)).toBe(p);
    expect(model.seatAt(0, 0, model.pitch)).toBeNull();
    expect(layout.sections[model.sectionAt(x[p]!, y[p]!)!]!.label).toBe('110');
    expect(model.sectionAt(0, 0)).toBeNull();
  });

  it('zooms about the pointer and converts between screen and map', () => {
    const model = seatMapModel(theatreLayout);
    const view = fit(model.bounds, { width: 800, height: 600 });
    const zoomed = zoomAt(view, 2, 200, 150, { min: 0.1, max: 100 });
    const before = toMap(view, 200, 150);
    const after = toMap(zoomed, 200, 150);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    const back = toScreen(zoomed, after.x, after.y);
    expect(back.x).toBeCloseTo(200);
    expect(zoomAt(view, 1e6, 0, 0, { min: 0.1, max: 3 }).scale).toBe(3);
  });
});
