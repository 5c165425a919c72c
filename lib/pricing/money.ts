/**
 * Amounts between what people type and read (major units: "¥5,000", "12,50 €") and what is stored, priced and
 * charged (integer minor units of the event's currency). The currency's minor digits decide the factor: ×1 for
 * JPY, ×100 for EUR (decision 045). Shared by server and client; no Intl formatter is built per call.
 */
import { minorDigits } from '@/lib/contracts/currency-table';

/** 50 (yen) is 50 minor units; 12.5 (euros) is 1250. Rounded to the nearest unit. */
export function toMinorUnits(major: number, currency: string): number {
  return Math.round(major * 10 ** minorDigits(currency));
}

/** The major-unit value of an amount: 5000 minor units of JPY are 5000, of EUR 50. */
export function fromMinorUnits(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/**
 * An amount as a form field shows it for editing, without symbol or grouping: "5000" (JPY), "12.50" or "12" (EUR).
 * parseAmount reads it back unchanged.
 */
export function amountInputText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** digits;
  const whole = Math.floor(abs / unit);
  const part = abs % unit;
  return part === 0 || digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(part).padStart(digits, '0')}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

const symbolsOf = new Map<string, string[]>();
/** The currency's symbols as people type them: "$", "US$", "¥", "￥", "€", "£", "kr", "R$", "CHF"... */
function currencySymbols(currency: string): string[] {
  let found = symbolsOf.get(currency);
  if (!found) {
    const set = new Set<string>([currency]);
    for (const locale of ['en', 'ja', 'de', 'fr', 'sv', 'pt-BR', 'de-CH', 'pl', 'cs', 'ko']) {
      for (const display of ['symbol', 'narrowSymbol'] as const) {
        try {
          const parts = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: display });
          for (const p of parts.formatToParts(1)) if (p.type === 'currency') set.add(p.value);
        } catch {
          // an unknown code: only the code itself
        }
      }
    }
    // Longest first, so "US$" goes before "$".
    found = [...set].sort((a, b) => b.length - a.length);
    symbolsOf.set(currency, found);
  }
  return found;
}

const GROUPING = /['’\u00a0\u202f\s_]/g;

/**
 * Reads an amount a person typed in the currency's major units, with or without its symbol and grouping, in the
 * English or the continental style: for JPY "5000", "5,000", "¥5,000", "￥5.000" are all 5000; for EUR "12.50",
 * "12,50 €", "€1,234.50", "1.234,50" are 1250, 1250, 123450, 123450. One separator followed by exactly three digits
 * groups thousands ("5,000", "1.234"); any other last separator is the decimal point. More decimals than the
 * currency has (yen have none) are refused, not rounded, so ¥12.5 never becomes ¥13 or ¥1,250.
 */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const notAmount: ParsedAmount = { ok: false, message: `not an amount in ${currency}` };
  let rest = text.trim();
  if (rest === '') return { ok: false, message: 'enter an amount' };
  for (const symbol of currencySymbols(currency)) rest = rest.split(symbol).join(' ');
  rest = rest.replace(GROUPING, '');
  if (rest.startsWith('-') || rest.startsWith('−')) return { ok: false, message: 'cannot be negative' };
  if (!/^[0-9]+([.,][0-9]+)*$/.test(rest)) return notAmount;

  const separators = rest.replace(/[0-9]/g, '');
  let integer = rest;
  let fraction = '';
  if (separators.length > 0) {
    const last = Math.max(rest.lastIndexOf('.'), rest.lastIndexOf(','));
    const lastChar = rest[last]!;
    const tail = rest.slice(last + 1);
    const head = rest.slice(0, last);
    const mixed = new Set(separators).size > 1;
    const decimal = mixed || (separators.length === 1 && !(tail.length === 3 && /^[1-9][0-9]{0,2}$/.test(head)));
    if (decimal) {
      // Everything before the decimal point groups thousands, with the other separator ("1,234.50", "1.234,50").
      if (head.includes(lastChar)) return notAmount;
      integer = head;
      fraction = tail;
    }
    const groups = integer.split(/[.,]/);
    if (groups.length > 1 && (!/^[1-9][0-9]{0,2}$/.test(groups[0]!) || groups.slice(1).some((g) => g.length !== 3)))
      return notAmount;
    integer = groups.join('');
  }

  const digits = minorDigits(currency);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > digits)
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency} has no smaller unit: give a whole amount`
          : `at most ${digits} decimals in ${currency}`,
    };
  const minor = Number(integer) * 10 ** digits + Number(significant.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'too large' };
  return { ok: true, minor };
}
