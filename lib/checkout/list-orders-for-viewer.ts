import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows, ts } from '@/db/sql';
import type { OrderListItem } from '@/lib/contracts/checkout';

/**
 * The buyer's orders, newest first, `limit` at a time (`cursor` is the last createdAt seen). Attempts that were
 * declined are left out: they are not orders anyone paid for. An order whose payment went through and was then
 * refunded (seats lost) stays, so the refund is visible.
 */
export async function listOrdersForViewer(
  db: Database,
  userId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<OrderListItem[]> {
  const limit = Math.min(options.limit ?? 20, 100);
  const list = await rows<{
    id: string;
    reference: string;
    status: OrderListItem['status'];
    event_name: string;
    starts_at: string | Date;
    timezone: string;
    currency: string;
    total_minor: number;
    refunded_minor: number;
    ticket_count: number;
    created_at: string | Date;
  }>(
    db,
    sql`select o.id, o.reference, o.status, e.name as event_name, e.starts_at, e.timezone, o.currency, o.total_minor, o.refunded_minor,
               (select count(*)::int from order_items i where i.order_id = o.id) as ticket_count, o.created_at
        from orders o join events e on e.id = o.event_id
        where o.user_id = ${userId}
          and not (o.status = 'failed' and not exists (select 1 from payments p where p.order_id = o.id and p.status = 'succeeded'))
          ${options.cursor ? sql`and o.created_at < ${ts(new Date(options.cursor))}` : sql``}
        order by o.created_at desc, o.id desc
        limit ${limit}`,
  );
  const iso = (v: string | Date) => new Date(v).toISOString();
  return list.map((o) => ({
    id: o.id,
    reference: o.reference,
    status: o.status,
    eventName: o.event_name,
    eventStartsAt: iso(o.starts_at),
    eventTimezone: o.timezone,
    currency: o.currency,
    totalMinor: Number(o.total_minor),
    refundedMinor: Number(o.refunded_minor),
    ticketCount: Number(o.ticket_count),
    createdAt: iso(o.created_at),
  }));
}
