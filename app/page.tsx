/* eslint-disable @next/next/no-html-link-for-pages -- plain links on purpose: see ButtonAnchor in components/ui/plain-button.tsx */
import { connection } from 'next/server';
import { DemoDataNotice } from '@/components/catalog/demo-data-notice';
import { EventGrid } from '@/components/event-card';
import { getReadDb } from '@/db/client';
import { demoSeedStatus } from '@/db/seed/status';
import { searchCatalog } from '@/lib/catalog/catalog-reads';
import { CATEGORY_LABELS } from '@/lib/contracts/categories';
import { searchHref } from '@/lib/contracts/catalog';
import { requestLocale } from '@/lib/locale.server';

export default async function HomePage() {
  await connection();
  const [result, locale] = await Promise.all([
    getReadDb().then((db) => searchCatalog(db, { limit: 9 })),
    requestLocale(),
  ]);
  const now = new Date(result.serverTime);
  const seeding = demoSeedStatus();
  return (
    <>
      <section className="bg-gradient-to-br from-brand-900 via-brand-700 to-brand-600 text-white">
        <div className="mx-auto max-w-6xl px-4 py-12 sm:py-20">
          <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl">Great seats, sold fairly.</h1>
          <p className="mt-4 max-w-xl text-lg text-brand-50">
            Pick your exact seats on a live map, hold them while you pay, and get tickets that work at the door — even
            offline.
          </p>
          <form
            action="/events"
            method="get"
            className="mt-8 flex max-w-xl gap-2"
            role="search"
            aria-label="Search events"
          >
            <label htmlFor="hero-search" className="sr-only">
              Search events
            </label>
            <input
              id="hero-search"
              name="q"
              type="search"
              maxLength={100}
              autoComplete="off"
              placeholder="Artist, show, team, venue or city"
              className="min-h-12 min-w-0 flex-1 rounded-lg border-0 bg-white px-4 text-base text-slate-900 shadow-sm placeholder:text-slate-500"
            />
            <button className="min-h-12 rounded-lg bg-white px-5 font-semibold text-brand-700 hover:bg-brand-50">
              Search
            </button>
          </form>
          {result.facets.categories.length > 0 && (
            <nav aria-label="Browse by category" className="mt-6">
              <ul className="flex flex-wrap gap-2">
                {result.facets.categories.map((c) => (
                  <FacetChip
                    key={c.value}
                    href={searchHref({}, { category: c.value })}
                    label={CATEGORY_LABELS[c.value]}
                    count={c.count}
                    tone="dark"
                  />
                ))}
              </ul>
            </nav>
          )}
        </div>
      </section>
      <section className="mx-auto max-w-6xl px-4 py-10" aria-labelledby="upcoming">
        <div className="mb-6 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="upcoming" className="text-2xl font-bold tracking-tight">
            Upcoming events
          </h2>
          <a href="/events" className="text-sm font-semibold text-brand-700 hover:underline">
            Browse all {result.total.toLocaleString(locale)} events →
          </a>
        </div>
        <DemoDataNotice status={seeding} />
        {result.items.length === 0 ? (
          seeding?.state === 'loading' ? null : (
            <p className="rounded-xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">
              No upcoming events yet. Organizers can create one from the admin pages.
            </p>
          )
        ) : (
          <EventGrid events={result.items} locale={locale} now={now} label="Upcoming events" />
        )}
        {result.facets.cities.length > 0 && (
          <nav aria-labelledby="cities" className="mt-10">
            <h2 id="cities" className="text-lg font-semibold">
              Events by city
            </h2>
            <ul className="mt-3 flex flex-wrap gap-2">
              {result.facets.cities.map((c) => (
                <FacetChip key={c.value} href={searchHref({}, { city: c.value })} label={c.value} count={c.count} />
              ))}
            </ul>
          </nav>
        )}
      </section>
    </>
  );
}

/** A link to a search with one facet chosen, and how many events it finds. */
function FacetChip({
  href,
  label,
  count,
  tone = 'light',
}: {
  href: string;
  label: string;
  count: number;
  tone?: 'light' | 'dark';
}) {
  return (
    <li>
      <a
        href={href}
        className={`inline-flex min-h-10 items-center gap-2 rounded-full px-4 text-sm font-medium ring-1 ring-inset ${
          tone === 'dark'
            ? 'bg-white/15 text-white ring-white/40 hover:bg-white/25'
            : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-100'
        }`}
      >
        {label}
        <span className={`tabular-nums ${tone === 'dark' ? 'text-brand-100' : 'text-slate-600'}`}>
          {count}
          <span className="sr-only"> events</span>
        </span>
      </a>
    </li>
  );
}
