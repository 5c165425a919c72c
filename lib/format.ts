/** Formatting shared by server and client: money in minor units, dates in the venue's time zone. */
import { minorDigits } from '@/lib/contracts/currency-table';

/**
 * Intl formatters by their options: building one costs far more than formatting with it (a checkout's confirmation
 * email built four, half of the request's own CPU), and pages format hundreds of prices and dates.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let found = formatters.get(key) as F | undefined;
  if (!found) {
    if (formatters.size >= 500) formatters.clear();
    formatters.set(key, (found = make()));
  }
  return found;
}

/**
 * An amount in minor units of `currency`, for the reader's locale: 5000 JPY is "¥5,000" in en-US, "￥5,000" in
 * ja-JP; 1250 EUR is "€12.50" in en-US, "12,50 €" in de-DE. Whole amounts drop the decimals ("€12"); yen never
 * have any. The digits come from lib/contracts/currency.ts, the same table the prices are stored and charged by.
 */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const digits = minorDigits(currency);
  const value = minor / 10 ** digits;
  const whole = Number.isInteger(value);
  return cached(
    `money|${locale}|${currency}|${whole}`,
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: whole ? 0 : digits,
        maximumFractionDigits: digits,
      }),
  ).format(value);
}

export function formatEventDate(date: Date, timeZone: string, locale = 'en-US'): string {
  return cached(
    `date|${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone }),
  ).format(date);
}

export function formatEventTime(date: Date, timeZone: string, locale = 'en-US'): string {
  return cached(
    `time|${locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone, timeZoneName: 'short' }),
  ).format(date);
}

export function formatDateTime(date: Date, timeZone: string, locale = 'en-US'): string {
  return `${formatEventDate(date, timeZone, locale)}, ${formatEventTime(date, timeZone, locale)}`;
}

/** The first language of an Accept-Language header that Intl supports, else en-US. */
export function pickLocale(acceptLanguage: string | null | undefined): string {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .filter((tag) => tag && tag !== '*');
  for (const tag of tags) {
    try {
      if (Intl.DateTimeFormat.supportedLocalesOf([tag]).length) return tag;
    } catch {
      // not a valid language tag
    }
  }
  return 'en-US';
}

const pluralRules = new Map<string, Intl.PluralRules>();
function pluralCategory(count: number, locale: string): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    if (pluralRules.size >= 50) pluralRules.clear();
    pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  }
  return rules.select(count);
}

/**
 * The noun for a count: `noun(1, 'seat', 'seats')` is "seat", any other count "seats". Intl.PluralRules decides,
 * so "1.5 hours" and "0 seats" read right. The words themselves are English.
 */
export function noun(count: number, one: string, other: string, locale = 'en-US'): string {
  return pluralCategory(count, locale) === 'one' ? one : other;
}

/** A count and its noun: `countOf(1, 'seat', 'seats')` is "1 seat", `countOf(1200, ...)` "1,200 seats". */
export function countOf(count: number, one: string, other: string, locale = 'en-US'): string {
  const number = cached(`count|${locale}`, () => new Intl.NumberFormat(locale)).format(count);
  return `${number} ${noun(count, one, other, locale)}`;
}

/**
 * A section as a person says it: "Section 104" for a label that is a number or a code, the label alone when it
 * is a word ("Stalls", "Balcony", "Upper Circle"), never "Section Stalls".
 */
export function sectionPhrase(label: string): string {
  if (/^section\b/i.test(label)) return label;
  return /\p{L}{3,}|\s/u.test(label) ? label : `Section ${label}`;
}

/** "Section 104, row F, seat 12" or "Stalls, row C, seat 7". */
export function seatPhrase(seat: { sectionLabel: string; rowLabel: string; seatLabel: string }): string {
  return `${sectionPhrase(seat.sectionLabel)}, row ${seat.rowLabel}, seat ${seat.seatLabel}`;
}

const WALLET_NAMES: Record<string, string> = {
  apple_pay: 'Apple Pay',
  google_pay: 'Google Pay',
  samsung_pay: 'Samsung Pay',
  link: 'Link',
  amex_express_checkout: 'Amex Express Checkout',
  masterpass: 'Masterpass',
  visa_checkout: 'Visa Checkout',
};
const CARD_BRANDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
  eftpos_au: 'eftpos',
  interac: 'Interac',
};
const spelled = (word: string) => word.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * How an order was paid, as the order page says it after "Paid with": the wallet ("Apple Pay") or else the card's
 * brand ("Visa"), and the card's last four digits when known. Null when nothing is known.
 */
export function paymentMethodPhrase(paid: {
  wallet: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
}): { name: string; last4: string | null } | null {
  const name = paid.wallet
    ? (WALLET_NAMES[paid.wallet] ?? spelled(paid.wallet))
    : paid.cardBrand
      ? (CARD_BRANDS[paid.cardBrand] ?? spelled(paid.cardBrand))
      : paid.cardLast4
        ? 'Card'
        : null;
  return name ? { name, last4: paid.cardLast4 } : null;
}
