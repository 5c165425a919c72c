import { describeTax, type TaxMode } from './price-order';

/** An order's figures as stored (or previewed): what the checkout page, the order page and the emails list. */
export type OrderAmounts = {
  subtotalMinor: number;
  discountMinor: number;
  discountCode: string | null;
  feesMinor: number;
  taxMinor: number;
  taxMode: TaxMode;
  taxRateBp: number;
  taxLabel: string;
  totalMinor: number;
};

export type AmountLine = { key: 'subtotal' | 'discount' | 'fees' | 'tax'; label: string; minor: number };

/**
 * The lines of an order's bill, in order: tickets, the discount (negative), fees, the exclusive tax; then the total
 * and, for inclusive tax, the note "incl. VAT 20%" with the amount it contains.
 */
export function amountLines(a: OrderAmounts): {
  lines: AmountLine[];
  totalMinor: number;
  included: { label: string; minor: number } | null;
} {
  const lines: AmountLine[] = [{ key: 'subtotal', label: 'Tickets', minor: a.subtotalMinor }];
  if (a.discountMinor > 0)
    lines.push({
      key: 'discount',
      label: a.discountCode ? `Discount (${a.discountCode})` : 'Discount',
      minor: -a.discountMinor,
    });
  if (a.feesMinor > 0) lines.push({ key: 'fees', label: 'Fees', minor: a.feesMinor });
  const rate = describeTax({ label: a.taxLabel, rateBp: a.taxRateBp });
  if (a.taxMode === 'exclusive') lines.push({ key: 'tax', label: rate, minor: a.taxMinor });
  return {
    lines,
    totalMinor: a.totalMinor,
    included: a.taxMode === 'inclusive' ? { label: `incl. ${rate}`, minor: a.taxMinor } : null,
  };
}

/** What a discount code takes off, as the organizer reads it: "10% off the order", "$5 off each ticket". */
export function describeDiscount(
  c: { kind: 'percent' | 'fixed'; value: number; scope: 'order' | 'ticket' },
  money: (minor: number) => string,
): string {
  const amount =
    c.kind === 'percent' ? `${(c.value / 100).toLocaleString('en', { maximumFractionDigits: 2 })}%` : money(c.value);
  return `${amount} off ${c.scope === 'order' ? 'the order' : 'each ticket'}`;
}
