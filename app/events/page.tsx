import { connection } from 'next/server';
import { EventCard } from '@/components/event-card';
import { getDb } from '@/db/client';
import { listUpcomingEvents } from '@/lib/catalog/list-upcoming-events';
import { requestLocale } from '@/lib/locale.server';

export const metadata = { title: 'Events' };

export default async function EventsPage() {
  await connection();
  const [events, locale] = await Promise.all([getDb().then((db) => listUpcomingEvents(db, { limit: 100 })), requestLocale()]);
  const now = new Date();
  return (
    <div className="mx-auto max-w-6xl px-4 py-10">
      <h1 className="mb-6 text-3xl font-bold tracking-tight">All events</h1>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {events.map((event) => (
          <EventCard key={event.id} event={event} locale={locale} now={now} />
        ))}
      </ul>
    </div>
  );
}
