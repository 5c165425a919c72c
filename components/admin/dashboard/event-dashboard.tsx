'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { requestJson } from '@/components/seat-map/api';
import type { EventDashboard } from '@/lib/admin/dashboard-types';
import { RevenueCard } from './revenue-card';
import { countOf, formatDateTime, formatMoney, noun } from '@/lib/format';
import { CancelEventPanel } from './cancel-event-panel';
import { EventStatusBadge } from './event-status-badge';
import { FunnelPanel } from './funnel-panel';
import { formatCount, formatDuration, formatPercent, QUEUE_PHASE_LABEL } from './format';
import { LiveSeatMap } from './live-seat-map';
import { SalesChart } from './sales-chart';
import { Card } from '@/components/admin/card';
import { WaitlistFiguresCard } from '@/components/waitlist/waitlist-figures-card';

const POLL_MS = 3_000;

/**
 * The live dashboard of one event. The server renders the first figures; TanStack Query then polls the stats API
 * every three seconds (paused while the tab is hidden), and the seat map follows the availability stream.
 */
export function EventDashboardView({ initial, locale }: { initial: EventDashboard; locale: string }) {
  const id = initial.event.id;
  const stats = useQuery({
    queryKey: ['admin', 'events', id, 'stats'],
    queryFn: () => requestJson<EventDashboard>(`/api/admin/events/${id}/stats`),
    initialData: initial,
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
  const d = stats.data;
  const { event, seats, revenue, queue, holds } = d;
  // Every time on the dashboard is the venue's, whatever the browser's zone: the organizer plans in local time.
  const updated = new Intl.DateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZone: event.timezone,
  }).format(new Date(d.generatedAt));

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{event.name}</h1>
            <EventStatusBadge status={event.status} />
          </div>
          <p className="mt-1 text-slate-700">
            <time dateTime={event.startsAt}>{formatDateTime(new Date(event.startsAt), event.timezone, locale)}</time> ·{' '}
            {event.venueName}, {event.city}
          </p>
          <p className="mt-1 text-sm text-slate-600" data-testid="dashboard-time-zone">
            Times in {event.timezone}, the venue’s time zone.
          </p>
          <p className="mt-1 flex items-center gap-2 text-sm text-slate-600">
            <span
              aria-hidden="true"
              className={`inline-block h-2 w-2 rounded-full ${stats.isError ? 'bg-red-500' : 'bg-emerald-500'}`}
            />
            {stats.isError
              ? `Not updating: ${stats.error.message} Retrying…`
              : `Live · updated ${updated}, refreshes every ${POLL_MS / 1000} s`}
          </p>
        </div>
        <nav aria-label="Event actions" className="flex flex-wrap gap-2 text-sm">
          <Link
            className="rounded-lg px-3 py-2 font-semibold text-brand-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            href={`/admin/events/${id}/edit`}
          >
            Edit event
          </Link>
          <Link
            className="rounded-lg px-3 py-2 font-semibold text-brand-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            href={`/admin/events/${id}/seats`}
          >
            Box office holds
          </Link>
          <Link
            className="rounded-lg px-3 py-2 font-semibold text-brand-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            href={`/events/${id}`}
          >
            Public page
          </Link>
        </nav>
      </header>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Available"
          value={formatCount(seats.available, locale)}
          note={
            event.status === 'cancelled'
              ? 'not for sale: the event is cancelled'
              : `of ${countOf(seats.total, 'seat', 'seats', locale)}${seats.blocked ? `, ${formatCount(seats.blocked, locale)} blocked` : ''}`
          }
        />
        <Stat label="Held now" value={formatCount(seats.held, locale)} note="in buyers’ carts" />
        <Stat
          label="Sold"
          value={formatCount(seats.sold, locale)}
          testId="sold-count"
          note={`${formatCount(revenue.paidOrders, locale)} paid ${noun(revenue.paidOrders, 'order', 'orders', locale)}`}
        />
        <Stat
          label="Net revenue"
          value={formatMoney(revenue.kept.netMinor, revenue.currency, locale)}
          testId="revenue"
          note={
            revenue.kept.taxMinor
              ? `excl. ${formatMoney(revenue.kept.taxMinor, revenue.currency, locale)} tax, after refunds`
              : 'after refunds'
          }
        />
      </dl>

      <RevenueCard revenue={revenue} locale={locale} />

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Sales over time" className="lg:col-span-2">
          <SalesChart
            points={d.sales.points}
            bucketSeconds={d.sales.bucketSeconds}
            currency={revenue.currency}
            timeZone={event.timezone}
            locale={locale}
          />
        </Card>
        <Card title={`Waiting room · ${QUEUE_PHASE_LABEL[queue.phase]}`}>
          {!queue.reachable ? (
            <p className="text-sm text-red-900">
              The waiting room’s store did not answer just now; figures return when it does.
            </p>
          ) : queue.phase === 'closed' || queue.phase === 'not-open' ? (
            <p className="text-sm text-slate-700">
              {queue.phase === 'closed'
                ? 'The queue is closed: this event does not sell now.'
                : 'The queue opens before the on-sale.'}
            </p>
          ) : (
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <MiniStat
                label="Waiting"
                value={formatCount(queue.waiting + queue.prequeue, locale)}
                note={queue.prequeue ? `${formatCount(queue.prequeue, locale)} in the pre-queue draw` : undefined}
              />
              <MiniStat
                label="Shopping"
                value={`${formatCount(queue.active, locale)} / ${formatCount(queue.capacity, locale)}`}
                note="active / capacity"
              />
              <MiniStat
                label="Admission rate"
                value={`${formatCount(Math.round(queue.ratePerMinute), locale)}/min`}
                note={
                  queue.rateBasis === 'measured'
                    ? 'measured over the last minutes'
                    : `from the settings (max ${formatCount(queue.configuredRatePerMinute, locale)}/min)`
                }
              />
              <MiniStat
                label="Time to clear"
                value={queue.waiting ? `≈ ${formatDuration(queue.clearSeconds)}` : 'No line'}
                note={queue.waiting ? 'until the last in line is admitted' : undefined}
              />
            </dl>
          )}
        </Card>
      </div>

      <Card title="Sales funnel">
        <FunnelPanel eventId={id} timeZone={event.timezone} locale={locale} />
      </Card>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Seat map" className="lg:col-span-2">
          {seats.total > 0 ? (
            <LiveSeatMap eventId={id} venueName={event.venueName} locale={locale} />
          ) : (
            <p className="text-sm text-slate-700">The seats appear once the event is published.</p>
          )}
        </Card>
        <Card title={`Holds · last ${countOf(holds.windowMinutes, 'minute', 'minutes', locale)}`}>
          <dl className="grid grid-cols-2 gap-3 text-sm">
            <MiniStat
              label="Success rate"
              value={formatPercent(holds.successRate, locale)}
              note={`${formatCount(holds.requests.granted, locale)} granted`}
            />
            <MiniStat
              label="Conflict rate"
              value={formatPercent(holds.conflictRate, locale)}
              note={`${countOf(holds.requests.conflicts, 'seat', 'seats', locale)} already taken`}
            />
          </dl>
          <p className="mt-2 text-xs text-slate-600">
            Rates count the hold requests every app server answered in the window (
            {formatCount(holds.requests.granted + holds.requests.conflicts + holds.requests.refused, locale)} requests,{' '}
            {formatCount(holds.requests.refused, locale)} refused for limits or rules); other servers&rsquo; last 2 s
            may not be in yet.
          </p>
          <h3 className="mt-4 text-sm font-semibold">Holds placed (all servers)</h3>
          <ul className="mt-1 grid grid-cols-2 gap-1 text-sm tabular-nums text-slate-700">
            <li>{formatCount(holds.placed, locale)} placed</li>
            <li>{formatCount(holds.converted, locale)} bought</li>
            <li>{formatCount(holds.active, locale)} still open</li>
            <li>{formatCount(holds.expired + holds.released, locale)} expired or let go</li>
          </ul>
          <p className="mt-2 text-sm text-slate-700">
            <span className="font-semibold tabular-nums">{formatCount(holds.neverPaid.accounts, locale)}</span>{' '}
            {noun(holds.neverPaid.accounts, 'account', 'accounts', locale)} held seats and never paid (
            {countOf(holds.neverPaid.seats, 'seat', 'seats', locale)} in{' '}
            {countOf(holds.neverPaid.holds, 'hold', 'holds', locale)}). Many of them at once can mean scripted hoarding.
          </p>
        </Card>
      </div>

      <WaitlistFiguresCard waitlist={d.waitlist} locale={locale} />

      <section aria-labelledby="danger-heading" className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-red-200">
        <h2 id="danger-heading" className="text-lg font-bold text-red-900">
          Cancel this event
        </h2>
        <div className="mt-3">
          {event.status === 'draft' ? (
            <p className="text-sm text-slate-700">A draft has no sales to cancel; edit or leave it unpublished.</p>
          ) : (
            <CancelEventPanel
              eventId={id}
              eventName={event.name}
              cancelled={event.status === 'cancelled'}
              paidOrders={revenue.paidOrders}
              currency={revenue.currency}
              locale={locale}
              initialProgress={d.cancellation}
            />
          )}
        </div>
      </section>
    </div>
  );
}

function Stat({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tabular-nums sm:text-3xl" data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="mt-0.5 text-xs text-slate-600">{note}</dd>}
    </div>
  );
}

function MiniStat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="text-xl font-bold tabular-nums">{value}</dd>
      {note && <dd className="text-xs text-slate-600">{note}</dd>}
    </div>
  );
}
