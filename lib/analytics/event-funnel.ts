import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { FUNNEL_STEPS, type EventFunnel } from '@/lib/contracts/funnel';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { sharedFunnelCounts, unflushedFunnelCounts } from './funnel-counts';

type Row = EventFunnel['series'][number];
type Bucket = EventFunnel['bucket'];
const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const zero = (at: number): Row => ({
  at: new Date(at).toISOString(),
  pageViews: 0,
  queueJoins: 0,
  admissions: 0,
  holds: 0,
  checkouts: 0,
  paid: 0,
  expired: 0,
  released: 0,
  declined: 0,
});

/** A minute for a sale of up to two hours, an hour for up to a week, else a day: a chart of at most ~170 bars. */
export function funnelBucket(spanMs: number): Bucket {
  return spanMs <= 2 * 3_600_000 ? 'minute' : spanMs <= 7 * 86_400_000 ? 'hour' : 'day';
}

/**
 * An event's sales funnel from AdmitOne's own data, no tracker: page views, waiting-room joins and admissions as the
 * app processes counted them (funnel_counts plus this process's unflushed counts), holds from `holds`, checkouts started
 * (holds with an order) and paid orders from `orders`, and every hold that ended unpaid by why: declined (a payment
 * attempt for it failed), released, or expired. Over the whole sale, and per interval for the chart and the CSV. Online
 * only: holds by box-office staff and orders paid at the counter are left out.
 */
export async function getEventFunnel(db: Database, eventId: string, now: Date = new Date()): Promise<EventFunnel> {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const [event] = await rows<{ id: string }>(db, sql`select id from events where id = ${eventId}`);
  if (!event) throw new AppError('NOT_FOUND', 'No such event.');

  // The online funnel: the box office's holds and sales (lib/counter) are not buyers arriving.
  const online = sql`not exists (select 1 from payments p where p.order_id = o.id and p.provider = 'counter')`;
  const [counted, holdRows, orderRows] = await Promise.all([
    sharedFunnelCounts(db, eventId),
    rows<{ at: Date | string; holds: number; expired: number; released: number; declined: number; active: number }>(
      db,
      sql`with failed as (
            select distinct hold_id from orders where event_id = ${eventId} and status = 'failed' and hold_id is not null
          ), counter as (
            select o.hold_id from orders o join payments p on p.order_id = o.id
            where o.event_id = ${eventId} and p.provider = 'counter' and o.hold_id is not null
          )
          select date_trunc('minute', h.created_at) as at,
                 count(*)::int as holds,
                 count(*) filter (where h.status = 'expired' and f.hold_id is null)::int as expired,
                 count(*) filter (where h.status = 'released' and f.hold_id is null)::int as released,
                 count(*) filter (where h.status in ('expired', 'released') and f.hold_id is not null)::int as declined,
                 count(*) filter (where h.status = 'active')::int as active
          from holds h left join failed f on f.hold_id = h.id
          where h.event_id = ${eventId}
            and h.id not in (select hold_id from counter)
            and not exists (select 1 from users u where u.id = h.user_id and u.role = 'box_office')
          group by 1`,
    ),
    rows<{ at: Date | string; checkouts: number; paid: number }>(
      db,
      sql`select at, sum(checkouts)::int as checkouts, sum(paid)::int as paid from (
            select date_trunc('minute', min(created_at)) as at, 1 as checkouts, 0 as paid
            from orders o where event_id = ${eventId} and ${online} group by coalesce(hold_id, id)
            union all
            select date_trunc('minute', paid_at), 0, 1 from orders o
            where event_id = ${eventId} and paid_at is not null and ${online}
          ) o group by at`,
    ),
  ]);

  // Everything per minute first, then into the series' interval.
  const minutes = new Map<number, Row>();
  const at = (ms: number) => {
    let row = minutes.get(ms);
    if (!row) minutes.set(ms, (row = zero(ms)));
    return row;
  };
  for (const { minute, counts } of [...counted, ...unflushedFunnelCounts(eventId)]) {
    const row = at(minute);
    row.pageViews += counts.pageViews;
    row.queueJoins += counts.queueJoins;
    row.admissions += counts.admissions;
  }
  let activeHolds = 0;
  for (const r of holdRows) {
    const row = at(new Date(r.at).getTime());
    row.holds += r.holds;
    row.expired += r.expired;
    row.released += r.released;
    row.declined += r.declined;
    activeHolds += r.active;
  }
  for (const r of orderRows) {
    const row = at(new Date(r.at).getTime());
    row.checkouts += r.checkouts;
    row.paid += r.paid;
  }

  const sorted = [...minutes.values()].sort((a, b) => a.at.localeCompare(b.at));
  const first = sorted.length ? new Date(sorted[0]!.at).getTime() : now.getTime();
  const last = sorted.length ? new Date(sorted.at(-1)!.at).getTime() : now.getTime();
  const bucket = funnelBucket(last - first);
  const series = new Map<number, Row>();
  for (const row of sorted) {
    const start = Math.floor(new Date(row.at).getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket];
    const into = series.get(start) ?? zero(start);
    for (const key of Object.keys(row) as (keyof Row)[]) if (key !== 'at') into[key] += row[key];
    series.set(start, into);
  }

  const totals = { pageViews: 0, queueJoins: 0, admissions: 0, holds: 0, checkouts: 0, paid: 0 };
  const abandoned = { expired: 0, released: 0, declined: 0 };
  for (const row of sorted) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += row[key];
    for (const key of Object.keys(abandoned) as (keyof typeof abandoned)[]) abandoned[key] += row[key];
  }
  const share = (n: number, of: number) => (of > 0 ? n / of : null);
  const rates = FUNNEL_STEPS.map((step, i) => ({
    step: step.key,
    ofPrevious: i === 0 ? null : share(totals[step.key], totals[FUNNEL_STEPS[i - 1]!.key]),
    ofFirst: i === 0 ? null : share(totals[step.key], totals[FUNNEL_STEPS[0].key]),
  }));

  return {
    eventId,
    totals,
    rates,
    abandoned,
    activeHolds,
    bucket,
    series: [...series.values()],
    generatedAt: now.toISOString(),
  };
}

const CSV_COLUMNS: [keyof Row, string][] = [
  ['at', 'interval_start'],
  ['pageViews', 'page_views'],
  ['queueJoins', 'waiting_room_joins'],
  ['admissions', 'admissions'],
  ['holds', 'holds'],
  ['checkouts', 'checkouts_started'],
  ['paid', 'paid_orders'],
  ['expired', 'holds_expired'],
  ['released', 'holds_released'],
  ['declined', 'holds_declined'],
];

/** The funnel as CSV: a header, one row per interval (UTC, ISO 8601), and a last row of totals. */
export function funnelCsv(funnel: EventFunnel): string {
  const lines = [CSV_COLUMNS.map(([, name]) => name).join(',')];
  for (const row of funnel.series) lines.push(CSV_COLUMNS.map(([key]) => String(row[key])).join(','));
  const total = { at: 'total', ...funnel.totals, ...funnel.abandoned } as Record<keyof Row, string | number>;
  lines.push(CSV_COLUMNS.map(([key]) => String(total[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
