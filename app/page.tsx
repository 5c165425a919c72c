import Link from 'next/link';
import { connection } from 'next/server';
import { EventCard } from '@/components/event-card';
import { getDb } from '@/db/client';
import { listUpcomingEvents } from '@/lib/catalog/list-upcoming-events';
import { requestLocale } from '@/lib/locale.server';

export default async function HomePage() {
  await connection();
  const [events, locale] = await Promise.all([getDb().then((db) => listUpcomingEvents(db, { limit: 12 })), requestLocale()]);
  const now = new Date();
  return (
    <>
      <section className="bg-gradient-to-br from-brand-900 via-brand-700 to-brand-500 text-white">
        <div className="mx-auto max-w-6xl px-4 py-14 sm:py-20">
          <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl">Great seats, sold fairly.</h1>
          <p className="mt-4 max-w-xl text-lg text-brand-100">Pick your exact seats on a live map, hold them while you pay, and get tickets that work at the door — even offline.</p>
          <form action="/events" className="mt-8 flex max-w-xl gap-2" role="search">
            <label htmlFor="hero-search" className="sr-only">
              Search events
            </label>
            <input
              id="hero-search"
              name="q"
              type="search"
              placeholder="Artist, show, team, venue or city"
              className="min-h-12 flex-1 rounded-lg border-0 bg-white px-4 text-slate-900 shadow-sm placeholder:text-slate-500"
            />
            <button className="min-h-12 rounded-lg bg-white px-5 font-semibold text-brand-700 hover:bg-brand-50">Search</button>
          </form>
        </div>
      </section>
      <section className="mx-auto max-w-6xl px-4 py-10" aria-labelledby="upcoming">
        <div className="mb-6 flex items-baseline justify-between">
          <h2 id="upcoming" className="text-2xl font-bold tracking-tight">
            Upcoming events
          </h2>
          <Link href="/events" className="text-sm font-semibold text-brand-700 hover:underline">
            Browse all events →
          </Link>
        </div>
        {events.length === 0 ? (
          <p className="rounded-xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">No upcoming events yet. Organizers can create one from the admin pages.</p>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {events.map((event) => (
              <EventCard key={event.id} event={event} locale={locale} now={now} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
