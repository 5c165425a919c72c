import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { AppError } from '@/lib/errors';
import type { CancelProgress } from './dashboard-types';

/**
 * How far the cancellation of an event has come, read from the orders and refunds themselves: no progress row is
 * kept, so the figures cannot drift from the truth, and a job that died is resumed simply by processing what this
 * still counts as remaining.
 */
export async function getCancelProgress(db: Database, eventId: string): Promise<CancelProgress> {
  const [r] = await rows<{
    status: string;
    cancelled_at: Date | string | null;
    remaining: number;
    processed: number;
    in_flight: number;
    succeeded: number;
    pending: number;
    failed: number;
    refunded_minor: number | string;
  }>(
    db,
    sql`select e.status, e.cancelled_at,
               (select count(*) from orders o where o.event_id = e.id and o.status = 'paid')::int as remaining,
               (select count(*) from orders o where o.event_id = e.id and o.status in ('cancelled', 'refunded') and o.cancelled_at >= e.cancelled_at)::int as processed,
               (select count(*) from orders o where o.event_id = e.id and o.status = 'pending')::int as in_flight,
               (select count(*) from refunds r join orders o on o.id = r.order_id where o.event_id = e.id and r.reason = 'event_cancelled' and r.status = 'succeeded')::int as succeeded,
               (select count(*) from refunds r join orders o on o.id = r.order_id where o.event_id = e.id and r.reason = 'event_cancelled' and r.status = 'pending')::int as pending,
               (select count(*) from refunds r join orders o on o.id = r.order_id where o.event_id = e.id and r.reason = 'event_cancelled' and r.status = 'failed')::int as failed,
               (select coalesce(sum(r.amount_minor), 0) from refunds r join orders o on o.id = r.order_id where o.event_id = e.id and r.reason = 'event_cancelled' and r.status = 'succeeded')::bigint as refunded_minor
        from events e where e.id = ${eventId}`,
  );
  if (!r) throw new AppError('NOT_FOUND', 'No such event.');
  if (r.status !== 'cancelled' || !r.cancelled_at) throw new AppError('INVALID_STATE', 'This event is not cancelled.');
  return {
    eventId,
    cancelledAt: new Date(r.cancelled_at).toISOString(),
    remaining: r.remaining,
    processed: r.processed,
    total: r.remaining + r.processed,
    refunds: { succeeded: r.succeeded, pending: r.pending, failed: r.failed, refundedMinor: Number(r.refunded_minor) },
    paymentsInFlight: r.in_flight,
    done: r.remaining === 0 && r.pending === 0 && r.in_flight === 0,
  };
}
