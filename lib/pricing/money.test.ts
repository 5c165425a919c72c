import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CURRENCIES, CURRENCY_CODES, currencySchema, minorDigits } from '@/lib/contracts/currency';
import { formatMoney } from '@/lib/format';
import { amountInputText, fromMinorUnits, parseAmount, toMinorUnits } from '@/lib/pricing/money';
import { priceOrder } from '@/lib/pricing/price-order';

const minor = (text: string, currency: string) => {
  const parsed = parseAmount(text, currency);
  return parsed.ok ? parsed.minor : parsed.message;
};

describe('the supported currencies', () => {
  it('have the minor digits that ISO 4217 and Intl give them (what Stripe expects for these codes)', () => {
    for (const code of CURRENCY_CODES) {
      const intl = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions();
      expect([code, CURRENCIES[code].digits]).toEqual([code, intl.maximumFractionDigits]);
    }
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KRW')).toBe(0);
    expect(minorDigits('EUR')).toBe(2);
    // Codes outside the list (old rows, reports) still format by Intl's digits.
    expect(minorDigits('BHD')).toBe(3);
  });

  it('are the list the database accepts (migration 0020)', () => {
    const sql = readFileSync('db/migrations/0020_event_currencies.sql', 'utf8');
    const listed = /"currency" in \(([^)]*)\)/.exec(sql)![1]!.match(/[A-Z]{3}/g);
    expect(listed).toEqual(CURRENCY_CODES);
  });

  it('are accepted in any case and nothing else is', () => {
    expect(currencySchema.parse(' jpy ')).toBe('JPY');
    expect(currencySchema.safeParse('BHD').success).toBe(false);
    expect(currencySchema.safeParse('XYZ').success).toBe(false);
  });
});

describe('minor units', () => {
  it('convert by the currency’s digits: a yen is its own minor unit, a euro a hundred', () => {
    expect(toMinorUnits(5000, 'JPY')).toBe(5000);
    expect(toMinorUnits(50, 'EUR')).toBe(5000);
    expect(toMinorUnits(12.5, 'USD')).toBe(1250);
    expect(toMinorUnits(0.1 + 0.2, 'GBP')).toBe(30);
    expect(fromMinorUnits(5000, 'JPY')).toBe(5000);
    expect(fromMinorUnits(5000, 'EUR')).toBe(50);
    expect(amountInputText(5000, 'JPY')).toBe('5000');
    expect(amountInputText(1250, 'EUR')).toBe('12.50');
    expect(amountInputText(1200, 'USD')).toBe('12');
    expect(amountInputText(5, 'GBP')).toBe('0.05');
  });
});

describe('formatting for the reader', () => {
  it('shows yen without decimals in every locale', () => {
    expect(formatMoney(5000, 'JPY', 'en-US')).toBe('¥5,000');
    expect(formatMoney(5000, 'JPY', 'ja-JP')).toBe('￥5,000');
    expect(formatMoney(19500, 'JPY', 'de-DE')).toBe('19.500\u00a0¥');
    expect(formatMoney(0, 'JPY', 'en-US')).toBe('¥0');
  });

  it('shows euros, dollars and pounds with cents when there are any, in the reader’s style', () => {
    expect(formatMoney(1250, 'EUR', 'en-US')).toBe('€12.50');
    expect(formatMoney(1250, 'EUR', 'de-DE')).toBe('12,50\u00a0€');
    expect(formatMoney(1200, 'EUR', 'fr-FR')).toBe('12\u00a0€');
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(5000, 'USD', 'en-GB')).toBe('US$50');
    expect(formatMoney(2995, 'GBP', 'en-GB')).toBe('£29.95');
    expect(formatMoney(2995, 'GBP', 'en-US')).toBe('£29.95');
  });
});

describe('amounts typed by a person', () => {
  it('reads yen with or without the symbol and grouping, and never multiplies them by a hundred', () => {
    expect(minor('5000', 'JPY')).toBe(5000);
    expect(minor('5,000', 'JPY')).toBe(5000);
    expect(minor('¥5,000', 'JPY')).toBe(5000);
    expect(minor('￥5,000', 'JPY')).toBe(5000);
    expect(minor('5.000', 'JPY')).toBe(5000);
    expect(minor('JPY 12,000', 'JPY')).toBe(12000);
    expect(minor('1,000,000', 'JPY')).toBe(1_000_000);
    expect(minor('5000.00', 'JPY')).toBe(5000);
    expect(minor('12.5', 'JPY')).toBe('JPY has no smaller unit: give a whole amount');
  });

  it('reads euros, dollars and pounds in the English and the continental style', () => {
    expect(minor('12.50', 'EUR')).toBe(1250);
    expect(minor('12,50', 'EUR')).toBe(1250);
    expect(minor('12,5 €', 'EUR')).toBe(1250);
    expect(minor('€1,234.50', 'EUR')).toBe(123450);
    expect(minor('1.234,50', 'EUR')).toBe(123450);
    expect(minor('1 234,50', 'EUR')).toBe(123450);
    expect(minor('1.234', 'EUR')).toBe(123400);
    expect(minor('0.500', 'EUR')).toBe(50);
    expect(minor('$45', 'USD')).toBe(4500);
    expect(minor('US$1,000', 'USD')).toBe(100000);
    expect(minor('£29.95', 'GBP')).toBe(2995);
    expect(minor('0.05', 'GBP')).toBe(5);
  });

  it('refuses what is not an amount in the currency', () => {
    expect(minor('', 'EUR')).toBe('enter an amount');
    expect(minor('-5', 'USD')).toBe('cannot be negative');
    expect(minor('12.345', 'USD')).toBe(1234500);
    expect(minor('12.3456', 'USD')).toBe('at most 2 decimals in USD');
    expect(minor('$12', 'EUR')).toBe('not an amount in EUR');
    expect(minor('12abc', 'USD')).toBe('not an amount in USD');
    expect(minor('1,2,3', 'USD')).toBe('not an amount in USD');
    expect(minor('1.234.5', 'EUR')).toBe('not an amount in EUR');
  });

  it('reads back what amountInputText writes', () => {
    for (const [amount, currency] of [
      [5000, 'JPY'],
      [1, 'JPY'],
      [1250, 'EUR'],
      [5, 'USD'],
      [100000, 'GBP'],
    ] as const)
      expect(minor(amountInputText(amount, currency), currency)).toBe(amount);
  });
});

describe('tax and discounts in yen', () => {
  const lines = (prices: number[], fee = 0) => prices.map((priceMinor) => ({ priceMinor, feeMinor: fee }));

  it('round per line to whole yen, half to even', () => {
    // ¥1,050 with 10% consumption tax included: 1050 × 1000 / 11000 = 95.45… → ¥95; ¥2,750 holds ¥250 exactly.
    const inclusive = priceOrder(lines([1050, 1050, 2750], 500), {
      mode: 'inclusive',
      rateBp: 1000,
      label: 'Consumption tax',
      taxFees: false,
    });
    expect(inclusive.lines.map((l) => l.taxMinor)).toEqual([95, 95, 250]);
    expect(inclusive.totalMinor).toBe(1050 + 1050 + 2750 + 3 * 500);
    // 10% added: ¥100.5 → ¥100 and ¥101.5 → ¥102 (half to even), never ¥10,050 or ¥100.50.
    const halves = priceOrder(lines([1005, 1015]), { mode: 'exclusive', rateBp: 1000, label: 'Tax', taxFees: false });
    expect(halves.lines.map((l) => l.taxMinor)).toEqual([100, 102]);
    expect(halves.totalMinor).toBe(1005 + 100 + 1015 + 102);
  });

  it('take a percentage discount in whole yen before the tax', () => {
    // 10% off ¥1,250, ¥1,875, ¥1,006: ¥125, ¥187.5 → ¥188, ¥100.6 → ¥101; then 8% on ¥1,125, ¥1,687, ¥905.
    const order = priceOrder(
      lines([1250, 1875, 1006]),
      { mode: 'exclusive', rateBp: 800, label: 'Tax', taxFees: false },
      { kind: 'percent', value: 1000, scope: 'order' },
    );
    expect(order.lines.map((l) => l.discountMinor)).toEqual([125, 188, 101]);
    expect(order.lines.map((l) => l.taxMinor)).toEqual([90, 135, 72]);
    expect(order.totalMinor).toBe(1125 + 90 + 1687 + 135 + 905 + 72);
  });
});
