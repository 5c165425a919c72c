import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { preload } from 'react-dom';
import { SeatPicker } from '@/components/seat-map/seat-picker';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { getEventOrThrow, type EventWithVenue } from '@/lib/catalog/get-event-or-throw';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { activeHoldOf } from '@/lib/inventory';
import { formatDateTime } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';
import { carriedAdmission } from '@/lib/queue/admission';

type Props = { params: Promise<{ id: string }> };

async function load(id: string): Promise<EventWithVenue> {
  return loadOrNotFound(async () => getEventOrThrow(await getDb(), id));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const event = await load((await params).id);
  return { title: `Choose seats — ${event.name}` };
}

export default async function SeatsPage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireViewerPage(`/events/${id}/seats`);
  const db = await getDb();
  const now = new Date();
  const [event, locale, activeHold, admission] = await Promise.all([
    load(id),
    requestLocale(),
    activeHoldOf(db, id, viewer.id, now),
    // The gate let this page through on an admission: when its shopping window ends, the page warns ahead of time.
    headers().then((h) => carriedAdmission(h.get('cookie'), id.toLowerCase(), viewer.id, now.getTime())),
  ]);
  // Before the general on-sale, an admission from a presale's line (it ends with the presale) opens the map too.
  const onSale =
    event.status === 'published' && (event.onSaleAt <= now || Boolean(admission?.ul?.p)) && event.startsAt > now;
  // A presale code that unlocks hidden tiers (the admission carries them): the map asks for the layout with those
  // tiers, which only this buyer's request gets; everyone else gets the public one, cached for a day.
  const layoutScope = admission?.ul?.t?.length ? 'unlocked' : 'public';
  // Start downloading the (large, immutable) layout while the page's scripts load; the map's fetch reuses it.
  preload(`/api/events/${event.id}/layout${layoutScope === 'unlocked' ? '/unlocked' : ''}`, {
    as: 'fetch',
    crossOrigin: 'anonymous',
  });
  return (
    <div className="mx-auto max-w-7xl px-4 py-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/events/${event.id}`} className="hover:underline">
          ← {event.name}
        </Link>
      </nav>
      <h1 className="mt-2 text-2xl font-bold tracking-tight sm:text-3xl">Choose your seats</h1>
      <p className="mt-1 text-slate-700">
        {event.name} · {event.venue.name}, {event.city} ·{' '}
        <time dateTime={event.startsAt.toISOString()}>{formatDateTime(event.startsAt, event.timezone, locale)}</time>
      </p>
      <div className="mt-5">
        <SeatPicker
          eventId={event.id}
          venueName={event.venue.name}
          perOrderLimit={event.perOrderLimit}
          holdMinutes={event.holdMinutes}
          onSale={onSale}
          locale={locale}
          activeHold={activeHold}
          layoutScope={layoutScope}
          shoppingWindow={
            admission ? { endsAt: new Date(admission.exp * 1000).toISOString(), serverTime: now.toISOString() } : null
          }
        />
      </div>
    </div>
  );
}
