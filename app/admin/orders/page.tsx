import type { Metadata } from 'next';
import Link from 'next/link';
import { ColumnHeadings } from '@/components/admin/admin-table';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { OrderStatusBadge } from '@/components/checkout/order-status-badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { orderSearchQuerySchema, type DeskOrderRow } from '@/lib/admin/orders-desk-contract';
import { recentOrders, searchOrders } from '@/lib/admin/orders-desk';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { countOf, formatDateTime, formatEventDate, formatMoney } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Orders desk' };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

/** Find an order by reference, email or name; open it to refund, cancel or resend its confirmation. */
export default async function OrdersDeskPage({ searchParams }: Props) {
  await requireAdminPage('/admin/orders');
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  // An invalid search (a NUL or a line break, a single character) is answered with the form and its field error;
  // only a valid one reaches the database.
  const parsed = q ? orderSearchQuerySchema.safeParse({ q }) : null;
  const invalid = parsed && !parsed.success ? (parsed.error.issues[0]?.message ?? 'This search is not valid.') : null;
  const db = await getDb();
  const [results, locale] = await Promise.all([
    parsed?.success ? searchOrders(db, parsed.data) : q ? Promise.resolve(null) : recentOrders(db, 20),
    requestLocale(),
  ]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminBreadcrumbs trail={[{ label: 'Orders desk' }]} />
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Orders desk</h1>
      <p className="mt-1 text-slate-700">
        Find an order by its reference (AO-…), the buyer’s email or name. Open it to refund, cancel or resend the
        confirmation.
      </p>

      <form role="search" action="/admin/orders" method="get" className="mt-6 flex flex-col gap-2 sm:flex-row">
        <label htmlFor="order-search" className="sr-only">
          Reference, email or name
        </label>
        <input
          id="order-search"
          name="q"
          type="search"
          defaultValue={q}
          placeholder="AO-7KQ2-9XZD, jane@example.com or Jane Doe"
          className="min-h-11 flex-1 rounded-lg border border-slate-300 bg-white px-3 text-base"
          autoComplete="off"
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? 'order-search-error' : undefined}
        />
        <Button type="submit">Search</Button>
      </form>
      {invalid && (
        <p id="order-search-error" role="alert" className="mt-2 text-sm font-semibold text-red-800">
          {invalid.charAt(0).toUpperCase() + invalid.slice(1)}.
        </p>
      )}

      <section aria-labelledby="results-heading" className="mt-6">
        <h2 id="results-heading" className="text-lg font-bold">
          {q ? `Orders matching “${q}”` : 'Latest orders'}
        </h2>
        {results && results.length === 0 && (
          <EmptyState title={q ? 'No order matches.' : 'No orders yet.'} className="mt-3">
            {q
              ? 'Check the reference for typos, or search by part of the email address or the buyer’s name.'
              : 'Orders appear here as soon as buyers pay.'}
          </EmptyState>
        )}
        {results && results.length > 0 && <ResultsTable rows={results} locale={locale} />}
      </section>
    </div>
  );
}

function ResultsTable({ rows, locale }: { rows: DeskOrderRow[]; locale: string }) {
  return (
    <>
      <div className="mt-3 hidden overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200 md:block">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <ColumnHeadings
              columns={[
                { label: 'Reference' },
                { label: 'Buyer' },
                { label: 'Event' },
                { label: 'Status' },
                { label: 'Total', numeric: true },
                { label: 'Ordered' },
              ]}
            />
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id} className="border-t border-slate-100 hover:bg-slate-50">
                <td className="px-4 py-3 font-mono">
                  <Link href={`/admin/orders/${o.id}`} className="font-semibold text-brand-700 hover:underline">
                    {o.reference}
                  </Link>
                </td>
                <td className="px-4 py-3">
                  <span className="block font-medium">{o.buyerName}</span>
                  <span className="block text-slate-600">{o.email}</span>
                </td>
                <td className="px-4 py-3">
                  <span className="block">{o.eventName}</span>
                  <span className="block text-slate-600">
                    {formatEventDate(new Date(o.eventStartsAt), o.eventTimezone, locale)}
                  </span>
                </td>
                <td className="px-4 py-3">
                  <OrderStatusBadge status={o.status} refunded={o.refundedMinor > 0} />
                </td>
                <td className="px-4 py-3 text-right tabular-nums">
                  {formatMoney(o.totalMinor, o.currency, locale)}
                  <span className="block text-xs text-slate-600">{countOf(o.ticketCount, 'seat', 'seats')}</span>
                </td>
                <td className="px-4 py-3 text-slate-600">
                  {formatDateTime(new Date(o.createdAt), o.eventTimezone, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="mt-3 space-y-3 md:hidden">
        {rows.map((o) => (
          <li key={o.id} className="relative rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
            <div className="flex items-start justify-between gap-2">
              <Link
                href={`/admin/orders/${o.id}`}
                className="font-mono font-semibold text-brand-700 after:absolute after:inset-0"
              >
                {o.reference}
              </Link>
              <OrderStatusBadge status={o.status} refunded={o.refundedMinor > 0} />
            </div>
            <p className="mt-1 text-sm font-medium">{o.buyerName}</p>
            <p className="text-sm break-all text-slate-600">{o.email}</p>
            <p className="mt-1 text-sm">
              {o.eventName} · <span className="tabular-nums">{formatMoney(o.totalMinor, o.currency, locale)}</span>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
