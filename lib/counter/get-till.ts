import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import type { CounterMethod, Till, TillQuery, TillRow, TillSale } from '@/lib/contracts/counter';
import { localDate } from './local-date';

/**
 * GET /api/counter/till: one day's takings at the counter, per staff member, payment method and currency, as a box
 * office closes its till: sales are counter payments taken that day (by who took them), voids the money handed back
 * that day (by who handed it back; a sale whose seats were lost counts against who took it), net what the drawer or
 * the terminal should show. The day runs midnight to midnight in `tz` (the counter page sends the browser's zone).
 * Also lists the day's sales, newest first, for voiding.
 */
export async function getTill(db: Database, query: TillQuery, now = new Date()): Promise<Till> {
  const timeZone = query.tz ?? 'UTC';
  const date = query.date ?? localDate(now, timeZone);
  // The day's bounds as instants, so the indexes on (taken_by, created_at) and (paid_out_by, created_at) serve.
  const from = sql`(${date}::date::timestamp at time zone ${timeZone})`;
  const to = sql`((${date}::date + 1)::timestamp at time zone ${timeZone})`;
  const totals = await rows<{
    staff_id: string;
    staff_name: string;
    staff_email: string;
    method: CounterMethod;
    currency: string;
    sales: number | string;
    sales_minor: number | string;
    voids: number | string;
    voids_minor: number | string;
  }>(
    db,
    sql`with sales as (
          select p.taken_by as staff, p.payment_method as method, p.currency, count(*) as n, sum(p.amount_minor) as minor
            from payments p
           where p.taken_by is not null and p.status = 'succeeded' and p.created_at >= ${from} and p.created_at < ${to}
           group by 1, 2, 3
        ), voids as (
          select coalesce(r.paid_out_by, p.taken_by) as staff, p.payment_method as method, p.currency, count(*) as n, sum(r.amount_minor) as minor
            from refunds r join payments p on p.id = r.payment_id
           where p.taken_by is not null and r.status = 'succeeded' and r.updated_at >= ${from} and r.updated_at < ${to}
           group by 1, 2, 3
        )
        select u.id as staff_id, u.name as staff_name, u.email as staff_email, k.method, k.currency,
               coalesce(s.n, 0) as sales, coalesce(s.minor, 0) as sales_minor, coalesce(v.n, 0) as voids, coalesce(v.minor, 0) as voids_minor
          from (select staff, method, currency from sales union select staff, method, currency from voids) k
          join users u on u.id = k.staff
          left join sales s on s.staff = k.staff and s.method = k.method and s.currency = k.currency
          left join voids v on v.staff = k.staff and v.method = k.method and v.currency = k.currency
         order by lower(u.name), u.id, k.method, k.currency`,
  );
  const sales = await rows<{
    order_id: string;
    reference: string;
    event_name: string;
    staff_name: string;
    method: CounterMethod;
    total_minor: number | string;
    currency: string;
    seats: number | string;
    paid_at: Date | string;
    status: TillSale['status'];
    timezone: string;
  }>(
    db,
    sql`select o.id as order_id, o.reference, e.name as event_name, u.name as staff_name, p.payment_method as method,
               o.total_minor, o.currency, (select count(*) from order_items i where i.order_id = o.id) as seats,
               p.created_at as paid_at, o.status, e.timezone
          from payments p join orders o on o.id = p.order_id join events e on e.id = o.event_id join users u on u.id = p.taken_by
         where p.taken_by is not null and p.status = 'succeeded' and p.created_at >= ${from} and p.created_at < ${to}
         order by p.created_at desc
         limit 500`,
  );
  return {
    date,
    timeZone,
    rows: totals.map((r): TillRow => ({
      staffId: r.staff_id,
      staffName: r.staff_name,
      staffEmail: r.staff_email,
      method: r.method,
      currency: r.currency,
      sales: Number(r.sales),
      salesMinor: Number(r.sales_minor),
      voids: Number(r.voids),
      voidsMinor: Number(r.voids_minor),
      netMinor: Number(r.sales_minor) - Number(r.voids_minor),
    })),
    sales: sales.map((s): TillSale => {
      const paidAt = new Date(s.paid_at);
      return {
        orderId: s.order_id,
        reference: s.reference,
        eventName: s.event_name,
        staffName: s.staff_name,
        method: s.method,
        totalMinor: Number(s.total_minor),
        currency: s.currency,
        seats: Number(s.seats),
        paidAt: paidAt.toISOString(),
        status: s.status,
        voidable: s.status === 'paid' && localDate(paidAt, s.timezone) === localDate(now, s.timezone),
      };
    }),
  };
}
