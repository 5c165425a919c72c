import { describe, expect, it } from 'vitest';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { layoutWithout } from './layout-view';

/** Three seats: A-1 Standard, B-1 VIP, A-2 Standard (positions 0, 1, 2), in sections A and B. */
const doc: LayoutDocument = {
  eventId: 'e',
  layoutVersion: '1',
  currency: 'USD',
  stage: null,
  tiers: [
    { id: 'std', name: 'Standard', priceMinor: 5000, color: '#111111' },
    { id: 'vip', name: 'VIP', priceMinor: 15000, color: '#222222' },
  ],
  sections: [
    { label: 'A', name: 'Stalls' },
    { label: 'B', name: 'Box' },
  ],
  rows: [
    { section: 0, label: '1' },
    { section: 1, label: '1' },
  ],
  seats: {
    id: [11, 12, 13],
    row: [0, 1, 0],
    label: ['1', '1', '2'],
    order: [1, 1, 2],
    x: [0, 50, 10],
    y: [0, 0, 0],
    tier: [0, 1, 0],
    flags: [0, 1, 0],
  },
};

describe('a layout without hidden tiers', () => {
  it('drops their tiers, seats, and rows and sections left empty, and keeps each seat’s feed position', () => {
    const view = layoutWithout(doc, new Set(['vip']));
    expect(view.tiers.map((t) => t.id)).toEqual(['std']);
    expect(view.sections).toEqual([{ label: 'A', name: 'Stalls' }]);
    expect(view.rows).toEqual([{ section: 0, label: '1' }]);
    expect(view.seats).toEqual({
      id: [11, 13],
      row: [0, 0],
      label: ['1', '2'],
      order: [1, 2],
      x: [0, 10],
      y: [0, 0],
      tier: [0, 0],
      flags: [0, 0],
      position: [0, 2],
    });
    expect(JSON.stringify(view)).not.toMatch(/vip|VIP|Box/);
  });

  it('is the document itself when it leaves nothing out', () => {
    expect(layoutWithout(doc, new Set())).toBe(doc);
    expect(layoutWithout(doc, new Set(['unknown']))).toBe(doc);
  });

  it('re-numbers tiers and keeps the first positions when tiers before others are left out', () => {
    const view = layoutWithout(doc, new Set(['std']));
    expect(view.tiers.map((t) => t.id)).toEqual(['vip']);
    expect(view.seats.tier).toEqual([0]);
    expect(view.seats.position).toEqual([1]);
    expect(view.sections).toEqual([{ label: 'B', name: 'Box' }]);
    expect(view.rows).toEqual([{ section: 0, label: '1' }]);
  });
});
