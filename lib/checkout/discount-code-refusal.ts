import 'server-only';
import { pgErrorCode } from '@/db/sql';
import { AppError } from '@/lib/errors';

/** SQLSTATE raised by migration 0015 when an order cannot take a discount code's use; the message is the reason. */
export const DISCOUNT_CODE_REFUSED = 'DC001';

export const DISCOUNT_REFUSAL_REASONS = [
  'unknown',
  'inactive',
  'not_yet_valid',
  'expired',
  'exhausted',
  'account_limit',
] as const;
export type DiscountRefusalReason = (typeof DISCOUNT_REFUSAL_REASONS)[number];

const WORDS: Record<DiscountRefusalReason, string> = {
  unknown: 'There is no such discount code for this event. Check the spelling.',
  inactive: 'This discount code has been withdrawn by the organizer.',
  not_yet_valid: 'This discount code is not valid yet.',
  expired: 'This discount code has expired.',
  exhausted: 'This discount code has been used as many times as the organizer allows.',
  account_limit: 'You have already used this discount code as many times as one account may.',
};

export const discountCodeRefused = (reason: DiscountRefusalReason) =>
  new AppError('DISCOUNT_CODE_INVALID', WORDS[reason], { reason });

/** The database's refusal of a discount code as the problem the buyer reads; undefined for any other error. */
export function asDiscountCodeRefusal(error: unknown): AppError | undefined {
  if (pgErrorCode(error) !== DISCOUNT_CODE_REFUSED) return undefined;
  let message = '';
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === 'string' && (DISCOUNT_REFUSAL_REASONS as readonly string[]).includes(m)) message = m;
  }
  return discountCodeRefused((message || 'exhausted') as DiscountRefusalReason);
}
