import { CATEGORY_LABELS } from '@/lib/contracts/categories';
import { searchHref, type Facet, type NormalizedSearch, type SearchResult } from '@/lib/contracts/catalog';

/**
 * Facet links with counts: choosing one narrows the search, choosing the selected one again removes it. A row of
 * chips that scrolls sideways on a phone, a list beside the results on a wide screen.
 */
export function Facets({ search, facets }: { search: NormalizedSearch; facets: SearchResult['facets'] }) {
  return (
    <nav aria-label="Narrow the results" className="space-y-4">
      <FacetGroup
        title="Category"
        items={facets.categories.map((f) => ({ ...f, label: CATEGORY_LABELS[f.value] }))}
        selected={(f) => f.value === search.category}
        href={(f) => searchHref(search, { category: f.value === search.category ? undefined : f.value })}
      />
      <FacetGroup
        title="City"
        items={facets.cities.map((f) => ({ ...f, label: f.value }))}
        selected={(f) => f.value.toLowerCase() === search.city?.toLowerCase()}
        href={(f) =>
          searchHref(search, { city: f.value.toLowerCase() === search.city?.toLowerCase() ? undefined : f.value })
        }
      />
    </nav>
  );
}

type Item = Facet & { label: string };

function FacetGroup({
  title,
  items,
  selected,
  href,
}: {
  title: string;
  items: Item[];
  selected: (f: Item) => boolean;
  href: (f: Item) => string;
}) {
  if (items.length === 0) return null;
  const id = `facet-${title.toLowerCase()}`;
  return (
    <div>
      <h2 id={id} className="text-sm font-semibold text-slate-900">
        {title}
      </h2>
      <ul
        aria-labelledby={id}
        className="-mx-4 mt-2 flex gap-2 overflow-x-auto px-4 pb-1 lg:mx-0 lg:flex-col lg:gap-1 lg:overflow-visible lg:px-0"
      >
        {items.map((f) => {
          const on = selected(f);
          return (
            <li key={f.value} className="shrink-0">
              <a
                href={href(f)}
                aria-current={on ? 'true' : undefined}
                className={`flex min-h-11 items-center justify-between gap-3 whitespace-nowrap rounded-full px-3 text-sm ring-1 ring-inset lg:min-h-9 lg:rounded-lg ${
                  on
                    ? 'bg-brand-600 font-semibold text-white ring-brand-600'
                    : 'bg-white text-slate-800 ring-slate-300 hover:bg-slate-100'
                }`}
              >
                <span>
                  {on && <span className="sr-only">Selected: </span>}
                  {f.label}
                </span>
                <span className={`tabular-nums ${on ? 'text-brand-50' : 'text-slate-600'}`}>
                  {f.count}
                  <span className="sr-only"> events</span>
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
