import 'server-only';
import { LRUCache } from 'lru-cache';
import { sql } from 'drizzle-orm';
import { getDb, type Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import { metrics } from '@/lib/observability/metrics';
import { processSingleton } from '@/lib/process-singletons';

export const holdsGranted = metrics.counter('admitone_holds_granted_total', 'Holds granted');
export const holdSeatsGranted = metrics.counter('admitone_hold_seats_granted_total', 'Seats held by granted holds');
export const holdConflicts = metrics.counter(
  'admitone_hold_conflicts_total',
  'Hold requests refused because seats were taken, by the stage that refused (memory: sold seats before authentication; coordinator; database)',
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
type Counts = { granted: number; conflicts: number; refused: number };
type OutcomeBuckets = Map<number, Counts>;
/** Outcomes this process counted since its last flush, by event and minute. */
const pending = processSingleton('holdOutcomes', () => new LRUCache<string, OutcomeBuckets>({ max: 256 }));

/**
 * Counts a hold request's outcome per event in one-minute buckets, in this process until the next flush adds them to
 * PostgreSQL (the figures above have no event label, and PostgreSQL never sees the requests the coordinator refused,
 * so no shared store has them otherwise). No I/O on the request path.
 */
export function recordHoldOutcome(eventId: string, outcome: string, nowMs: number = Date.now()): void {
  if (!isUuid(eventId)) return;
  addPending(eventId, Math.floor(nowMs / BUCKET_MS) * BUCKET_MS, {
    granted: outcome === 'granted' ? 1 : 0,
    conflicts: outcome === 'seats_unavailable' ? 1 : 0,
    refused: outcome === 'granted' || outcome === 'seats_unavailable' ? 0 : 1,
  });
}

function addPending(eventId: string, bucket: number, add: Counts): void {
  let buckets = pending.get(eventId);
  if (!buckets) pending.set(eventId, (buckets = new Map()));
  const counts = buckets.get(bucket) ?? { granted: 0, conflicts: 0, refused: 0 };
  counts.granted += add.granted;
  counts.conflicts += add.conflicts;
  counts.refused += add.refused;
  buckets.set(bucket, counts);
}

/**
 * Adds this process's pending counts to `hold_outcome_counts` in one statement (every process does, every two
 * seconds: lib/jobs). Counts of events that do not exist are dropped; if the write fails they are kept for the next.
 */
export async function flushHoldOutcomes(db: Database): Promise<number> {
  const batch = [...pending.entries()];
  pending.clear();
  const values = batch.flatMap(([eventId, buckets]) =>
    [...buckets].map(
      ([at, c]) =>
        sql`(${eventId}::uuid, ${ts(new Date(at))}, ${c.granted}::int, ${c.conflicts}::int, ${c.refused}::int)`,
    ),
  );
  if (values.length === 0) return 0;
  try {
    await db.execute(
      sql`insert into hold_outcome_counts (event_id, minute, granted, conflicts, refused)
          select v.event_id, v.minute, v.granted, v.conflicts, v.refused
          from (values ${sql.join(values, sql`, `)}) as v(event_id, minute, granted, conflicts, refused)
          join events e on e.id = v.event_id
          on conflict (event_id, minute) do update set
            granted = hold_outcome_counts.granted + excluded.granted,
            conflicts = hold_outcome_counts.conflicts + excluded.conflicts,
            refused = hold_outcome_counts.refused + excluded.refused`,
    );
  } catch (error) {
    for (const [eventId, buckets] of batch) for (const [at, c] of buckets) addPending(eventId, at, c);
    throw error;
  }
  return values.length;
}

/** Drops counts older than a day (a cluster-wide job). */
export async function pruneHoldOutcomes(db: Database, now: Date = new Date()): Promise<void> {
  await db.execute(sql`delete from hold_outcome_counts where minute < ${ts(new Date(now.getTime() - 86_400_000))}`);
}

/**
 * Hold requests for the event answered by every app process over the last HOLD_OUTCOME_WINDOW_MS: the shared counts
 * in PostgreSQL plus what this process has not flushed yet (the others' last two seconds are not in yet).
 */
export async function holdOutcomes(
  db: Database,
  eventId: string,
  nowMs: number = Date.now(),
): Promise<Counts & { windowMs: number }> {
  const from = nowMs - HOLD_OUTCOME_WINDOW_MS - BUCKET_MS;
  const [shared] = await rows<Counts>(
    db,
    sql`select coalesce(sum(granted), 0)::int as granted, coalesce(sum(conflicts), 0)::int as conflicts,
               coalesce(sum(refused), 0)::int as refused
        from hold_outcome_counts where event_id = ${eventId} and minute > ${ts(new Date(from))}`,
  );
  const total = { ...(shared ?? { granted: 0, conflicts: 0, refused: 0 }), windowMs: HOLD_OUTCOME_WINDOW_MS };
  for (const [at, c] of pending.get(eventId) ?? []) {
    if (at <= from) continue;
    total.granted += c.granted;
    total.conflicts += c.conflicts;
    total.refused += c.refused;
  }
  return total;
}
