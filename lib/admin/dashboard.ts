import 'server-only';
import { eq, sql } from 'drizzle-orm';
import { getDb, type Database } from '@/db/client';
import { events, venues } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { getCoordinator } from '@/lib/coordination';
import { AppError } from '@/lib/errors';
import { holdOutcomes, HOLD_OUTCOME_WINDOW_MS } from '@/lib/inventory/metrics';
import { getCancelProgress } from './cancel-event-progress';
import { queueFigures } from './dashboard-queue';
import type { EventDashboard, HoldFigures, SalesPoint, SeatCounts } from './dashboard-types';
import { revenueFigures } from './revenue-figures';
import { isUuid } from '@/lib/contracts/uuid';
import type { QueueStore } from '@/lib/queue/store/port';
import { holdersNeverPaid } from '@/lib/security/hoarding';
import { waitlistFigures } from '@/lib/waitlist/waitlist-figures';

export type DashboardDeps = { db: Database; queue: QueueStore; now: () => Date };

/** The process-wide dependencies of the dashboards: the database and the waiting room's store (figures are live). */
export async function dashboardDeps(): Promise<DashboardDeps> {
  return { db: await getDb(), queue: getCoordinator().queue, now: () => new Date() };
}

/** Everything the live dashboard of one event shows, read fresh from PostgreSQL and the coordinator. */
export async function getEventDashboard(deps: DashboardDeps, eventId: string): Promise<EventDashboard> {
  if (!isUuid(eventId)) throw new AppError('NOT_FOUND', 'No such event.');
  const now = deps.now();
  const [row] = await deps.db
    .select({ event: events, venueName: venues.name })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(events.id, eventId));
  if (!row) throw new AppError('NOT_FOUND', 'No such event.');
  const { event } = row;

  const [seats, revenue, sales, holds, queue, cancellation, waitlist] = await Promise.all([
    seatCounts(deps.db, eventId, now),
    revenueFigures(deps.db, event),
    salesSeries(deps.db, eventId),
    holdFigures(deps.db, eventId, now),
    queueFigures(deps.queue, event, now),
    event.status === 'cancelled' ? getCancelProgress(deps.db, eventId) : Promise.resolve(null),
    waitlistFigures(deps.db, eventId),
  ]);
  return {
    event: {
      id: event.id,
      name: event.name,
      status: event.status,
      venueName: row.venueName,
      city: event.city,
      startsAt: event.startsAt.toISOString(),
      onSaleAt: event.onSaleAt.toISOString(),
      timezone: event.timezone,
      currency: event.currency,
      cancelledAt: event.cancelledAt?.toISOString() ?? null,
    },
    seats,
    revenue,
    sales,
    queue,
    holds,
    waitlist,
    cancellation,
    generatedAt: now.toISOString(),
  };
}

/**
 * Seats by state. A hold whose time has passed already counts as available (the next hold may take the seat before
 * the sweeper tidies it), so it is counted as available here too.
 */
async function seatCounts(db: Database, eventId: string, now: Date): Promise<SeatCounts> {
  const [c] = await rows<SeatCounts>(
    db,
    sql`select count(*) filter (where status = 'available' or (status = 'held' and held_until <= ${ts(now)}))::int as available,
               count(*) filter (where status = 'held' and held_until > ${ts(now)})::int as held,
               count(*) filter (where status = 'sold')::int as sold,
               count(*) filter (where status = 'blocked')::int as blocked,
               count(*)::int as total
        from event_seats where event_id = ${eventId}`,
  );
  return c ?? { available: 0, held: 0, sold: 0, blocked: 0, total: 0 };
}

const NICE_BUCKETS_S = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];
const MAX_POINTS = 60;

/** Tickets and money taken over time, in buckets sized so the whole sale fits in about sixty points. */
async function salesSeries(db: Database, eventId: string): Promise<{ bucketSeconds: number; points: SalesPoint[] }> {
  const [range] = await rows<{ first: Date | string | null; last: Date | string | null }>(
    db,
    sql`select min(paid_at) as first, max(paid_at) as last from orders where event_id = ${eventId} and paid_at is not null`,
  );
  if (!range?.first || !range.last) return { bucketSeconds: 60, points: [] };
  const spanS = (new Date(range.last).getTime() - new Date(range.first).getTime()) / 1000;
  const bucketSeconds = NICE_BUCKETS_S.find((s) => spanS / s <= MAX_POINTS) ?? NICE_BUCKETS_S.at(-1)!;
  const buckets = await rows<{ bucket: number | string; tickets: number; revenue: number | string }>(
    db,
    sql`select (floor(extract(epoch from o.paid_at) / ${bucketSeconds}) * ${bucketSeconds})::bigint as bucket,
               coalesce(sum((select count(*) from order_items i where i.order_id = o.id)), 0)::int as tickets,
               coalesce(sum(o.total_minor), 0)::bigint as revenue
        from orders o where o.event_id = ${eventId} and o.paid_at is not null
        group by 1 order by 1`,
  );
  let cumulativeTickets = 0;
  let cumulativeRevenueMinor = 0;
  const points = buckets.map((b) => {
    cumulativeTickets += b.tickets;
    cumulativeRevenueMinor += Number(b.revenue);
    return {
      at: new Date(Number(b.bucket) * 1000).toISOString(),
      tickets: b.tickets,
      revenueMinor: Number(b.revenue),
      cumulativeTickets,
      cumulativeRevenueMinor,
    };
  });
  return { bucketSeconds, points };
}

/** Holds of the last fifteen minutes, and every app process's answers to hold requests in that window (PostgreSQL). */
async function holdFigures(db: Database, eventId: string, now: Date): Promise<HoldFigures> {
  const since = new Date(now.getTime() - HOLD_OUTCOME_WINDOW_MS);
  const [h] = await rows<{ placed: number; active: number; converted: number; expired: number; released: number }>(
    db,
    sql`select count(*)::int as placed,
               count(*) filter (where status = 'active' and expires_at > ${ts(now)})::int as active,
               count(*) filter (where status = 'converted')::int as converted,
               count(*) filter (where status = 'expired' or (status = 'active' and expires_at <= ${ts(now)}))::int as expired,
               count(*) filter (where status = 'released')::int as released
        from holds where event_id = ${eventId} and created_at > ${ts(since)}`,
  );
  const [neverPaid] = await holdersNeverPaid(db, [eventId], now);
  const requests = await holdOutcomes(db, eventId, now.getTime());
  const total = requests.granted + requests.conflicts + requests.refused;
  return {
    windowMinutes: HOLD_OUTCOME_WINDOW_MS / 60_000,
    placed: h?.placed ?? 0,
    active: h?.active ?? 0,
    converted: h?.converted ?? 0,
    expired: h?.expired ?? 0,
    released: h?.released ?? 0,
    neverPaid: { accounts: neverPaid?.accounts ?? 0, holds: neverPaid?.holds ?? 0, seats: neverPaid?.seats ?? 0 },
    requests: { granted: requests.granted, conflicts: requests.conflicts, refused: requests.refused },
    successRate: total ? requests.granted / total : null,
    conflictRate: total ? requests.conflicts / total : null,
  };
}
