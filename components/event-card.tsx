import { formatEventDate, formatEventTime, formatMoney } from '@/lib/format';
import { CATEGORY_LABELS } from '@/lib/contracts/categories';
import type { EventSummary } from '@/lib/contracts/catalog';

const accent: Record<string, string> = {
  concert: 'from-fuchsia-500 to-indigo-600',
  theatre: 'from-rose-500 to-orange-500',
  sports: 'from-emerald-500 to-teal-600',
  comedy: 'from-amber-400 to-orange-500',
  family: 'from-sky-400 to-blue-600',
  festival: 'from-violet-500 to-pink-500',
};

export function EventCard({ event, locale, now }: { event: EventSummary; locale: string; now: Date }) {
  const startsAt = new Date(event.startsAt);
  const onSaleAt = new Date(event.onSaleAt);
  const onSaleSoon = onSaleAt > now;
  return (
    <li className="group relative flex flex-col overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200 transition focus-within:ring-2 focus-within:ring-brand-600 hover:shadow-md">
      <div
        className={`flex h-20 items-end gap-2 bg-gradient-to-br p-4 sm:h-24 ${accent[event.category] ?? 'from-slate-500 to-slate-700'}`}
      >
        <span className="rounded-full bg-white/90 px-2.5 py-0.5 text-xs font-semibold text-slate-800">
          {CATEGORY_LABELS[event.category]}
        </span>
        {event.highDemand && (
          <span className="rounded-full bg-slate-900/80 px-2.5 py-0.5 text-xs font-semibold text-white">
            High demand
          </span>
        )}
      </div>
      <div className="flex flex-1 flex-col gap-1 p-4">
        <h3 className="text-base font-semibold leading-snug text-slate-900">
          <a href={`/events/${event.id}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            {event.name}
          </a>
        </h3>
        <p className="text-sm text-slate-600">{event.performer}</p>
        <p className="mt-2 text-sm text-slate-800">
          <time dateTime={event.startsAt}>
            {formatEventDate(startsAt, event.timezone, locale)} · {formatEventTime(startsAt, event.timezone, locale)}
          </time>
        </p>
        <p className="text-sm text-slate-600">
          {event.venueName}, {event.city}
        </p>
        <div className="mt-auto flex flex-wrap items-center justify-between gap-x-3 gap-y-1 pt-3 text-sm">
          {event.minPriceMinor !== null ? (
            <span className="font-semibold text-slate-900">
              From {formatMoney(event.minPriceMinor, event.currency, locale)}
            </span>
          ) : (
            <span />
          )}
          {onSaleSoon ? (
            <span className="font-medium text-amber-800">
              On sale{' '}
              {onSaleAt.getTime() - now.getTime() < 86_400_000
                ? formatEventTime(onSaleAt, event.timezone, locale)
                : formatEventDate(onSaleAt, event.timezone, locale)}
            </span>
          ) : (
            <span className="font-medium text-emerald-800">On sale now</span>
          )}
        </div>
      </div>
    </li>
  );
}

/** A grid of cards; the list is labelled so screen-reader users can tell it from other lists on the page. */
export function EventGrid({
  events,
  locale,
  now,
  label,
}: {
  events: EventSummary[];
  locale: string;
  now: Date;
  label: string;
}) {
  return (
    <ul aria-label={label} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {events.map((event) => (
        <EventCard key={event.id} event={event} locale={locale} now={now} />
      ))}
    </ul>
  );
}
