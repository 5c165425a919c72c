import 'server-only';
import { sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import { isUuid } from '@/lib/contracts/uuid';
import { processSingleton } from '@/lib/process-singletons';

/** The funnel steps counted in memory (the others have rows of their own: holds, orders). */
export type CountedStep = 'pageViews' | 'queueJoins' | 'admissions';
type Counts = Record<CountedStep, number>;

const BUCKET_MS = 60_000;
const empty = (): Counts => ({ pageViews: 0, queueJoins: 0, admissions: 0 });
/** What this process counted since its last flush, by event and minute (256 events at most between two flushes). */
const pending = processSingleton('funnelCounts', () => new LRUCache<string, Map<number, Counts>>({ max: 256 }));

/**
 * Counts one step of an event's sales funnel in this process, in one-minute buckets, until the next flush adds it to
 * `funnel_counts`. No I/O: it runs on the event page and in the waiting room's join and poll.
 */
export function countFunnelStep(eventId: string, step: CountedStep, n = 1, nowMs: number = Date.now()): void {
  if (n <= 0 || !isUuid(eventId)) return;
  const bucket = Math.floor(nowMs / BUCKET_MS) * BUCKET_MS;
  let buckets = pending.get(eventId);
  if (!buckets) pending.set(eventId, (buckets = new Map()));
  const counts = buckets.get(bucket) ?? empty();
  counts[step] += n;
  buckets.set(bucket, counts);
}

/**
 * Adds this process's pending counts to `funnel_counts` in one statement (every process, every two seconds:
 * lib/jobs). Counts of events that do not exist are dropped; if the write fails they are kept for the next flush.
 */
export async function flushFunnelCounts(db: Database): Promise<number> {
  const batch = [...pending.entries()];
  pending.clear();
  const values = batch.flatMap(([eventId, buckets]) =>
    [...buckets].map(
      ([at, c]) =>
        sql`(${eventId}::uuid, ${ts(new Date(at))}, ${c.pageViews}::int, ${c.queueJoins}::int, ${c.admissions}::int)`,
    ),
  );
  if (values.length === 0) return 0;
  try {
    await db.execute(
      sql`insert into funnel_counts (event_id, minute, page_views, queue_joins, admissions)
          select v.event_id, v.minute, v.page_views, v.queue_joins, v.admissions
          from (values ${sql.join(values, sql`, `)}) as v(event_id, minute, page_views, queue_joins, admissions)
          join events e on e.id = v.event_id
          on conflict (event_id, minute) do update set
            page_views = funnel_counts.page_views + excluded.page_views,
            queue_joins = funnel_counts.queue_joins + excluded.queue_joins,
            admissions = funnel_counts.admissions + excluded.admissions`,
    );
  } catch (error) {
    for (const [eventId, buckets] of batch)
      for (const [at, c] of buckets)
        for (const step of ['pageViews', 'queueJoins', 'admissions'] as const)
          countFunnelStep(eventId, step, c[step], at);
    throw error;
  }
  return values.length;
}

/** This process's counts not flushed yet, per minute, for one event (added to the shared ones when reading). */
export function unflushedFunnelCounts(eventId: string): { minute: number; counts: Counts }[] {
  return [...(pending.get(eventId) ?? new Map<number, Counts>())].map(([minute, counts]) => ({
    minute,
    counts: { ...counts },
  }));
}

/** Rows of `funnel_counts` for one event (the reader in ./event-funnel.ts). */
export async function sharedFunnelCounts(db: Database, eventId: string): Promise<{ minute: number; counts: Counts }[]> {
  const found = await rows<{ minute: Date | string; page_views: number; queue_joins: number; admissions: number }>(
    db,
    sql`select minute, page_views, queue_joins, admissions from funnel_counts where event_id = ${eventId} order by minute`,
  );
  return found.map((r) => ({
    minute: new Date(r.minute).getTime(),
    counts: { pageViews: r.page_views, queueJoins: r.queue_joins, admissions: r.admissions },
  }));
}
