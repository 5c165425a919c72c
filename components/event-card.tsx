import Link from 'next/link';
import { formatEventDate, formatEventTime, formatMoney } from '@/lib/format';
import type { EventSummary } from '@/lib/catalog/list-upcoming-events';
import { CATEGORY_LABELS, type EventCategory } from '@/lib/contracts/categories';

const accent: Record<string, string> = {
  concert: 'from-fuchsia-500 to-indigo-600',
  theatre: 'from-rose-500 to-orange-500',
  sports: 'from-emerald-500 to-teal-600',
  comedy: 'from-amber-400 to-orange-500',
  family: 'from-sky-400 to-blue-600',
  festival: 'from-violet-500 to-pink-500',
};

export function EventCard({ event, locale, now }: { event: EventSummary; locale: string; now: Date }) {
  const onSaleSoon = event.onSaleAt > now;
  return (
    <li className="group relative flex flex-col overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200 transition hover:shadow-md">
      <div className={`flex h-24 items-end bg-gradient-to-br p-4 ${accent[event.category] ?? 'from-slate-500 to-slate-700'}`}>
        <span className="rounded-full bg-white/90 px-2.5 py-0.5 text-xs font-semibold text-slate-800">
          {CATEGORY_LABELS[event.category as EventCategory] ?? event.category}
        </span>
        {event.highDemand && <span className="ml-2 rounded-full bg-slate-900/80 px-2.5 py-0.5 text-xs font-semibold text-white">High demand</span>}
      </div>
      <div className="flex flex-1 flex-col gap-1 p-4">
        <h3 className="text-base font-semibold leading-snug text-slate-900">
          <Link href={`/events/${event.id}`} className="after:absolute after:inset-0 focus-visible:outline-none">
            {event.name}
          </Link>
        </h3>
        <p className="text-sm text-slate-600">{event.performer}</p>
        <p className="mt-2 text-sm text-slate-800">
          <time dateTime={event.startsAt.toISOString()}>
            {formatEventDate(event.startsAt, event.timezone, locale)} · {formatEventTime(event.startsAt, event.timezone, locale)}
          </time>
        </p>
        <p className="text-sm text-slate-600">
          {event.venueName}, {event.city}
        </p>
        <div className="mt-auto flex items-center justify-between pt-3 text-sm">
          {event.minPriceMinor !== null ? (
            <span className="font-semibold text-slate-900">From {formatMoney(event.minPriceMinor, event.currency, locale)}</span>
          ) : (
            <span />
          )}
          {onSaleSoon ? <span className="font-medium text-amber-700">On sale {formatEventDate(event.onSaleAt, event.timezone, locale)}</span> : <span className="font-medium text-emerald-700">On sale</span>}
        </div>
      </div>
    </li>
  );
}
