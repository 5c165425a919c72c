import { CATEGORY_LABELS, EVENT_CATEGORIES } from '@/lib/contracts/categories';
import type { NormalizedSearch, SearchResult } from '@/lib/contracts/catalog';
import { searchHref } from '@/lib/contracts/catalog';

const field =
  'mt-1 block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm';
const labelClass = 'block text-sm font-medium text-slate-700';

/**
 * The search form: a plain GET form, so it works without JavaScript and every search is a shareable URL.
 * Filters sit in a disclosure that starts open when a date, price or sort is set: those show nowhere else, while
 * city and category also show as facets and chips (an open panel would push the results off a phone's screen).
 */
export function SearchForm({
  search,
  facets,
  activeFilters,
}: {
  search: NormalizedSearch;
  facets: SearchResult['facets'];
  activeFilters: number;
}) {
  const cities = facets.cities;
  return (
    <form
      action="/events"
      method="get"
      role="search"
      aria-label="Search events"
      className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200"
    >
      <div className="flex gap-2">
        <label htmlFor="search-q" className="sr-only">
          Search events
        </label>
        <input
          id="search-q"
          name="q"
          type="search"
          defaultValue={search.q}
          maxLength={100}
          placeholder="Artist, show, team, venue or city"
          autoComplete="off"
          className="min-h-11 min-w-0 flex-1 rounded-lg border border-slate-300 px-3 text-base text-slate-900 shadow-sm placeholder:text-slate-500"
        />
        <button className="min-h-11 rounded-lg bg-brand-600 px-4 text-sm font-semibold text-white hover:bg-brand-700 sm:px-6">
          Search
        </button>
      </div>
      <details
        className="group mt-3"
        open={Boolean(
          search.from ||
          search.to ||
          search.minPrice !== undefined ||
          search.maxPrice !== undefined ||
          (search.q && search.sort === 'date'),
        )}
      >
        <summary className="inline-flex min-h-11 cursor-pointer select-none items-center gap-2 rounded-lg px-2 text-sm font-semibold text-brand-700 hover:bg-brand-50">
          <span aria-hidden className="inline-block transition group-open:rotate-90">
            ▸
          </span>
          Filters and sort
          {activeFilters > 0 && (
            <span className="rounded-full bg-brand-600 px-2 py-0.5 text-xs text-white">{activeFilters} active</span>
          )}
        </summary>
        <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
          <div className="col-span-2 sm:col-span-1">
            <label htmlFor="search-city" className={labelClass}>
              City
            </label>
            <select
              id="search-city"
              name="city"
              defaultValue={
                search.city
                  ? (cities.find((c) => c.value.toLowerCase() === search.city!.toLowerCase())?.value ?? search.city)
                  : ''
              }
              className={field}
            >
              <option value="">All cities</option>
              {cities.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.value} ({c.count})
                </option>
              ))}
            </select>
          </div>
          <div className="col-span-2 sm:col-span-1">
            <label htmlFor="search-category" className={labelClass}>
              Category
            </label>
            <select id="search-category" name="category" defaultValue={search.category ?? ''} className={field}>
              <option value="">All categories</option>
              {EVENT_CATEGORIES.map((c) => {
                const count = facets.categories.find((f) => f.value === c)?.count ?? 0;
                return (
                  <option key={c} value={c}>
                    {CATEGORY_LABELS[c]} ({count})
                  </option>
                );
              })}
            </select>
          </div>
          <div>
            <label htmlFor="search-from" className={labelClass}>
              From
            </label>
            <input id="search-from" name="from" type="date" defaultValue={search.from ?? ''} className={field} />
          </div>
          <div>
            <label htmlFor="search-to" className={labelClass}>
              To
            </label>
            <input id="search-to" name="to" type="date" defaultValue={search.to ?? ''} className={field} />
          </div>
          <PriceField id="search-min" name="minPrice" label="Min price" value={search.minPrice} />
          <PriceField id="search-max" name="maxPrice" label="Max price" value={search.maxPrice} />
          <div className="col-span-2 sm:col-span-1">
            <label htmlFor="search-sort" className={labelClass}>
              Sort by
            </label>
            <select id="search-sort" name="sort" defaultValue={search.sort} className={field}>
              <option value="relevance">Best match</option>
              <option value="date">Date</option>
            </select>
          </div>
        </div>
        <p id="price-hint" className="mt-2 text-xs text-slate-600">
          Prices are in each event’s own currency; an event fits when some of its tickets do. Best match needs search
          words.
        </p>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button className="min-h-11 rounded-lg bg-slate-900 px-4 text-sm font-semibold text-white hover:bg-slate-700">
            Apply filters
          </button>
          {activeFilters > 0 && (
            <a
              href={searchHref({ q: search.q })}
              className="inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-semibold text-slate-700 underline hover:bg-slate-100"
            >
              Clear filters
            </a>
          )}
        </div>
      </details>
    </form>
  );
}

function PriceField({ id, name, label, value }: { id: string; name: string; label: string; value?: number }) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="number"
        inputMode="decimal"
        min={0}
        step="any"
        defaultValue={value ?? ''}
        aria-describedby="price-hint"
        className={field}
      />
    </div>
  );
}
