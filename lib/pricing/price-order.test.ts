import { describe, expect, it } from 'vitest';
import { describeTax, discountLines, divHalfEven, lineTax, priceOrder, type TaxRule } from './price-order';

const vat = (rateBp: number, mode: TaxRule['mode'] = 'exclusive', taxFees = false): TaxRule => ({
  mode,
  rateBp,
  label: 'VAT',
  taxFees,
});

describe('rounding half to even', () => {
  it.each([
    [5, 2, 2], // 2.5 → 2
    [15, 2, 8], // 7.5 → 8
    [25, 10, 2], // 2.5 → 2
    [35, 10, 4], // 3.5 → 4
    [26, 10, 3], // 2.6 → 3
    [24, 10, 2], // 2.4 → 2
    [0, 7, 0],
    [1, 3, 0], // 0.33 → 0
    [2, 3, 1], // 0.67 → 1
  ])('%i / %i = %i', (n, d, expected) => {
    expect(divHalfEven(n, d)).toBe(expected);
  });

  it('refuses what is not a non-negative safe integer', () => {
    expect(() => divHalfEven(-1, 2)).toThrow(RangeError);
    expect(() => divHalfEven(1, 0)).toThrow(RangeError);
    expect(() => divHalfEven(1.5, 2)).toThrow(RangeError);
  });
});

describe('tax per line', () => {
  it.each([
    // base, rate, mode, tax
    [1250, 2000, 'exclusive', 250], // 20% of 12.50
    [1, 2000, 'exclusive', 0], // 0.2 → 0
    [25, 2000, 'exclusive', 5],
    [1025, 1000, 'exclusive', 102], // 102.5 → 102 (even)
    [1035, 1000, 'exclusive', 104], // 103.5 → 104 (even)
    [4500, 888, 'exclusive', 400], // 399.6 → 400
    [1200, 2000, 'inclusive', 200], // 12.00 incl. 20% holds 2.00
    [1000, 2000, 'inclusive', 167], // 166.67 → 167
    [1300, 3000, 'inclusive', 300],
    [650, 3000, 'inclusive', 150],
    [1000, 0, 'exclusive', 0],
    [1000, 2000, 'none', 0],
  ] as const)('%i at %i bp %s → %i', (base, rate, mode, expected) => {
    expect(lineTax(base, vat(rate, mode))).toBe(expected);
  });

  it('names the rate as a buyer reads it', () => {
    expect(describeTax({ label: 'VAT', rateBp: 2000 })).toBe('VAT 20%');
    expect(describeTax({ label: 'Sales tax', rateBp: 888 })).toBe('Sales tax 8.88%');
    expect(describeTax({ label: '', rateBp: 700 })).toBe('Tax 7%');
  });
});

describe('discounts before tax', () => {
  it('takes a percentage per line and a fixed amount per ticket at most the price', () => {
    expect(discountLines([1000, 2500, 333], { kind: 'percent', value: 1500, scope: 'order' })).toEqual([150, 375, 50]);
    expect(discountLines([1000, 300], { kind: 'fixed', value: 500, scope: 'ticket' })).toEqual([500, 300]);
  });

  it('spreads a fixed amount per order in proportion to the prices, the remainder to the largest remainders', () => {
    expect(discountLines([1000, 1000, 1000], { kind: 'fixed', value: 100, scope: 'order' })).toEqual([34, 33, 33]);
    expect(discountLines([3000, 1000], { kind: 'fixed', value: 1001, scope: 'order' })).toEqual([751, 250]);
    expect(discountLines([500, 200], { kind: 'fixed', value: 5000, scope: 'order' })).toEqual([500, 200]);
    expect(discountLines([0, 0], { kind: 'fixed', value: 5000, scope: 'order' })).toEqual([0, 0]);
  });

  it('taxes what is left after the discount, and the fee only when the organizer says so', () => {
    const order = priceOrder(
      [
        { priceMinor: 5000, feeMinor: 300 },
        { priceMinor: 5000, feeMinor: 300 },
      ],
      vat(2000, 'exclusive', true),
      { kind: 'percent', value: 1000, scope: 'order' },
    );
    expect(order.lines[0]).toEqual({
      priceMinor: 5000,
      feeMinor: 300,
      discountMinor: 500,
      taxMinor: 960,
      totalMinor: 5760,
    });
    expect(order).toMatchObject({
      subtotalMinor: 10000,
      discountMinor: 1000,
      feesMinor: 600,
      taxMinor: 1920,
      totalMinor: 11520,
    });
    const untaxedFees = priceOrder([{ priceMinor: 5000, feeMinor: 300 }], vat(2000));
    expect(untaxedFees).toMatchObject({ taxMinor: 1000, totalMinor: 6300 });
  });

  it('does not add inclusive tax to the total', () => {
    const order = priceOrder([{ priceMinor: 1200, feeMinor: 100 }], vat(2000, 'inclusive'));
    expect(order).toMatchObject({ taxMinor: 200, totalMinor: 1300 });
  });
});

/** A small seeded generator, so a failing cart can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

describe('totals always add up (random carts)', () => {
  it('holds for 2,000 carts of every tax mode and discount', () => {
    const next = random(40);
    for (let run = 0; run < 2000; run++) {
      const lines = Array.from({ length: 1 + next(8) }, () => ({
        priceMinor: next(4) === 0 ? 0 : next(50_000),
        feeMinor: next(3) === 0 ? 0 : next(900),
      }));
      const tax: TaxRule = {
        mode: (['none', 'inclusive', 'exclusive'] as const)[next(3)]!,
        rateBp: next(3000),
        label: 'VAT',
        taxFees: next(2) === 0,
      };
      const discount =
        next(3) === 0
          ? null
          : {
              kind: (['percent', 'fixed'] as const)[next(2)]!,
              value: next(2) === 0 ? next(10_001) : next(100_000),
              scope: (['order', 'ticket'] as const)[next(2)]!,
            };
      if (discount?.kind === 'percent') discount.value = Math.min(discount.value, 10_000);
      const order = priceOrder(lines, tax, discount);
      const context = JSON.stringify({ run, lines, tax, discount });
      const exclusive = tax.mode === 'exclusive' ? order.taxMinor : 0;
      expect(order.totalMinor, context).toBe(order.subtotalMinor - order.discountMinor + order.feesMinor + exclusive);
      expect(order.totalMinor, context).toBe(order.lines.reduce((s, l) => s + l.totalMinor, 0));
      for (const line of order.lines) {
        expect(line.discountMinor, context).toBeGreaterThanOrEqual(0);
        expect(line.discountMinor, context).toBeLessThanOrEqual(line.priceMinor);
        expect(line.taxMinor, context).toBeGreaterThanOrEqual(0);
        const base = line.priceMinor - line.discountMinor + (tax.taxFees ? line.feeMinor : 0);
        // Inclusive tax never exceeds the base it is part of; exclusive tax is within half a unit of the exact rate.
        if (tax.mode === 'inclusive') expect(line.taxMinor, context).toBeLessThanOrEqual(base);
        if (tax.mode === 'exclusive')
          expect(Math.abs(line.taxMinor * 10_000 - base * tax.rateBp), context).toBeLessThanOrEqual(5000);
      }
      if (discount?.kind === 'fixed' && discount.scope === 'order')
        expect(order.discountMinor, context).toBe(Math.min(discount.value, order.subtotalMinor));
    }
  });
});
