import { CATEGORY_LABELS, EVENT_CATEGORIES } from '@/lib/contracts/categories';
import { hasFilters, searchHref, type NormalizedSearch, type SearchResult } from '@/lib/contracts/catalog';
import { countOf } from '@/lib/format';

const shiftDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = (now: Date) => now.toISOString().slice(0, 10);

/** Nothing matched: say what was searched and offer the ways out that can work. */
export function NoResults({ search, result, now }: { search: NormalizedSearch; result: SearchResult; now: Date }) {
  const filtered = hasFilters(search);
  const suggestions: { href: string; text: string; hint?: string }[] = [];
  if (filtered && result.withoutFilters) {
    suggestions.push({
      href: searchHref({ q: search.q, sort: search.sort }),
      text: 'Clear the filters',
      hint: `${countOf(result.withoutFilters, 'event matches', 'events match')} without them`,
    });
  }
  if (search.from || search.to) {
    const from = search.from ? shiftDay(search.from, -7) : undefined;
    suggestions.push({
      href: searchHref(search, {
        from: from && from > today(now) ? from : undefined,
        to: search.to ? shiftDay(search.to, 7) : undefined,
      }),
      text: 'Look a week either side of your dates',
    });
  }
  if (search.minPrice !== undefined || search.maxPrice !== undefined)
    suggestions.push({ href: searchHref(search, { minPrice: undefined, maxPrice: undefined }), text: 'Any price' });
  if (search.q)
    suggestions.push({
      href: searchHref({ ...search, q: '' }),
      text: filtered ? 'Keep the filters, drop the search words' : 'Browse every upcoming event',
    });

  return (
    <div className="rounded-xl bg-white p-6 text-slate-700 ring-1 ring-slate-200 sm:p-8">
      <h2 className="text-lg font-semibold text-slate-900">
        {search.q
          ? `No events match “${search.q}”${filtered ? ' with these filters' : ''}`
          : 'No events match these filters'}
      </h2>
      {result.didYouMean && (
        <p className="mt-2">
          Did you mean{' '}
          <a className="font-semibold text-brand-700 underline" href={searchHref(search, { q: result.didYouMean })}>
            {result.didYouMean}
          </a>
          ?
        </p>
      )}
      {suggestions.length > 0 && (
        <>
          <p className="mt-4 text-sm font-medium text-slate-900">You could:</p>
          <ul className="mt-2 space-y-2">
            {suggestions.map((s) => (
              <li key={s.text}>
                <a className="font-medium text-brand-700 underline hover:text-brand-900" href={s.href}>
                  {s.text}
                </a>
                {s.hint && <span className="text-sm text-slate-600"> — {s.hint}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="mt-5 text-sm text-slate-600">Or browse a category:</p>
      <ul className="mt-2 flex flex-wrap gap-2">
        {EVENT_CATEGORIES.map((c) => (
          <li key={c}>
            <a
              href={searchHref({}, { category: c })}
              className="inline-flex min-h-9 items-center rounded-full bg-slate-100 px-3 text-sm font-medium text-slate-800 hover:bg-slate-200"
            >
              {CATEGORY_LABELS[c]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
