import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { rows } from '@/db/sql';
import { metrics } from '@/lib/observability/metrics';

export const holdsGranted = metrics.counter('admitone_holds_granted_total', 'Holds granted');
export const holdSeatsGranted = metrics.counter('admitone_hold_seats_granted_total', 'Seats held by granted holds');
export const holdConflicts = metrics.counter('admitone_hold_conflicts_total', 'Hold requests refused because seats were taken, by the stage that refused (redis or database)');
export const holdRejections = metrics.counter('admitone_hold_rejections_total', 'Hold requests refused for other reasons (limit, validation, not on sale)');
export const databaseOnlyHolds = metrics.counter('admitone_hold_database_only_total', 'Holds decided by PostgreSQL alone because the coordinator was skipped (breaker open, error or timeout)');
export const holdExpiries = metrics.counter('admitone_hold_expiries_total', 'Seats returned to sale by the expiry sweeper');
export const holdDuration = metrics.histogram('admitone_hold_duration_ms', 'Time to answer a hold request, by outcome');
export const breakerState = metrics.gauge('admitone_coordinator_breaker_open', '1 while the coordinator circuit breaker is open (holds go to PostgreSQL alone)');

/**
 * The oversell detector: seats with more than one live ticket, and sold seats without one. The database makes both
 * impossible (a partial unique index and a deferred trigger); this gauge proves it on every scrape and must stay 0.
 */
const oversold = metrics.gauge('admitone_oversold_seats', 'Seats sold more than once, or sold without a live ticket (must stay 0)', async () => {
  const [found] = await rows<{ twice: number; ticketless: number }>(
    await getDb(),
    sql`select (select count(*) from (select event_seat_id from tickets where status in ('valid', 'used') group by event_seat_id having count(*) > 1) d)::int as twice,
               (select count(*) from event_seats es where es.status = 'sold'
                  and not exists (select 1 from tickets t where t.event_seat_id = es.id and t.status in ('valid', 'used')))::int as ticketless`,
  );
  oversold.set({ kind: 'sold_twice' }, found?.twice ?? 0);
  oversold.set({ kind: 'sold_without_ticket' }, found?.ticketless ?? 0);
});
