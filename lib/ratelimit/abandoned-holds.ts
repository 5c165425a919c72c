import { AppError } from '@/lib/errors';
import { ABANDONED_HOLDS, type Budget } from './policies';
import { countOf } from '@/lib/format';

export { ABANDONED_HOLDS, type Budget };

/**
 * 429 RATE_LIMITED for a buyer who ended `count` holds on an event unbought (released or expired) within the window:
 * a hold-and-abandon loop. Counted by PostgreSQL in the hold statement itself (hold_seats), from the holds, so it
 * holds across instances and through a Redis outage; Retry-After is when the oldest of them leaves the window.
 */
export function abandonedHolds(count: number, oldest: Date, budget: Budget, now: Date): AppError {
  const retryAfter = Math.max(1, Math.ceil((oldest.getTime() + budget.windowMs - now.getTime()) / 1000));
  return new AppError(
    'RATE_LIMITED',
    `You let ${countOf(count, 'hold', 'holds')} on this event go unbought in the last ${countOf(Math.round(budget.windowMs / 60_000), 'minute', 'minutes')}. Try again in ${retryAfter} s.`,
    {
      retryAfter,
      policy: 'hold-abandon',
    },
  );
}
