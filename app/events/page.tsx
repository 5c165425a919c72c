import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ActiveFilters } from '@/components/catalog/active-filters';
import { DemoDataNotice } from '@/components/catalog/demo-data-notice';
import { Facets } from '@/components/catalog/facets';
import { NoResults } from '@/components/catalog/no-results';
import { SearchForm } from '@/components/catalog/search-form';
import { EventGrid } from '@/components/event-card';
import { getReadDb } from '@/db/client';
import { demoSeedStatus } from '@/db/seed/status';
import { searchCatalog } from '@/lib/catalog/catalog-reads';
import {
  activeFilterCount,
  hasFilters,
  normalizeSearch,
  parseSearchParamsLeniently,
  searchHref,
  type SearchQuery,
} from '@/lib/contracts/catalog';
import { isAppError } from '@/lib/errors';
import { requestLocale } from '@/lib/locale.server';
import { countOf } from '@/lib/format';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { query } = parseSearchParamsLeniently(await searchParams);
  const q = normalizeSearch(query).q;
  return { title: q ? `“${q}” — events` : 'Find events' };
}

/** A link with a cursor that has gone stale (or was edited) shows the first page instead of an error. */
async function runSearch(query: SearchQuery) {
  const db = await getReadDb();
  try {
    return { result: await searchCatalog(db, query), droppedCursor: false };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'VALIDATION_FAILED' || !query.cursor) throw error;
    const { cursor: _cursor, ...rest } = query;
    return { result: await searchCatalog(db, rest), droppedCursor: true };
  }
}

export default async function EventsPage({ searchParams }: Props) {
  await connection();
  const { query, ignored } = parseSearchParamsLeniently(await searchParams);
  const [{ result, droppedCursor }, locale] = await Promise.all([runSearch(query), requestLocale()]);
  const search = normalizeSearch(droppedCursor ? { ...query, cursor: undefined } : query);
  const now = new Date(result.serverTime);
  const facetsShown = result.facets.cities.length + result.facets.categories.length > 0;
  const notices = [
    ...ignored.filter((name) => name !== 'cursor'),
    ...(droppedCursor || ignored.includes('cursor') ? ['page'] : []),
  ];

  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:py-10">
      <h1 className="mb-4 text-2xl font-bold tracking-tight sm:text-3xl">Find events</h1>
      <DemoDataNotice status={demoSeedStatus()} />
      {/* Keyed by the search: after a client-side navigation the uncontrolled fields must show the new values. */}
      <SearchForm
        key={searchHref(search)}
        search={search}
        facets={result.facets}
        activeFilters={activeFilterCount(search)}
      />

      {notices.length > 0 && (
        <p role="status" className="mt-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          Part of the link was not valid and was left out ({notices.join(', ')}).
          {notices.includes('page') && ' Showing the first results again.'}
        </p>
      )}

      <div className={`mt-6 grid gap-6 ${facetsShown ? 'lg:grid-cols-[14rem_1fr]' : ''}`}>
        {facetsShown && (
          <aside className="min-w-0">
            <Facets search={search} facets={result.facets} />
          </aside>
        )}
        <section aria-labelledby="results-heading" className="min-w-0">
          <div className="mb-4 flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
            <h2 id="results-heading" className="text-lg font-semibold" aria-live="polite">
              {countOf(result.total, 'event', 'events', locale)}
              {search.q && <span className="font-normal text-slate-600"> for “{search.q}”</span>}
            </h2>
            {search.q && result.total > 1 && (
              <p className="text-sm text-slate-600">
                Sorted by{' '}
                {result.sort === 'relevance' ? (
                  <>
                    best match ·{' '}
                    <a className="font-semibold text-brand-700 underline" href={searchHref(search, { sort: 'date' })}>
                      sort by date
                    </a>
                  </>
                ) : (
                  <>
                    date ·{' '}
                    <a
                      className="font-semibold text-brand-700 underline"
                      href={searchHref(search, { sort: 'relevance' })}
                    >
                      sort by best match
                    </a>
                  </>
                )}
              </p>
            )}
          </div>
          <div className="mb-4">
            <ActiveFilters search={search} locale={locale} />
          </div>
          {result.didYouMean && result.items.length > 0 && (
            <p className="mb-4 rounded-lg bg-white p-3 text-sm text-slate-700 ring-1 ring-slate-200">
              Showing events that match “{search.q}” closely. Did you mean{' '}
              <a className="font-semibold text-brand-700 underline" href={searchHref(search, { q: result.didYouMean })}>
                {result.didYouMean}
              </a>
              ?
            </p>
          )}
          {result.items.length === 0 ? (
            search.cursor ? (
              <p className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
                No more events.{' '}
                <a className="font-semibold text-brand-700 underline" href={searchHref(search)}>
                  Back to the first results
                </a>
              </p>
            ) : !search.q && !hasFilters(search) ? (
              <p className="rounded-xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">
                No upcoming events yet. Organizers can create one from the admin pages.
              </p>
            ) : (
              <NoResults search={search} result={result} now={now} />
            )
          ) : (
            <EventGrid
              events={result.items}
              locale={locale}
              now={now}
              label={search.q ? `Events matching ${search.q}` : 'Events'}
            />
          )}
          {(result.nextCursor || search.cursor) && result.items.length > 0 && (
            <nav aria-label="More results" className="mt-8 flex flex-wrap items-center justify-between gap-3">
              {search.cursor ? (
                <a
                  href={searchHref(search)}
                  className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-semibold text-brand-700 underline"
                >
                  ← Back to the first results
                </a>
              ) : (
                <span />
              )}
              {result.nextCursor && (
                <a
                  rel="next"
                  href={searchHref(search, { cursor: result.nextCursor })}
                  className="inline-flex min-h-11 items-center rounded-lg bg-white px-4 text-sm font-semibold text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
                >
                  More events →
                </a>
              )}
            </nav>
          )}
        </section>
      </div>
    </div>
  );
}
