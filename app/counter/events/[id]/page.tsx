import type { Metadata } from 'next';
import Link from 'next/link';
import { preload } from 'react-dom';
import { CounterSale } from '@/components/counter/counter-sale';
import { getDb } from '@/db/client';
import { requireStaffPage } from '@/lib/auth/page-guards';
import { getEventOrThrow } from '@/lib/catalog/get-event-or-throw';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Sell seats' };

type Props = { params: Promise<{ id: string }> };

/** One event at the counter: the live seat map, the hold, the payment. */
export default async function CounterEventPage({ params }: Props) {
  const { id } = await params;
  await requireStaffPage('box_office', `/counter/events/${id}`);
  const [event, locale] = await Promise.all([
    loadOrNotFound(async () => getEventOrThrow(await getDb(), id)),
    requestLocale(),
  ]);
  // The counter sells every tier, hidden ones too: the staff layout, not the public one.
  preload(`/api/events/${event.id}/layout/unlocked`, { as: 'fetch', crossOrigin: 'anonymous' });
  return (
    <div className="mx-auto max-w-7xl px-4 py-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/counter" className="hover:underline">
          ← All events
        </Link>
      </nav>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">{event.name}</h1>
      <p className="mt-1 text-slate-700">
        {event.venue.name} ·{' '}
        <time dateTime={event.startsAt.toISOString()}>{formatDateTime(event.startsAt, event.timezone, locale)}</time>
      </p>
      <div className="mt-5">
        {event.status === 'published' ? (
          <CounterSale
            eventId={event.id}
            venueName={event.venue.name}
            currency={event.currency}
            feePerTicketMinor={event.feePerTicketMinor}
            perOrderLimit={event.perOrderLimit}
            locale={locale}
          />
        ) : (
          <p role="status" className="rounded-lg bg-slate-100 p-4">
            This event is {event.status}; nothing can be sold.
          </p>
        )}
      </div>
    </div>
  );
}
