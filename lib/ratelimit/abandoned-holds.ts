import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { AppError } from '@/lib/errors';
import { ABANDONED_HOLDS, type Budget } from './policies';

/**
 * 429 RATE_LIMITED when the buyer ended `budget.limit` holds on this event unbought (released or expired) within the
 * window: a hold-and-abandon loop. Retry-After is when the oldest of them leaves the window.
 */
export async function enforceAbandonedHoldLimit(db: Database, input: { eventId: string; userId: string; now: Date }, budget: Budget = ABANDONED_HOLDS): Promise<void> {
  const since = new Date(input.now.getTime() - budget.windowMs);
  const [found] = await rows<{ n: number; oldest: Date | string | null }>(
    db,
    sql`select count(*)::int as n, min(ended_at) as oldest from holds
        where event_id = ${input.eventId} and user_id = ${input.userId} and status in ('released', 'expired') and ended_at > ${ts(since)}`,
  );
  if (!found || found.n < budget.limit || !found.oldest) return;
  const retryAfter = Math.max(1, Math.ceil((new Date(found.oldest).getTime() + budget.windowMs - input.now.getTime()) / 1000));
  throw new AppError('RATE_LIMITED', `You let ${found.n} holds on this event go unbought in the last ${Math.round(budget.windowMs / 60_000)} minutes. Try again in ${retryAfter} s.`, {
    retryAfter,
    policy: 'hold-abandon',
  });
}
