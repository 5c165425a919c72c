import { CATEGORY_LABELS } from '@/lib/contracts/categories';
import { searchHref, type NormalizedSearch } from '@/lib/contracts/catalog';
import { formatEventDate } from '@/lib/format';

type Chip = { key: keyof NormalizedSearch; label: string };

export const formatDay = (day: string, locale: string) => formatEventDate(new Date(`${day}T12:00:00Z`), 'UTC', locale);

export function activeFilterChips(search: NormalizedSearch, locale: string): Chip[] {
  const chips: Chip[] = [];
  if (search.city) chips.push({ key: 'city', label: search.city });
  if (search.category) chips.push({ key: 'category', label: CATEGORY_LABELS[search.category] });
  if (search.from) chips.push({ key: 'from', label: `From ${formatDay(search.from, locale)}` });
  if (search.to) chips.push({ key: 'to', label: `Until ${formatDay(search.to, locale)}` });
  const amount = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 2 });
  if (search.minPrice !== undefined) chips.push({ key: 'minPrice', label: `Tickets from ${amount(search.minPrice)}` });
  if (search.maxPrice !== undefined) chips.push({ key: 'maxPrice', label: `Tickets up to ${amount(search.maxPrice)}` });
  return chips;
}

/** The filters in force, each removable with one click. */
export function ActiveFilters({ search, locale }: { search: NormalizedSearch; locale: string }) {
  const chips = activeFilterChips(search, locale);
  if (chips.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-2" aria-label="Active filters" role="group">
      {chips.map((chip) => (
        <a
          key={chip.key}
          href={searchHref(search, { [chip.key]: undefined })}
          className="inline-flex min-h-9 items-center gap-1.5 rounded-full bg-brand-50 px-3 text-sm font-medium text-brand-900 ring-1 ring-inset ring-brand-100 hover:bg-brand-100"
        >
          {chip.label}
          <span aria-hidden>✕</span>
          <span className="sr-only">(remove this filter)</span>
        </a>
      ))}
      {chips.length > 1 && (
        <a
          href={searchHref({ q: search.q, sort: search.sort })}
          className="min-h-9 px-2 text-sm font-semibold text-slate-700 underline"
        >
          Clear all
        </a>
      )}
    </div>
  );
}
