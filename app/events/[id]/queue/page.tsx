import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { QueueRoom } from '@/components/queue/queue-room';
import { getDb } from '@/db/client';
import { requireViewerPage } from '@/lib/auth/page-guards';
import { getEventOrThrow, type EventWithVenue } from '@/lib/catalog/get-event-or-throw';
import type { QueueStatus } from '@/lib/contracts/queue';
import { isAppError } from '@/lib/errors';
import { formatEventDate, formatEventTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { queueDeps } from '@/lib/queue/deps';
import { getQueueStatus } from '@/lib/queue/get-queue-status';

type Props = { params: Promise<{ id: string }> };

async function load(id: string): Promise<EventWithVenue> {
  return loadOrNotFound(async () => getEventOrThrow(await getDb(), id));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const event = await load((await params).id);
  return { title: `Waiting room — ${event.name}`, robots: { index: false } };
}

/** The first render shows the place already held (a refresh keeps it); the live part joins and polls from there. */
async function initialStatus(eventId: string, accountId: string): Promise<QueueStatus | null> {
  try {
    const { status } = await getQueueStatus(await queueDeps(), {
      eventId,
      accountId,
      cookieHeader: (await headers()).get('cookie'),
    });
    return status;
  } catch (error) {
    // The coordinator is unreachable: render the page anyway; the client retries and says so.
    if (isAppError(error) && error.code === 'SERVICE_UNAVAILABLE') return null;
    throw error;
  }
}

export default async function QueuePage({ params }: Props) {
  const { id } = await params;
  const viewer = await requireViewerPage(`/events/${id}/queue`);
  const [event, locale] = await Promise.all([load(id), requestLocale()]);
  const initial = await initialStatus(event.id, viewer.id);
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-slate-600">
        <Link href="/events" className="hover:underline">
          Events
        </Link>{' '}
        /{' '}
        <Link href={`/events/${event.id}`} className="hover:underline">
          {event.name}
        </Link>{' '}
        / Waiting room
      </nav>
      <header className="mb-6">
        <h1 className="text-3xl font-bold tracking-tight">{event.name}</h1>
        <p className="mt-1 text-slate-700">
          {formatEventDate(event.startsAt, event.timezone, locale)},{' '}
          {formatEventTime(event.startsAt, event.timezone, locale)} · {event.venue.name}, {event.city}
        </p>
      </header>
      <QueueRoom eventId={event.id} initial={initial} timezone={event.timezone} locale={locale} />
    </div>
  );
}
