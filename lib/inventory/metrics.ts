import 'server-only';
import { LRUCache } from 'lru-cache';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { rows } from '@/db/sql';
import { metrics } from '@/lib/observability/metrics';
import { processSingleton } from '@/lib/process-singletons';

export const holdsGranted = metrics.counter('admitone_holds_granted_total', 'Holds granted');
export const holdSeatsGranted = metrics.counter('admitone_hold_seats_granted_total', 'Seats held by granted holds');
export const holdConflicts = metrics.counter(
  'admitone_hold_conflicts_total',
  'Hold requests refused because seats were taken, by the stage that refused (redis or database)',
  ['stage'],
);
export const holdRejections = metrics.counter(
  'admitone_hold_rejections_total',
  'Hold requests refused for other reasons (limit, validation, not on sale)',
  ['code'],
);
export const databaseOnlyHolds = metrics.counter(
  'admitone_hold_database_only_total',
  'Holds decided by PostgreSQL alone because the coordinator was skipped (breaker open, error or timeout)',
  ['reason'],
);
export const holdExpiries = metrics.counter(
  'admitone_hold_expiries_total',
  'Seats returned to sale by the expiry sweeper',
);
export const holdDuration = metrics.histogram(
  'admitone_hold_duration_ms',
  'Time to answer a hold request, by outcome',
  ['outcome'],
);
export const tidyUpRetries = metrics.counter(
  'admitone_coordinator_tidy_retries_total',
  'Tidy-ups that free seats in the filter and failed at first, by what and outcome (scheduled, succeeded, gave-up, dropped)',
  ['what', 'outcome'],
);
export const breakerState = metrics.gauge(
  'admitone_coordinator_breaker_open',
  '1 while the coordinator circuit breaker is open (holds go to PostgreSQL alone)',
);

/**
 * The oversell detector: seats with more than one live ticket, and sold seats without one. The database makes both
 * impossible (a partial unique index and a deferred trigger); this gauge proves it on every scrape and must stay 0.
 */
metrics.gauge(
  'admitone_oversold_seats',
  'Seats sold more than once, or sold without a live ticket (must stay 0)',
  ['kind'],
  async (oversold) => {
    const [found] = await rows<{ twice: number; ticketless: number }>(
      await getDb(),
      sql`select (select count(*) from (select event_seat_id from tickets where status in ('valid', 'used') group by event_seat_id having count(*) > 1) d)::int as twice,
               (select count(*) from event_seats es where es.status = 'sold'
                  and not exists (select 1 from tickets t where t.event_seat_id = es.id and t.status in ('valid', 'used')))::int as ticketless`,
    );
    oversold.set({ kind: 'sold_twice' }, found?.twice ?? 0);
    oversold.set({ kind: 'sold_without_ticket' }, found?.ticketless ?? 0);
  },
);

/** How far back the per-event hold outcomes reach (the admin dashboard's window). */
export const HOLD_OUTCOME_WINDOW_MS = 15 * 60_000;
const BUCKET_MS = 60_000;
type OutcomeBuckets = Map<number, { granted: number; conflicts: number; refused: number }>;
const outcomes = processSingleton('holdOutcomes', () => new LRUCache<string, OutcomeBuckets>({ max: 256 }));

/**
 * Counts a hold request's outcome per event in one-minute buckets (this process only: the figures above have no
 * event label, and PostgreSQL never sees the requests the coordinator refused). Old buckets are dropped.
 */
export function recordHoldOutcome(eventId: string, outcome: string, nowMs: number = Date.now()): void {
  const bucket = Math.floor(nowMs / BUCKET_MS) * BUCKET_MS;
  let buckets = outcomes.get(eventId);
  if (!buckets) outcomes.set(eventId, (buckets = new Map()));
  for (const at of buckets.keys()) if (at <= nowMs - HOLD_OUTCOME_WINDOW_MS - BUCKET_MS) buckets.delete(at);
  const counts = buckets.get(bucket) ?? { granted: 0, conflicts: 0, refused: 0 };
  if (outcome === 'granted') counts.granted++;
  else if (outcome === 'seats_unavailable') counts.conflicts++;
  else counts.refused++;
  buckets.set(bucket, counts);
}

/** Hold requests for the event answered by this process over the last HOLD_OUTCOME_WINDOW_MS. */
export function holdOutcomes(
  eventId: string,
  nowMs: number = Date.now(),
): { granted: number; conflicts: number; refused: number; windowMs: number } {
  const total = { granted: 0, conflicts: 0, refused: 0, windowMs: HOLD_OUTCOME_WINDOW_MS };
  for (const [at, c] of outcomes.get(eventId) ?? []) {
    if (at + BUCKET_MS <= nowMs - HOLD_OUTCOME_WINDOW_MS) continue;
    total.granted += c.granted;
    total.conflicts += c.conflicts;
    total.refused += c.refused;
  }
  return total;
}
