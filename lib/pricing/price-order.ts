/**
 * The money math of an order, pure and the same everywhere: the checkout page's preview, the application's order
 * path (create-pending-order.ts) and, mirrored line for line, PostgreSQL's `price_order_lines()` that the fast
 * checkout path calls (migration 0015; tests/integration/pricing-sql.test.ts keeps the two equal).
 *
 * Rules (decision 040):
 * - All amounts are integer minor units; rates are basis points (2000 = 20%).
 * - A discount applies to the ticket price before tax, never to the fee. A percentage is taken per line. A fixed
 *   amount per ticket is taken from each line, at most the line's price. A fixed amount per order (at most the
 *   order's ticket prices) is spread over the lines in proportion to their prices, the remainder one minor unit at a
 *   time to the lines with the largest remainders (ties: the earlier line).
 * - Tax is computed per line on (price − discount) plus the fee when the organizer taxes fees, rounded half to
 *   even. Exclusive tax is added to the line; inclusive tax is the part of the line already in it,
 *   base × rate / (10000 + rate), rounded half to even.
 * - The order's figures are sums of its lines, so they always add up.
 */

import { DISCOUNT_KINDS, DISCOUNT_SCOPES, TAX_MODES, type TaxMode } from '@/lib/contracts/pricing';

export { DISCOUNT_KINDS, DISCOUNT_SCOPES, TAX_MODES, type TaxMode };

export type TaxRule = { mode: TaxMode; rateBp: number; label: string; taxFees: boolean };

export type DiscountRule = {
  kind: (typeof DISCOUNT_KINDS)[number];
  /** Basis points for `percent` (1000 = 10%), minor units for `fixed`. */
  value: number;
  scope: (typeof DISCOUNT_SCOPES)[number];
};

export type PricedLine = {
  priceMinor: number;
  feeMinor: number;
  discountMinor: number;
  taxMinor: number;
  /** What the buyer pays for the line: price − discount + fee (+ tax when exclusive). */
  totalMinor: number;
};

export type PricedOrder = {
  lines: PricedLine[];
  subtotalMinor: number;
  discountMinor: number;
  feesMinor: number;
  taxMinor: number;
  totalMinor: number;
  tax: TaxRule;
};

export const NO_TAX: TaxRule = { mode: 'none', rateBp: 0, label: '', taxFees: false };

/** numerator / denominator rounded half to even; both non-negative integers, denominator > 0. */
export function divHalfEven(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0)
    throw new RangeError(`divHalfEven(${numerator}, ${denominator})`);
  const quotient = Math.floor(numerator / denominator);
  const twice = 2 * (numerator - quotient * denominator);
  if (twice > denominator || (twice === denominator && quotient % 2 === 1)) return quotient + 1;
  return quotient;
}

/** The discount of each line, before tax. */
export function discountLines(prices: readonly number[], discount: DiscountRule | null): number[] {
  if (!discount || prices.length === 0) return prices.map(() => 0);
  if (discount.kind === 'percent') return prices.map((p) => divHalfEven(p * Math.min(discount.value, 10_000), 10_000));
  if (discount.scope === 'ticket') return prices.map((p) => Math.min(discount.value, p));
  const base = prices.reduce((sum, p) => sum + p, 0);
  const total = Math.min(discount.value, base);
  if (total === 0) return prices.map(() => 0);
  const shares = prices.map((p, index) => ({ index, floor: Math.floor((total * p) / base), rest: (total * p) % base }));
  let left = total - shares.reduce((sum, s) => sum + s.floor, 0);
  const order = [...shares].sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const share of order) {
    if (left === 0) break;
    share.floor += 1;
    left -= 1;
  }
  return shares.map((s) => s.floor);
}

/** The tax in one line whose taxable base is `base`. */
export function lineTax(base: number, tax: TaxRule): number {
  if (tax.mode === 'none' || tax.rateBp === 0) return 0;
  if (tax.mode === 'exclusive') return divHalfEven(base * tax.rateBp, 10_000);
  return divHalfEven(base * tax.rateBp, 10_000 + tax.rateBp);
}

/** Prices an order: one line per ticket with its tier price and the event's fee per ticket. */
export function priceOrder(
  lines: readonly { priceMinor: number; feeMinor: number }[],
  tax: TaxRule,
  discount: DiscountRule | null = null,
): PricedOrder {
  const discounts = discountLines(
    lines.map((l) => l.priceMinor),
    discount,
  );
  const priced = lines.map((line, i): PricedLine => {
    const discountMinor = discounts[i]!;
    const base = line.priceMinor - discountMinor + (tax.taxFees ? line.feeMinor : 0);
    const taxMinor = lineTax(base, tax);
    const totalMinor = line.priceMinor - discountMinor + line.feeMinor + (tax.mode === 'exclusive' ? taxMinor : 0);
    return { priceMinor: line.priceMinor, feeMinor: line.feeMinor, discountMinor, taxMinor, totalMinor };
  });
  const sum = (pick: (l: PricedLine) => number) => priced.reduce((s, l) => s + pick(l), 0);
  return {
    lines: priced,
    subtotalMinor: sum((l) => l.priceMinor),
    discountMinor: sum((l) => l.discountMinor),
    feesMinor: sum((l) => l.feeMinor),
    taxMinor: sum((l) => l.taxMinor),
    totalMinor: sum((l) => l.totalMinor),
    tax,
  };
}

/** "VAT 20%", "sales tax 8.875%": the rate as the buyer reads it. */
export function describeTax(tax: Pick<TaxRule, 'label' | 'rateBp'>): string {
  const percent = (tax.rateBp / 100).toLocaleString('en', { maximumFractionDigits: 2 });
  return `${tax.label || 'Tax'} ${percent}%`;
}
