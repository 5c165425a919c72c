import type { Metadata } from 'next';
import { VoidSaleButton } from '@/components/counter/void-sale-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireStaffPage } from '@/lib/auth/page-guards';
import { COUNTER_METHOD_LABELS, tillQuerySchema } from '@/lib/contracts/counter';
import { getTill } from '@/lib/counter/get-till';
import { listCounterEvents } from '@/lib/counter/list-counter-events';
import { formatDateTime, formatMoney } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Till' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The day's takings per staff member and payment method, as a box office closes its till (today by default, in the
 * venue's time zone: the zone of the next event on sale, else UTC), with the CSV export and the day's sales to void.
 */
export default async function TillPage({ searchParams }: Props) {
  await requireStaffPage('box_office', '/counter/till');
  const raw = await searchParams;
  const db = await getDb();
  const fallbackZone = (await listCounterEvents(db))[0]?.timezone ?? 'UTC';
  const parsed = tillQuerySchema.safeParse({
    ...(typeof raw.date === 'string' && raw.date ? { date: raw.date } : {}),
    tz: typeof raw.tz === 'string' && raw.tz ? raw.tz : fallbackZone,
  });
  const query = parsed.success ? parsed.data : { tz: fallbackZone };
  const [till, locale] = await Promise.all([getTill(db, query), requestLocale()]);
  const exportHref = `/api/counter/till/export?${new URLSearchParams({ date: till.date, tz: till.timeZone })}`;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  const totals = new Map<string, { method: string; currency: string; net: number }>();
  for (const r of till.rows) {
    const key = `${r.method}/${r.currency}`;
    const t = totals.get(key) ?? { method: r.method, currency: r.currency, net: 0 };
    t.net += r.netMinor;
    totals.set(key, t);
  }

  return (
    <div className="mx-auto max-w-5xl space-y-5 px-4 py-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Till</h1>
          <p className="mt-1 text-slate-700">
            Takings of {till.date} ({till.timeZone}) per staff member and payment method.
          </p>
        </div>
        <form method="get" className="flex flex-wrap items-end gap-2">
          <label className="text-sm font-semibold">
            Day
            <input
              type="date"
              name="date"
              defaultValue={till.date}
              className="mt-1 block rounded-lg px-3 py-2 font-normal ring-1 ring-slate-300"
            />
          </label>
          <input type="hidden" name="tz" value={till.timeZone} />
          <button type="submit" className="rounded-lg px-4 py-2 font-semibold ring-1 ring-slate-300 hover:bg-slate-100">
            Show
          </button>
          <a
            href={exportHref}
            download
            className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
          >
            Export CSV
          </a>
        </form>
      </div>
      {!parsed.success && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
          That day or time zone could not be read; showing today.
        </p>
      )}

      {till.rows.length ? (
        <Panel title="Takings">
          <div className="mt-3 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-slate-600">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    Staff
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Method
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    Sales
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    Voids
                  </th>
                  <th scope="col" className="py-2 text-right">
                    Net
                  </th>
                </tr>
              </thead>
              <tbody>
                {till.rows.map((r) => (
                  <tr key={`${r.staffId}/${r.method}/${r.currency}`} className="border-t border-slate-200">
                    <th scope="row" className="py-2 pr-3 font-medium">
                      {r.staffName}
                    </th>
                    <td className="py-2 pr-3">{COUNTER_METHOD_LABELS[r.method]}</td>
                    <td className="py-2 pr-3 text-right">
                      {r.sales} · {money(r.salesMinor, r.currency)}
                    </td>
                    <td className="py-2 pr-3 text-right">
                      {r.voids} · {money(r.voidsMinor, r.currency)}
                    </td>
                    <td className="py-2 text-right font-semibold">{money(r.netMinor, r.currency)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                {[...totals.values()].map((t) => (
                  <tr key={`${t.method}/${t.currency}`} className="border-t-2 border-slate-300">
                    <th scope="row" colSpan={4} className="py-2 pr-3 text-right">
                      Total {COUNTER_METHOD_LABELS[t.method as keyof typeof COUNTER_METHOD_LABELS]}
                    </th>
                    <td className="py-2 text-right font-bold">{money(t.net, t.currency)}</td>
                  </tr>
                ))}
              </tfoot>
            </table>
          </div>
        </Panel>
      ) : (
        <EmptyState title="No counter sales on this day">
          Sales made at the counter appear here with their takings.
        </EmptyState>
      )}

      {till.sales.length > 0 && (
        <Panel title="Sales">
          <ul className="mt-3 divide-y divide-slate-200">
            {till.sales.map((s) => (
              <li key={s.orderId} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
                <span>
                  <span className="font-mono font-semibold">{s.reference}</span> · {s.eventName} · {s.seats}{' '}
                  {s.seats === 1 ? 'seat' : 'seats'} · {COUNTER_METHOD_LABELS[s.method]} · {s.staffName} ·{' '}
                  <time dateTime={s.paidAt}>{formatDateTime(new Date(s.paidAt), till.timeZone, locale)}</time>
                </span>
                <span className="flex items-center gap-3">
                  <span className={s.status === 'paid' ? 'font-semibold' : 'text-slate-500 line-through'}>
                    {money(s.totalMinor, s.currency)}
                  </span>
                  {s.status !== 'paid' && <span className="text-slate-600">voided</span>}
                  {s.voidable && (
                    <VoidSaleButton
                      orderId={s.orderId}
                      reference={s.reference}
                      amount={money(s.totalMinor, s.currency)}
                    />
                  )}
                </span>
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </div>
  );
}
