import { z } from 'zod';
import { CURRENCY_CODES } from '@/lib/contracts/currency-table';

export {
  CURRENCIES,
  CURRENCY_CODES,
  isSupportedCurrency,
  minorDigits,
  type CurrencyCode,
} from '@/lib/contracts/currency-table';

/** An event's currency: one of CURRENCIES, given in any case ("jpy" is JPY). */
export const currencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .pipe(z.enum(CURRENCY_CODES, { message: `use one of ${CURRENCY_CODES.join(', ')}` }));
