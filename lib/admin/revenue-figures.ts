import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import type { Event } from '@/db/schema';
import { rows } from '@/db/sql';
import { describeTax, type TaxMode } from '@/lib/pricing/price-order';
import type { MoneyParts, RevenueFigures } from './dashboard-types';

type Row = {
  sold_gross: number | string;
  sold_tax: number | string;
  refunded_gross: number | string;
  refunded_tax: number | string;
  paid: number;
  tickets: number;
  taxes: { mode: TaxMode; rateBp: number; label: string }[] | string | null;
};

/**
 * The tax refunded from one paid order `o`: the tax inside its succeeded refunds, never more than the order's tax (nor
 * than what was refunded), and all of it when the whole order went back.
 */
export const REFUNDED_TAX_OF_ORDER = sql`case when o.refunded_minor >= o.total_minor then o.tax_minor
  else least((select coalesce(sum(r.tax_minor), 0) from refunds r where r.order_id = o.id and r.status = 'succeeded'),
             o.tax_minor, o.refunded_minor) end`;

const parts = (grossMinor: number, taxMinor: number): MoneyParts => ({
  netMinor: grossMinor - taxMinor,
  taxMinor,
  grossMinor,
});

/**
 * An event's money split into net revenue, tax and gross (decision 046): what its paid orders were charged, what was
 * refunded, and what stays. Each order carries its own tax (stored per item, summed on the order, with the mode, rate
 * and label of the day); each refund the tax inside it (migration 0015). Per order, the tax refunded is never more
 * than the order's tax, and all of it when the whole order went back, so a refunded order nets to zero in every
 * column whatever the rounding of its partial refunds. Net is gross − tax everywhere, so the three always add up.
 * Only orders that were paid count (a failed checkout whose charge was returned at once was never revenue).
 */
export async function revenueFigures(db: Database, event: Pick<Event, 'id' | 'currency'>): Promise<RevenueFigures> {
  const [r] = await rows<Row>(
    db,
    sql`with paid as (
          select o.status, o.total_minor, o.tax_minor, o.tax_mode, o.tax_rate_bp, o.tax_label, o.refunded_minor,
                 ${REFUNDED_TAX_OF_ORDER} as refunded_tax
            from orders o
           where o.event_id = ${event.id} and o.paid_at is not null
        )
        select coalesce(sum(total_minor), 0)::bigint as sold_gross,
               coalesce(sum(tax_minor), 0)::bigint as sold_tax,
               coalesce(sum(refunded_minor), 0)::bigint as refunded_gross,
               coalesce(sum(refunded_tax), 0)::bigint as refunded_tax,
               count(*) filter (where status = 'paid')::int as paid,
               (select count(*) from tickets t where t.event_id = ${event.id} and t.status in ('valid', 'used'))::int as tickets,
               (select json_agg(distinct jsonb_build_object('mode', tax_mode, 'rateBp', tax_rate_bp, 'label', tax_label))
                  from paid where tax_mode <> 'none') as taxes
          from paid`,
  );
  const sold = parts(Number(r?.sold_gross ?? 0), Number(r?.sold_tax ?? 0));
  const refunded = parts(Number(r?.refunded_gross ?? 0), Number(r?.refunded_tax ?? 0));
  const taxes = (typeof r?.taxes === 'string' ? JSON.parse(r.taxes) : (r?.taxes ?? [])) as NonNullable<
    Exclude<Row['taxes'], string>
  >;
  return {
    currency: event.currency,
    taxes: taxes
      .map((t) => ({
        label: describeTax({ label: t.label, rateBp: t.rateBp }),
        mode: t.mode as 'inclusive' | 'exclusive',
      }))
      .sort((a, b) => a.label.localeCompare(b.label) || a.mode.localeCompare(b.mode)),
    sold,
    refunded,
    kept: parts(sold.grossMinor - refunded.grossMinor, sold.taxMinor - refunded.taxMinor),
    paidOrders: r?.paid ?? 0,
    ticketsSold: r?.tickets ?? 0,
  };
}
