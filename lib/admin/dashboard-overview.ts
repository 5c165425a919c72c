import 'server-only';
import { sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import type { QueueEvent } from '@/lib/queue/policy';
import type { DashboardDeps } from './dashboard';
import { queueFigures } from './dashboard-queue';
import type { EventOverviewRow } from './dashboard-types';
import { REFUNDED_TAX_OF_ORDER } from './revenue-figures';

type Row = {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'cancelled';
  venue_name: string;
  starts_at: Date | string;
  on_sale_at: Date | string;
  prequeue_opens_at: Date | string | null;
  timezone: string;
  currency: string;
  queue_capacity: number;
  admission_rate_per_minute: number;
  shopping_window_minutes: number;
  available: number;
  held: number;
  sold: number;
  blocked: number;
  total: number;
  gross: number | string;
  tax: number | string;
  tickets: number;
};

/**
 * The events overview: every event, upcoming first then past, with its seats, money and waiting room. Two grouped
 * reads for all events at once; the coordinator is asked only about events whose queue is open.
 */
export async function listEventsOverview(
  deps: DashboardDeps,
  options: { limit?: number; when?: 'upcoming' | 'past' | 'all' } = {},
): Promise<EventOverviewRow[]> {
  const now = deps.now();
  const when = options.when ?? 'all';
  const filter =
    when === 'upcoming' ? sql`e.starts_at >= ${ts(now)}` : when === 'past' ? sql`e.starts_at < ${ts(now)}` : sql`true`;
  const found = await rows<Row>(
    deps.db,
    sql`select e.id, e.name, e.status, v.name as venue_name, e.starts_at, e.on_sale_at, e.prequeue_opens_at, e.timezone, e.currency,
               e.queue_capacity, e.admission_rate_per_minute, e.shopping_window_minutes,
               coalesce(s.available, 0)::int as available, coalesce(s.held, 0)::int as held, coalesce(s.sold, 0)::int as sold,
               coalesce(s.blocked, 0)::int as blocked, coalesce(s.total, 0)::int as total,
               coalesce(m.gross, 0)::bigint as gross, coalesce(m.tax, 0)::bigint as tax, coalesce(s.sold, 0)::int as tickets
        from events e
        join venues v on v.id = e.venue_id
        left join lateral (
          select count(*) filter (where status = 'available' or (status = 'held' and held_until <= ${ts(now)})) as available,
                 count(*) filter (where status = 'held' and held_until > ${ts(now)}) as held,
                 count(*) filter (where status = 'sold') as sold,
                 count(*) filter (where status = 'blocked') as blocked,
                 count(*) as total
          from event_seats es where es.event_id = e.id
        ) s on true
        left join lateral (
          select sum(o.total_minor - o.refunded_minor) as gross, sum(o.tax_minor - ${REFUNDED_TAX_OF_ORDER}) as tax
            from orders o where o.event_id = e.id and o.paid_at is not null
        ) m on true
        where ${filter}
        order by (e.starts_at < ${ts(now)}), case when e.starts_at >= ${ts(now)} then e.starts_at end asc, e.starts_at desc
        limit ${options.limit ?? 200}`,
  );
  return Promise.all(
    found.map(async (r) => {
      const event: QueueEvent = {
        id: r.id,
        name: r.name,
        status: r.status,
        onSaleAt: new Date(r.on_sale_at),
        startsAt: new Date(r.starts_at),
        prequeueOpensAt: r.prequeue_opens_at ? new Date(r.prequeue_opens_at) : null,
        queueCapacity: r.queue_capacity,
        admissionRatePerMinute: r.admission_rate_per_minute,
        shoppingWindowMinutes: r.shopping_window_minutes,
        currency: r.currency,
        timezone: r.timezone,
      };
      const queue = await queueFigures(deps.queue, event, now);
      return {
        id: r.id,
        name: r.name,
        status: r.status,
        venueName: r.venue_name,
        startsAt: new Date(r.starts_at).toISOString(),
        timezone: r.timezone,
        seats: { available: r.available, held: r.held, sold: r.sold, blocked: r.blocked, total: r.total },
        revenue: {
          currency: r.currency,
          kept: { netMinor: Number(r.gross) - Number(r.tax), taxMinor: Number(r.tax), grossMinor: Number(r.gross) },
          ticketsSold: r.tickets,
        },
        queue: { phase: queue.phase, reachable: queue.reachable, waiting: queue.waiting, active: queue.active },
      };
    }),
  );
}
