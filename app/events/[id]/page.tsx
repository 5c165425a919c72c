import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ButtonLink } from '@/components/ui/button';
import { getDb } from '@/db/client';
import { getEventOrThrow, sectionAvailability, type EventDetails } from '@/lib/catalog/get-event-or-throw';
import { isAppError } from '@/lib/errors';
import { formatDateTime, formatEventDate, formatEventTime, formatMoney } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';

type Props = { params: Promise<{ id: string }> };

async function load(id: string): Promise<EventDetails> {
  try {
    return await getEventOrThrow(await getDb(), id);
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const event = await load((await params).id);
  return { title: `${event.name} — ${event.venue.name}`, description: `${event.performer} at ${event.venue.name}, ${event.city}.` };
}

export default async function EventPage({ params }: Props) {
  const { id } = await params;
  const [event, locale] = await Promise.all([load(id), requestLocale()]);
  const sections = await sectionAvailability(await getDb(), event.id);
  const now = new Date();
  const onSale = event.status === 'published' && event.onSaleAt <= now && event.startsAt > now;
  const left = sections.reduce((n, s) => n + s.available, 0);
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-slate-600">
        <Link href="/events" className="hover:underline">
          Events
        </Link>{' '}
        / {event.city}
      </nav>
      <div className="grid gap-8 lg:grid-cols-[1fr_340px]">
        <div>
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{event.category}</p>
          <h1 className="mt-1 text-3xl font-bold tracking-tight sm:text-4xl">{event.name}</h1>
          <p className="mt-2 text-lg text-slate-700">{event.performer}</p>
          <dl className="mt-6 grid gap-4 sm:grid-cols-2">
            <div className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
              <dt className="text-sm text-slate-600">When</dt>
              <dd className="mt-1 font-semibold">
                <time dateTime={event.startsAt.toISOString()}>
                  {formatEventDate(event.startsAt, event.timezone, locale)}, {formatEventTime(event.startsAt, event.timezone, locale)}
                </time>
              </dd>
            </div>
            <div className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
              <dt className="text-sm text-slate-600">Where</dt>
              <dd className="mt-1 font-semibold">
                {event.venue.name}, {event.city}
              </dd>
            </div>
          </dl>
          {event.description && <p className="mt-6 max-w-prose leading-relaxed text-slate-700">{event.description}</p>}

          <h2 className="mt-10 text-xl font-bold">Seats by section</h2>
          <div className="mt-3 overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th className="px-4 py-2 font-medium">Section</th>
                  <th className="px-4 py-2 font-medium">Price</th>
                  <th className="px-4 py-2 text-right font-medium">Seats left</th>
                </tr>
              </thead>
              <tbody>
                {sections.map((s) => (
                  <tr key={s.sectionLabel} className="border-t border-slate-100">
                    <td className="px-4 py-2 font-medium">{s.sectionLabel}</td>
                    <td className="px-4 py-2">
                      {formatMoney(s.minPriceMinor, event.currency, locale)}
                      {s.maxPriceMinor !== s.minPriceMinor && ` – ${formatMoney(s.maxPriceMinor, event.currency, locale)}`}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{s.available === 0 ? <span className="text-slate-500">Sold out</span> : s.available.toLocaleString(locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>

        <aside className="h-fit rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:sticky lg:top-20">
          <h2 className="text-lg font-bold">Tickets</h2>
          <ul className="mt-3 space-y-2 text-sm">
            {event.tiers.map((tier) => (
              <li key={tier.id} className="flex items-center justify-between gap-2">
                <span className="flex items-center gap-2">
                  <span aria-hidden className="h-3 w-3 rounded-full" style={{ backgroundColor: tier.color }} />
                  {tier.name}
                </span>
                <span className="font-semibold">{formatMoney(tier.priceMinor, event.currency, locale)}</span>
              </li>
            ))}
          </ul>
          {event.feePerTicketMinor > 0 && <p className="mt-2 text-xs text-slate-600">Plus a {formatMoney(event.feePerTicketMinor, event.currency, locale)} fee per ticket.</p>}
          <div className="mt-5">
            {event.status === 'cancelled' ? (
              <p className="rounded-lg bg-red-50 p-3 text-sm font-medium text-red-800">This event was cancelled. Ticket holders are refunded automatically.</p>
            ) : onSale ? (
              left > 0 ? (
                <ButtonLink href={`/events/${event.id}/seats`} className="w-full">
                  Choose seats
                </ButtonLink>
              ) : (
                <p className="rounded-lg bg-slate-100 p-3 text-sm font-medium">Sold out</p>
              )
            ) : event.onSaleAt > now ? (
              <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
                On sale <strong>{formatDateTime(event.onSaleAt, event.timezone, locale)}</strong>
              </p>
            ) : (
              <p className="rounded-lg bg-slate-100 p-3 text-sm">This event has started.</p>
            )}
          </div>
          <p className="mt-3 text-xs text-slate-600">
            {left.toLocaleString(locale)} of {event.seatsTotal.toLocaleString(locale)} seats left · up to {event.perOrderLimit} per order
          </p>
        </aside>
      </div>
    </div>
  );
}
