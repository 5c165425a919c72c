/* Zod-free on purpose: prices are formatted in the browser (lib/format.ts, lib/pricing/money.ts), and the schema
   in lib/contracts/currency.ts (zod) would bring zod into every page's JavaScript. */
/**
 * The currencies an event can be priced in, and each one's minor digits: how many decimals its smallest unit has,
 * which is what every amount in the database (`*_minor`), in our API and in Stripe's API counts in (decision 045).
 * ¥5,000 is 5000 (JPY has no minor unit), €12.50 is 1250.
 *
 * A closed list rather than every ISO 4217 code: for these, ISO 4217, the runtime's Intl and Stripe agree on the
 * digits. Left out on purpose: the three-decimal dinars (BHD, JOD, KWD, OMR, TND), whose amounts Stripe takes only
 * in multiples of ten, which per-line tax rounding does not give; and ISK, HUF and TWD, which Stripe counts in a
 * way that differs from ISO 4217 (ISK two decimals while having none; HUF and TWD whole units only for payouts).
 */
export const CURRENCIES = {
  USD: { digits: 2, name: 'US dollar' },
  EUR: { digits: 2, name: 'Euro' },
  GBP: { digits: 2, name: 'British pound' },
  JPY: { digits: 0, name: 'Japanese yen' },
  KRW: { digits: 0, name: 'South Korean won' },
  CAD: { digits: 2, name: 'Canadian dollar' },
  AUD: { digits: 2, name: 'Australian dollar' },
  NZD: { digits: 2, name: 'New Zealand dollar' },
  CHF: { digits: 2, name: 'Swiss franc' },
  SEK: { digits: 2, name: 'Swedish krona' },
  NOK: { digits: 2, name: 'Norwegian krone' },
  DKK: { digits: 2, name: 'Danish krone' },
  PLN: { digits: 2, name: 'Polish złoty' },
  CZK: { digits: 2, name: 'Czech koruna' },
  SGD: { digits: 2, name: 'Singapore dollar' },
  HKD: { digits: 2, name: 'Hong Kong dollar' },
  MXN: { digits: 2, name: 'Mexican peso' },
  BRL: { digits: 2, name: 'Brazilian real' },
  INR: { digits: 2, name: 'Indian rupee' },
  ZAR: { digits: 2, name: 'South African rand' },
} as const satisfies Record<string, { digits: 0 | 2; name: string }>;

export type CurrencyCode = keyof typeof CURRENCIES;
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [CurrencyCode, ...CurrencyCode[]];

export const isSupportedCurrency = (code: string): code is CurrencyCode => Object.hasOwn(CURRENCIES, code);

/**
 * The minor digits of a currency: the table's for a supported one; for any other code (an order from before the
 * list, a report), what Intl says, else 2.
 */
export function minorDigits(currency: string): number {
  if (isSupportedCurrency(currency)) return CURRENCIES[currency].digits;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}
