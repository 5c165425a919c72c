/* eslint-disable @next/next/no-html-link-for-pages -- plain links on purpose: see ButtonAnchor in components/ui/plain-button.tsx */
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { OnSaleCountdown } from '@/components/catalog/on-sale-countdown';
import { SectionAvailability } from '@/components/catalog/section-availability';
import { LazyPresaleCodeForm as PresaleCodeForm } from '@/components/presale/lazy-presale-code-form';
import { ButtonAnchor } from '@/components/ui/plain-button';
import { WaitlistSection } from '@/components/waitlist/waitlist-section';
import { getDb, getReadDb } from '@/db/client';
import { countFunnelStep } from '@/lib/analytics/funnel-counts';
import { currentViewer } from '@/lib/auth/page-guards';
import { readEventDetails } from '@/lib/catalog/catalog-reads';
import { CATEGORY_LABELS } from '@/lib/contracts/categories';
import { searchHref, type EventDetails } from '@/lib/contracts/catalog';
import { countOf, formatDateTime, formatEventDate, formatEventTime, formatMoney } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';
import { requestLocale } from '@/lib/locale.server';
import { hasAccessCodes } from '@/lib/presale';
import { redeemPresaleCodeAction } from './actions';
import { getWaitlistStatus } from '@/lib/waitlist/get-waitlist-status';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ code?: string | string[] }> };

async function load(id: string): Promise<EventDetails> {
  await connection();
  const viewer = await currentViewer();
  return loadOrNotFound(async () =>
    readEventDetails(await getReadDb(), id, { includeDrafts: viewer?.role === 'admin' }),
  );
}

export async function generateMetadata({ params }: Pick<Props, 'params'>): Promise<Metadata> {
  const event = await load((await params).id);
  return {
    title: `${event.name} — ${event.venue.name}`,
    description: `${event.performer} at ${event.venue.name}, ${event.city}.`,
  };
}

export default async function EventPage({ params, searchParams }: Props) {
  const { id } = await params;
  const [event, locale, viewer, codes, query] = await Promise.all([
    load(id),
    requestLocale(),
    currentViewer(),
    getReadDb().then((db) => hasAccessCodes(db, id)),
    searchParams,
  ]);
  const typedCode = typeof query.code === 'string' ? query.code.slice(0, 64) : undefined;
  // The buyer's place on the waitlist, from the primary: an offer must show the moment it is made.
  const waitlist =
    viewer && event.status === 'published'
      ? await getWaitlistStatus(await getDb(), { eventId: event.id, userId: viewer.id, now: new Date() })
      : null;
  // The sales funnel's first step (in memory; flushed every two seconds): a page an organizer previews is no view.
  if (event.status !== 'draft') countFunnelStep(event.id, 'pageViews');
  const startsAt = new Date(event.startsAt);
  const money = (minor: number) => formatMoney(minor, event.currency, locale);

  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm text-slate-600">
        <ol className="flex flex-wrap gap-1">
          <li>
            <a href="/events" className="underline-offset-2 hover:underline">
              Events
            </a>
            <span aria-hidden> /</span>
          </li>
          <li>
            <a href={searchHref({}, { city: event.city })} className="underline-offset-2 hover:underline">
              {event.city}
            </a>
            <span aria-hidden> /</span>
          </li>
          <li aria-current="page" className="truncate text-slate-800">
            {event.name}
          </li>
        </ol>
      </nav>
      {event.status === 'draft' && (
        <p className="mb-4 rounded-lg bg-slate-900 p-3 text-sm font-medium text-white">
          Draft preview: buyers cannot see this event until it is published.
        </p>
      )}
      <div className="grid gap-8 lg:grid-cols-[1fr_340px]">
        <div className="min-w-0 lg:col-start-1">
          <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">
            <a href={searchHref({}, { category: event.category })} className="hover:underline">
              {CATEGORY_LABELS[event.category]}
            </a>
            {event.highDemand && (
              <span className="ml-2 rounded-full bg-slate-900 px-2 py-0.5 text-xs normal-case tracking-normal text-white">
                High demand
              </span>
            )}
          </p>
          <h1 className="mt-1 text-3xl font-bold tracking-tight sm:text-4xl">{event.name}</h1>
          <p className="mt-2 text-lg text-slate-700">{event.performer}</p>
          <dl className="mt-6 grid gap-4 sm:grid-cols-2">
            <div className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
              <dt className="text-sm text-slate-600">When</dt>
              <dd className="mt-1 font-semibold">
                <time dateTime={event.startsAt}>{formatEventDate(startsAt, event.timezone, locale)}</time>
              </dd>
              <dd className="text-sm text-slate-700">
                {formatEventTime(startsAt, event.timezone, locale)} (venue time)
              </dd>
            </div>
            <div className="rounded-xl bg-white p-4 ring-1 ring-slate-200">
              <dt className="text-sm text-slate-600">Where</dt>
              <dd className="mt-1 font-semibold">{event.venue.name}</dd>
              <dd className="text-sm text-slate-700">
                {[event.venue.address, event.venue.city, event.venue.country].filter(Boolean).join(', ')}
              </dd>
            </div>
          </dl>
          {event.description && <p className="mt-6 max-w-prose leading-relaxed text-slate-700">{event.description}</p>}
        </div>

        <aside
          aria-labelledby="tickets-heading"
          className="h-fit self-start rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:sticky lg:top-20 lg:col-start-2 lg:row-span-2 lg:row-start-1"
        >
          <h2 id="tickets-heading" className="text-lg font-bold">
            Tickets
          </h2>
          <ul className="mt-3 space-y-3 text-sm">
            {event.tiers.map((tier) => (
              <li key={tier.id} className="flex items-start justify-between gap-3">
                <span className="flex items-start gap-2">
                  <span
                    aria-hidden
                    className="mt-1 h-3 w-3 shrink-0 rounded-full"
                    style={{ backgroundColor: tier.color }}
                  />
                  <span>
                    <span className="font-medium">{tier.name}</span>
                    <span className="block text-xs text-slate-600">
                      {tier.seatsAvailable === 0
                        ? 'Sold out'
                        : `${countOf(tier.seatsAvailable, 'seat', 'seats', locale)} left`}
                    </span>
                  </span>
                </span>
                <span className="font-semibold">{money(tier.priceMinor)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-3 text-xs text-slate-600">
            {event.feePerTicketMinor > 0 && `Plus a ${money(event.feePerTicketMinor)} fee per ticket. `}Up to{' '}
            {countOf(event.perOrderLimit, 'ticket', 'tickets', locale)} per order.
          </p>
          <div className="mt-5">
            <SaleAction event={event} locale={locale} />
          </div>
          {codes && (event.sale.state === 'scheduled' || event.sale.state === 'on_sale') && (
            <div className="mt-5 border-t border-slate-200 pt-4">
              {viewer ? (
                <PresaleCodeForm
                  eventId={event.id}
                  action={redeemPresaleCodeAction.bind(null, event.id)}
                  initialCode={typedCode}
                  currency={event.currency}
                  locale={locale}
                  timezone={event.timezone}
                />
              ) : (
                <p className="text-sm text-slate-700">
                  Have a presale code?{' '}
                  <a
                    className="font-semibold text-brand-700 underline"
                    href={`/sign-in?next=${encodeURIComponent(`/events/${event.id}${typedCode ? `?code=${encodeURIComponent(typedCode)}` : ''}`)}`}
                  >
                    Sign in to use it
                  </a>
                  .
                </p>
              )}
            </div>
          )}
          <WaitlistSection event={event} status={waitlist} locale={locale} />
          {event.highDemand && event.sale.state !== 'cancelled' && event.sale.state !== 'started' && (
            <p className="mt-3 text-xs text-slate-600">
              High demand expected: when many people arrive at once, a waiting room lets everyone in fairly, in turn.
            </p>
          )}
        </aside>

        {/* After the tickets card on a phone, so the way into seat selection comes before a long list of sections. */}
        <section aria-labelledby="sections-heading" className="min-w-0 lg:col-start-1">
          <h2 id="sections-heading" className="text-xl font-bold">
            Seats by section
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {event.seatsAvailable.toLocaleString(locale)} of {countOf(event.seatsTotal, 'seat', 'seats', locale)} left.
            Counts may be a few seconds behind; the seat map is live.
          </p>
          <div className="mt-3">
            <SectionAvailability event={event} locale={locale} />
          </div>
        </section>
      </div>
    </div>
  );
}

function SaleAction({ event, locale }: { event: EventDetails; locale: string }) {
  switch (event.sale.state) {
    case 'on_sale':
      return (
        <ButtonAnchor href={event.seatsUrl} className="w-full">
          Choose seats
        </ButtonAnchor>
      );
    case 'scheduled':
      return (
        <OnSaleCountdown
          opensAt={event.sale.opensAt}
          serverTime={event.serverTime}
          seatsUrl={event.seatsUrl}
          opensAtLabel={formatDateTime(new Date(event.sale.opensAt), event.timezone, locale)}
          waitingRoom={{
            url: `/events/${event.id}/queue`,
            opensAt: event.sale.waitingRoomOpensAt,
            opensAtLabel: formatDateTime(new Date(event.sale.waitingRoomOpensAt), event.timezone, locale),
          }}
        />
      );
    case 'sold_out':
      return (
        <p className="rounded-lg bg-slate-100 p-3 text-sm">
          <strong>Sold out.</strong> Seats come back when holds expire or tickets are refunded: join the waitlist below
          and they are held for you.
        </p>
      );
    case 'cancelled':
      return (
        <p className="rounded-lg bg-red-50 p-3 text-sm font-medium text-red-800">
          This event was cancelled. Ticket holders are refunded automatically.
        </p>
      );
    case 'started':
      return <p className="rounded-lg bg-slate-100 p-3 text-sm">This event has started; tickets are no longer sold.</p>;
  }
}
