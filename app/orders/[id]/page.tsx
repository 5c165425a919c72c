import type { Metadata } from 'next';
import Link from 'next/link';
import { CancelOrderButton } from '@/components/checkout/cancel-order-button';
import { OrderStatusBadge } from '@/components/checkout/order-status-badge';
import { RefreshWhilePending } from '@/components/checkout/refresh-while-pending';
import { Panel } from '@/components/ui/panel';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { getOrderForViewer } from '@/lib/checkout/get-order-for-viewer';
import { countOf, formatDateTime, formatMoney, paymentMethodPhrase, seatPhrase } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { amountLines } from '@/lib/pricing/amount-lines';
import { requestLocale } from '@/lib/locale.server';
import { cancelOrderAction } from './actions';

export const metadata: Metadata = { title: 'Order' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ placed?: string }> };

const REFUND_REASON: Record<string, string> = {
  requested_by_customer: 'You cancelled',
  seats_lost: 'Seats taken before your payment arrived',
  event_cancelled: 'Event cancelled',
  duplicate: 'Duplicate payment',
  admin: 'Refunded by the organizer',
};

/** Who ended the order, as the buyer reads it: an organizer's refund is not something the buyer did. */
const CANCELLED_BY = {
  buyer: 'You cancelled this order',
  organizer: 'The organizer cancelled this order and refunded it',
  event: 'The organizer cancelled the event, so this order was cancelled and refunded',
} as const;

export default async function OrderPage({ params, searchParams }: Props) {
  const { id } = await params;
  const viewer = await requireViewerPage(`/orders/${id}`);
  const order = await loadOrNotFound(async () => getOrderForViewer(await getDb(), id, viewer));
  const locale = await requestLocale();
  const placed = (await searchParams).placed === '1' && order.status === 'paid';
  const money = (minor: number) => formatMoney(minor, order.currency, locale);
  const bill = amountLines(order);
  const transferredAway = order.tickets.filter((t) => t.voidReason === 'transferred').length;
  const live = order.tickets.filter((t) => t.status !== 'void');
  const paidWith = order.paidWith ? paymentMethodPhrase(order.paidWith) : null;

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      {order.status === 'pending' && <RefreshWhilePending />}
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-slate-600">
        <Link href="/orders" className="hover:underline">
          My tickets
        </Link>{' '}
        / Order {order.reference}
      </nav>

      {placed && (
        <div role="status" className="mb-6 rounded-xl bg-emerald-50 p-4 text-emerald-900 ring-1 ring-emerald-200">
          <p className="font-bold">Payment received. Your tickets are ready.</p>
          <p className="mt-1 text-sm">
            We emailed a confirmation to you. Open each ticket once now, so it works at the door without a signal.
          </p>
        </div>
      )}

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{order.eventName}</h1>
          <p className="mt-1 text-slate-700">
            <time dateTime={order.eventStartsAt}>
              {formatDateTime(new Date(order.eventStartsAt), order.eventTimezone, locale)}
            </time>{' '}
            · {order.venueName}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            Order <span className="font-mono">{order.reference}</span> · placed{' '}
            <time dateTime={order.createdAt}>
              {formatDateTime(new Date(order.createdAt), order.eventTimezone, locale)}
            </time>
          </p>
        </div>
        <OrderStatusBadge status={order.status} refunded={order.refundedMinor > 0} />
      </div>

      {order.status === 'pending' && (
        <p role="status" className="mt-6 rounded-xl bg-amber-50 p-4 text-amber-950 ring-1 ring-amber-200">
          Your bank is still confirming this payment. This page updates by itself.
        </p>
      )}
      {order.status === 'failed' && (
        <div role="status" className="mt-6 rounded-xl bg-amber-50 p-4 text-amber-950 ring-1 ring-amber-200">
          <p className="font-semibold">This order could not be completed.</p>
          <p className="mt-1 text-sm">{order.failureMessage}</p>
          {order.refunds.length > 0 && (
            <p className="mt-1 text-sm">
              {money(order.refunds.reduce((n, r) => n + r.amountMinor, 0))}{' '}
              {order.refunds.every((r) => r.status === 'succeeded') ? 'was refunded' : 'is being refunded'} to your
              card; banks usually show it within 5 to 10 business days.{' '}
              <Link href={`/events/${order.eventId}`} className="font-semibold underline">
                Choose other seats
              </Link>
            </p>
          )}
        </div>
      )}
      {(order.status === 'cancelled' || order.status === 'refunded') && (
        <p role="status" className="mt-6 rounded-xl bg-slate-100 p-4 text-slate-800">
          {CANCELLED_BY[order.cancelledBy ?? 'buyer']}
          {order.cancelledAt ? ` on ${formatDateTime(new Date(order.cancelledAt), order.eventTimezone, locale)}` : ''}.
          Its tickets no longer work.
          {order.refundedMinor > 0
            ? ` ${money(order.refundedMinor)} was refunded to your card.`
            : order.refunds.some((r) => r.status === 'pending')
              ? ' Your refund is on its way.'
              : ''}
        </p>
      )}

      {live.length > 0 && (
        <section aria-labelledby="tickets-heading" className="mt-8">
          <h2 id="tickets-heading" className="text-xl font-bold">
            Tickets
          </h2>
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {live.map((t) => (
              <li
                key={t.id}
                className="flex items-center justify-between gap-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
              >
                <div>
                  <p className="font-semibold">{seatPhrase(t)}</p>
                  <p className="text-sm text-slate-600">{t.tierName}</p>
                </div>
                <Link
                  href={`/tickets/${t.id}`}
                  className="inline-flex min-h-11 shrink-0 items-center whitespace-nowrap rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700"
                >
                  Show ticket
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {order.tickets.some((t) => t.voidReason === 'transferred') && (
        <p className="mt-3 text-sm text-slate-600">
          {transferredAway === 1
            ? 'A ticket of this order was transferred to someone else and is now theirs.'
            : `${countOf(transferredAway, 'ticket', 'tickets', locale)} of this order were transferred to someone else and are now theirs.`}
        </p>
      )}

      <Panel title="Payment" className="mt-8">
        <table className="mt-3 w-full text-left text-sm">
          <caption className="sr-only">Seats and prices</caption>
          <thead className="text-slate-600">
            <tr>
              {['Seat', 'Tier', 'Price'].map((label) => (
                <th key={label} scope="col" className={`py-1 font-medium ${label === 'Price' ? 'text-right' : ''}`}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {order.items.map((i) => (
              <tr key={i.eventSeatId} className="border-t border-slate-100">
                <td className="py-1.5">{seatPhrase(i)}</td>
                <td className="py-1.5">{i.tierName}</td>
                <td className="py-1.5 text-right tabular-nums">{money(i.priceMinor)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {bill.lines
              .filter((l) => l.key === 'discount')
              .map((l) => (
                <SumRow key={l.key} label={l.label} amount={`−${money(-l.minor)}`} />
              ))}
            <SumRow label="Fees" amount={money(order.feesMinor)} />
            {bill.lines
              .filter((l) => l.key === 'tax')
              .map((l) => (
                <SumRow key={l.key} label={l.label} amount={money(l.minor)} />
              ))}
            <SumRow label="Total" amount={money(order.totalMinor)} bold />
            {bill.included && <SumRow label={bill.included.label} amount={money(bill.included.minor)} />}
            {order.refunds.map((r) => (
              <tr key={r.id} className="text-slate-700">
                <th scope="row" colSpan={2} className="py-1 font-normal">
                  Refund:{' '}
                  {r.reason === 'requested_by_customer' && order.cancelledBy === 'organizer'
                    ? 'Cancelled by the organizer'
                    : (REFUND_REASON[r.reason] ?? r.reason)}{' '}
                  ({r.status === 'succeeded' ? 'done' : r.status === 'pending' ? 'on its way' : 'failed: contact us'})
                </th>
                <td className="py-1 text-right tabular-nums">
                  −{money(r.amountMinor)}
                  {r.taxMinor > 0 && (
                    <span className="block text-xs text-slate-600">
                      incl. {money(r.taxMinor)} {order.taxLabel || 'tax'}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tfoot>
        </table>
        {paidWith && (
          <p className="mt-3 text-sm text-slate-700">
            Paid with {paidWith.name}
            {paidWith.last4 && (
              <>
                {' '}
                <span aria-hidden>••••</span>
                <span className="sr-only">card ending in</span> {paidWith.last4}
              </>
            )}
          </p>
        )}
      </Panel>

      {order.cancellation && (
        <Panel title="Can’t make it?" className="mt-8">
          <p className="mt-1 text-sm text-slate-700">
            Cancel now and get {money(order.cancellation.refundMinor)} back
            {order.cancellation.percent < 100 ? ` (${order.cancellation.percent}%)` : ' in full'}. Or transfer a ticket
            to a friend from its page.
          </p>
          <div className="mt-3">
            <CancelOrderButton
              orderId={order.id}
              refundLabel={money(order.cancellation.refundMinor)}
              percent={order.cancellation.percent}
              ticketCount={live.length}
              cancel={cancelOrderAction}
            />
          </div>
        </Panel>
      )}
    </div>
  );
}

/** A row of the payment table's foot: its label across the seat and tier columns, the amount under the prices. */
function SumRow({ label, amount, bold = false }: { label: string; amount: string; bold?: boolean }) {
  return (
    <tr className={`border-t border-slate-200 ${bold ? 'font-bold' : ''}`}>
      <th scope="row" colSpan={2} className={`py-1.5 ${bold ? '' : 'font-normal'}`}>
        {label}
      </th>
      <td className="py-1.5 text-right tabular-nums">{amount}</td>
    </tr>
  );
}
