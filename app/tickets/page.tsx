import type { Metadata } from 'next';
import Link from 'next/link';
import { OfflineTicketSaver } from '@/components/tickets/offline-ticket-saver';
import { TransfersWaiting } from '@/components/tickets/transfers-waiting';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { formatDateTime, seatPhrase } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';
import { listTransfersToViewer } from '@/lib/tickets/list-pending-transfers';
import { listTicketsForViewer } from '@/lib/tickets/list-tickets-for-viewer';

export const metadata: Metadata = { title: 'Tickets' };

/** Every live ticket the viewer holds (bought or received), soonest event first. */
export default async function TicketsPage() {
  const viewer = await requireViewerPage('/tickets');
  const db = await getDb();
  const [tickets, waiting, locale] = await Promise.all([
    listTicketsForViewer(db, viewer.id),
    listTransfersToViewer(db, viewer),
    requestLocale(),
  ]);
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">Tickets</h1>
      <p className="mt-1 text-slate-700">
        Every ticket you hold. Orders and refunds are under{' '}
        <Link href="/orders" className="font-semibold text-brand-700 hover:underline">
          My tickets
        </Link>
        .
      </p>
      <TransfersWaiting transfers={waiting} locale={locale} />
      {tickets.length === 0 ? (
        <EmptyState
          title="No tickets yet."
          actions={<ButtonLink href="/events">Find an event</ButtonLink>}
          className="mt-6"
        />
      ) : (
        <ul className="mt-6 grid gap-3 sm:grid-cols-2">
          {tickets.map((t) => (
            <li
              key={t.id}
              className="relative rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600"
            >
              <p className="font-semibold">
                <Link href={`/tickets/${t.id}`} className="after:absolute after:inset-0">
                  {t.eventName}
                </Link>
              </p>
              <p className="text-sm text-slate-600">{formatDateTime(t.eventStartsAt, t.eventTimezone, locale)}</p>
              <p className="mt-1 text-sm">
                {seatPhrase(t)}
                {t.transferred ? (
                  <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs">sent to you</span>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      )}
      {tickets.length > 0 && (
        <div className="mt-4">
          <OfflineTicketSaver what="list" />
        </div>
      )}
    </div>
  );
}
