import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { OrderDeskActions } from '@/components/admin/orders-desk/order-desk-actions';
import { OrderStatusBadge } from '@/components/checkout/order-status-badge';
import { getDb } from '@/db/client';
import { getDeskOrder } from '@/lib/admin/orders-desk';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { formatDateTime, formatMoney, seatPhrase } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { Card } from '@/components/admin/card';

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: 'Order · Orders desk' };

const TICKET_STATUS: Record<string, string> = { valid: 'Valid', used: 'Scanned at the door', void: 'Void' };
const VOID_REASON: Record<string, string> = {
  cancelled: 'order cancelled',
  transferred: 'transferred',
  event_cancelled: 'event cancelled',
};
const AUDIT_ACTION: Record<string, string> = {
  'order.refund_full': 'Refunded in full',
  'order.cancel': 'Cancelled under the refund policy',
  'order.cancel_for_event': 'Cancelled and refunded: event cancelled',
  'order.resend_confirmation': 'Confirmation resent',
};
const REFUND_REASON: Record<string, string> = {
  requested_by_customer: 'Cancellation under the policy',
  admin: 'Full refund by the orders desk',
  event_cancelled: 'Event cancelled',
  seats_lost: 'Seats lost after a late payment',
  duplicate: 'Duplicate payment',
};

/** One order for the desk: what was bought, tickets, money, emails, the audit trail, and the actions. */
export default async function DeskOrderPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireAdminPage(`/admin/orders/${id}`);
  const order = await loadOrNotFound(async () => getDeskOrder(await getDb(), id, viewer));
  const locale = await requestLocale();
  const money = (minor: number) => formatMoney(minor, order.currency, locale);
  const when = (iso: string) => formatDateTime(new Date(iso), order.eventTimezone, locale);

  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <AdminBreadcrumbs trail={[{ href: '/admin/orders', label: 'Orders desk' }, { label: order.reference }]} />
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="font-mono text-2xl font-bold tracking-tight sm:text-3xl">{order.reference}</h1>
        <OrderStatusBadge status={order.status} refunded={order.refundedMinor > 0} />
      </div>
      <p className="mt-1 text-slate-700">
        <Link href={`/admin/events/${order.eventId}`} className="font-semibold text-brand-700 hover:underline">
          {order.eventName}
        </Link>{' '}
        · {when(order.eventStartsAt)} · {order.venueName}
      </p>

      <Card title="Actions" className="mt-6">
        <OrderDeskActions
          orderId={order.id}
          reference={order.reference}
          email={order.buyer.email}
          currency={order.currency}
          fullRefundMinor={order.totalMinor - order.refundedMinor}
          refundable={order.refundable}
          cancellation={order.cancellation}
          paid={order.status === 'paid'}
          locale={locale}
        />
      </Card>

      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <Card title="Buyer">
          <p className="font-medium">{order.buyer.name}</p>
          <p className="break-all text-slate-700">{order.buyer.email}</p>
          <p className="mt-2 text-sm text-slate-600">Ordered {when(order.createdAt)}</p>
          {order.paidAt && <p className="text-sm text-slate-600">Paid {when(order.paidAt)}</p>}
          {order.cancelledAt && <p className="text-sm text-slate-600">Cancelled {when(order.cancelledAt)}</p>}
        </Card>
        <Card title="Money">
          <dl className="grid grid-cols-2 gap-y-1 text-sm tabular-nums">
            <dt className="text-slate-600">Tickets</dt>
            <dd className="text-right">{money(order.subtotalMinor)}</dd>
            <dt className="text-slate-600">Fees</dt>
            <dd className="text-right">{money(order.feesMinor)}</dd>
            <dt className="font-semibold">Total</dt>
            <dd className="text-right font-semibold">{money(order.totalMinor)}</dd>
            <dt className="text-slate-600">Refunded</dt>
            <dd className="text-right">{money(order.refundedMinor)}</dd>
          </dl>
          {order.refunds.length > 0 && (
            <ul className="mt-3 space-y-1 border-t border-slate-100 pt-3 text-sm">
              {order.refunds.map((r) => (
                <li key={r.id} className="flex justify-between gap-2">
                  <span>
                    {REFUND_REASON[r.reason] ?? r.reason} · {r.status === 'succeeded' ? 'paid out' : r.status}
                  </span>
                  <span className="tabular-nums">{money(r.amountMinor)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card title={`Seats and tickets (${order.items.length})`} className="mt-6">
        <ul className="divide-y divide-slate-100 text-sm">
          {order.items.map((item) => {
            const ticketsForSeat = order.tickets.filter(
              (t) =>
                t.sectionLabel === item.sectionLabel && t.rowLabel === item.rowLabel && t.seatLabel === item.seatLabel,
            );
            return (
              <li key={item.eventSeatId} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {seatPhrase(item)} · {item.tierName}
                </span>
                <span className="flex flex-wrap items-center gap-2">
                  {ticketsForSeat.map((t) => (
                    <span
                      key={t.id}
                      className={`rounded-full px-2 py-0.5 text-xs font-semibold ${t.status === 'void' ? 'bg-slate-200 text-slate-800' : 'bg-emerald-100 text-emerald-900'}`}
                    >
                      {TICKET_STATUS[t.status]}
                      {t.voidReason ? ` (${VOID_REASON[t.voidReason]})` : ''}
                    </span>
                  ))}
                  <span className="tabular-nums">{money(item.priceMinor + item.feeMinor)}</span>
                </span>
              </li>
            );
          })}
        </ul>
      </Card>

      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <Card title="Emails">
          {order.emails.length === 0 ? (
            <p className="text-sm text-slate-600">No emails for this order.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {order.emails.map((e) => (
                <li key={e.id}>
                  <p className="font-medium">{e.subject}</p>
                  <p className="text-slate-600">
                    to {e.toEmail} · {e.sentAt ? `sent ${when(e.sentAt)}` : 'waiting in the outbox'}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Audit trail">
          {order.audit.length === 0 ? (
            <p className="text-sm text-slate-600">No organizer has changed this order.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {order.audit.map((a) => (
                <li key={a.id}>
                  <p className="font-medium">{AUDIT_ACTION[a.action] ?? a.action}</p>
                  <p className="text-slate-600">
                    {a.actorEmail ?? 'system'} · {when(a.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </div>
  );
}
