import type { Metadata } from 'next';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { DiscountCodeToggle, NewDiscountCodeForm } from '@/components/admin/discount-codes';
import { getDb } from '@/db/client';
import { listDiscountCodes } from '@/lib/admin/discount-codes';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { formatDateTime, formatMoney } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { describeDiscount } from '@/lib/pricing/amount-lines';

export const metadata: Metadata = { title: 'Discount codes' };

/** The organizer's discount codes for one event: create, see their uses, withdraw (decision 040). */
export default async function DiscountCodesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}/codes`);
  const db = await getDb();
  const { event } = await loadOrNotFound(async () => getEventForEdit(db, id));
  const codes = await listDiscountCodes(db, event.id);
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso), event.timezone) : '—');
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminBreadcrumbs
        trail={[
          { href: '/admin/events', label: 'Events' },
          { href: `/admin/events/${event.id}/edit`, label: event.name },
          { label: 'Discount codes' },
        ]}
      />
      <h1 className="mt-3 text-3xl font-bold tracking-tight">Discount codes</h1>
      <p className="mt-1 max-w-3xl text-slate-700">
        Buyers type a code at checkout. It comes off the ticket prices before tax, and each use is counted with the
        order, so a limit is never overrun; a cancelled or failed order gives its use back. A code’s terms do not change
        once made: withdraw it and make another.
      </p>
      {event.status !== 'cancelled' && (
        <div className="mt-6">
          <NewDiscountCodeForm eventId={event.id} currency={event.currency} />
        </div>
      )}
      <section aria-labelledby="codes-heading" className="mt-8">
        <h2 id="codes-heading" className="text-xl font-bold">
          Codes of this event
        </h2>
        {codes.length === 0 ? (
          <p className="mt-2 text-slate-700">No codes yet.</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    Code
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Discount
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Uses
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Per account
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Valid
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Paid orders
                  </th>
                  <th scope="col" className="px-3 py-2 text-right">
                    Given
                  </th>
                  <th scope="col" className="px-3 py-2">
                    State
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {codes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="px-3 py-2 font-mono font-semibold">
                      {c.code}
                    </th>
                    <td className="px-3 py-2">{describeDiscount(c, (m) => formatMoney(m, event.currency))}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {c.usesCount}
                      {c.maxUses !== null ? ` of ${c.maxUses}` : ''}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{c.perAccountLimit ?? '—'}</td>
                    <td className="px-3 py-2">
                      {c.validFrom || c.validUntil ? `${when(c.validFrom)} – ${when(c.validUntil)}` : 'Always'}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{c.paidOrders}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {formatMoney(c.discountedMinor, event.currency)}
                    </td>
                    <td className="px-3 py-2">
                      <span className="mr-2">{c.active ? 'Active' : 'Withdrawn'}</span>
                      <DiscountCodeToggle eventId={event.id} code={c} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
