import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { OrderStatusBadge } from '@/components/checkout/order-status-badge';
import { ResumeHold } from '@/components/checkout/resume-hold';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { listOrdersForViewer } from '@/lib/checkout/list-orders-for-viewer';
import { listActiveHolds } from '@/lib/inventory';
import { listOpenOffers } from '@/lib/waitlist/list-open-offers';
import { countOf, formatDateTime, formatEventDate, formatMoney, noun, seatPhrase } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';
import { listTicketsForViewer } from '@/lib/tickets/list-tickets-for-viewer';

export const metadata: Metadata = { title: 'My tickets' };

export default async function OrdersPage() {
  const viewer = await requireViewerPage('/orders');
  const db = await getDb();
  const [orders, held, locale, holds, offers] = await Promise.all([
    listOrdersForViewer(db, viewer.id, { limit: 100 }),
    listTicketsForViewer(db, viewer.id),
    requestLocale(),
    listActiveHolds(db, viewer.id, new Date()),
    listOpenOffers(db, viewer.id, new Date()),
  ]);
  const received = held.filter((t) => t.transferred);

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">My tickets</h1>
      <p className="mt-1 text-slate-700">
        Your orders, newest first. Open a ticket once before you go: it then works without a signal.
      </p>

      {holds.length > 0 && (
        // Seats held on this account, wherever they were picked: go on to pay here, or give them back (issue 16).
        <ListSection id="held-seats" title="Seats held for you">
          <p className="mt-1 text-sm text-slate-700">
            Picked in another tab or on another device? Pay for them here, or release them for other fans.
          </p>
          {offers.map((o) => (
            <p key={o.holdId} className="mt-2 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-900" role="status">
              <strong>From the waitlist:</strong> {countOf(o.seatCount, 'seat', 'seats', locale)} for {o.eventName} came
              free and {o.seatCount === 1 ? 'is' : 'are'} held for you.{' '}
              <a href={`/events/${o.eventId}#waitlist`} className="font-semibold underline">
                See the offer
              </a>
            </p>
          ))}
          <ul className="mt-3 space-y-3">
            {holds.map((h) => (
              <li key={h.id}>
                <ResumeHold hold={h} />
              </li>
            ))}
          </ul>
        </ListSection>
      )}

      {received.length > 0 && (
        <ListSection id="received-heading" title="Tickets sent to you">
          <ul className="mt-3 grid gap-3 sm:grid-cols-2">
            {received.map((t) => (
              <li key={t.id} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
                <p className="font-semibold">{t.eventName}</p>
                <p className="text-sm text-slate-600">
                  {formatDateTime(t.eventStartsAt, t.eventTimezone, locale)} · {seatPhrase(t)}
                </p>
                <Link
                  href={`/tickets/${t.id}`}
                  className="mt-2 inline-block text-sm font-semibold text-brand-700 hover:underline"
                >
                  Show ticket
                </Link>
              </li>
            ))}
          </ul>
        </ListSection>
      )}

      <ListSection id="orders-heading" title="Orders">
        {orders.length === 0 ? (
          <EmptyState
            title="No orders yet."
            actions={<ButtonLink href="/events">Find an event</ButtonLink>}
            className="mt-3"
          >
            When you buy tickets they show up here, with the QR codes for the door.
          </EmptyState>
        ) : (
          <ul className="mt-3 space-y-3">
            {orders.map((o) => (
              <li
                key={o.id}
                className="relative rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600"
              >
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div>
                    <h3 className="font-semibold">
                      <Link href={`/orders/${o.id}`} className="after:absolute after:inset-0">
                        {o.eventName}
                      </Link>
                    </h3>
                    <p className="text-sm text-slate-600">
                      <time dateTime={o.eventStartsAt}>
                        {formatEventDate(new Date(o.eventStartsAt), o.eventTimezone, locale)}
                      </time>{' '}
                      · {o.ticketCount} {noun(o.ticketCount, 'seat', 'seats', locale)} ·{' '}
                      <span className="font-mono">{o.reference}</span>
                    </p>
                  </div>
                  <div className="sm:text-right">
                    <OrderStatusBadge status={o.status} refunded={o.refundedMinor > 0} />
                    <p className="mt-1 font-semibold tabular-nums">{formatMoney(o.totalMinor, o.currency, locale)}</p>
                    {o.refundedMinor > 0 && (
                      <p className="text-xs text-slate-600">
                        {formatMoney(o.refundedMinor, o.currency, locale)} refunded
                      </p>
                    )}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </ListSection>
    </div>
  );
}

/** One list of the page under its heading, as a region named by it. */
function ListSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-8">
      <h2 id={id} className="text-xl font-bold">
        {title}
      </h2>
      {children}
    </section>
  );
}
