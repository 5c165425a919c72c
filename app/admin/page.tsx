import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminBreadcrumbs } from '@/components/admin/dashboard/admin-breadcrumbs';
import { EventStatusBadge } from '@/components/admin/dashboard/event-status-badge';
import { formatCount, QUEUE_PHASE_LABEL } from '@/components/admin/dashboard/format';
import { SeatBar } from '@/components/admin/dashboard/seat-bar';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { dashboardDeps } from '@/lib/admin/dashboard';
import { listEventsOverview } from '@/lib/admin/dashboard-overview';
import type { EventOverviewRow } from '@/lib/admin/dashboard-types';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { formatEventDate, formatMoney } from '@/lib/format';
import { requestLocale } from '@/lib/locale.server';

export const metadata: Metadata = { title: 'Admin overview' };

const FILTERS = [
  { when: 'upcoming', label: 'Upcoming' },
  { when: 'past', label: 'Past' },
  { when: 'all', label: 'All' },
] as const;
type When = (typeof FILTERS)[number]['when'];

type Props = { searchParams: Promise<{ show?: string | string[] }> };

/** Every event with its seats, money and waiting room at a glance; each links to its live dashboard. */
export default async function AdminOverviewPage({ searchParams }: Props) {
  await requireAdminPage('/admin');
  const show = (await searchParams).show;
  const when: When = FILTERS.find((f) => f.when === show)?.when ?? 'upcoming';
  const [rows, locale] = await Promise.all([listEventsOverview(await dashboardDeps(), { when }), requestLocale()]);
  const live = rows.filter((r) => r.status === 'published');
  const sold = rows.reduce((n, r) => n + r.seats.sold, 0);
  const waiting = rows.reduce((n, r) => n + r.queue.waiting, 0);
  const revenueByCurrency = new Map<string, number>();
  for (const r of rows)
    revenueByCurrency.set(
      r.revenue.currency,
      (revenueByCurrency.get(r.revenue.currency) ?? 0) + r.revenue.kept.netMinor,
    );

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminBreadcrumbs trail={[{ label: 'Overview' }]} />
      <div className="mt-2 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Events overview</h1>
          <p className="mt-1 text-slate-700">
            Seats, money and waiting rooms of your events. Open an event for its live dashboard.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <ButtonLink href="/admin/orders" variant="secondary">
            Orders desk
          </ButtonLink>
          <ButtonLink href="/admin/events/new">New event</ButtonLink>
        </div>
      </div>

      <dl className="mt-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Figure label="Events published" value={formatCount(live.length, locale)} />
        <Figure label="Tickets sold" value={formatCount(sold, locale)} />
        <Figure
          label="Net revenue (excl. tax, after refunds)"
          value={
            [...revenueByCurrency].map(([c, m]) => formatMoney(m, c, locale)).join(' · ') ||
            formatMoney(0, 'USD', locale)
          }
        />
        <Figure label="Waiting in queues" value={formatCount(waiting, locale)} />
      </dl>

      <nav aria-label="Which events" className="mt-8 flex gap-1 rounded-lg bg-slate-200/70 p-1 text-sm sm:w-fit">
        {FILTERS.map((f) => (
          <Link
            key={f.when}
            href={f.when === 'upcoming' ? '/admin' : `/admin?show=${f.when}`}
            aria-current={f.when === when ? 'page' : undefined}
            className="flex min-h-10 flex-1 items-center justify-center rounded-md px-4 font-semibold text-slate-700 aria-[current=page]:bg-white aria-[current=page]:text-slate-900 aria-[current=page]:shadow sm:flex-none"
          >
            {f.label}
          </Link>
        ))}
      </nav>

      {rows.length === 0 ? (
        <EmptyState
          title={when === 'all' ? 'No events yet.' : `No ${when} events.`}
          actions={
            <>
              <ButtonLink href="/admin/venues" variant="secondary">
                Venues
              </ButtonLink>
              <ButtonLink href="/admin/events/new">Create an event</ButtonLink>
            </>
          }
          className="mt-4"
        >
          Build a venue, then create and publish an event: its sales show up here as they happen.
        </EmptyState>
      ) : (
        <section aria-labelledby="events-heading" className="mt-4">
          <h2 id="events-heading" className="sr-only">
            Events
          </h2>
          <ul className="space-y-3">
            {rows.map((row) => (
              <EventRow key={row.id} row={row} locale={locale} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 text-xl font-bold tabular-nums">{value}</dd>
    </div>
  );
}

function EventRow({ row, locale }: { row: EventOverviewRow; locale: string }) {
  return (
    <li className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div className="grid grid-cols-2 gap-4 md:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] md:items-center">
        <div className="col-span-2 min-w-0 md:col-span-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="truncate font-semibold">
              <Link href={`/admin/events/${row.id}`} className="hover:underline">
                {row.name}
              </Link>
            </h3>
            <EventStatusBadge status={row.status} />
          </div>
          <p className="text-sm text-slate-600">
            <time dateTime={row.startsAt}>{formatEventDate(new Date(row.startsAt), row.timezone, locale)}</time> ·{' '}
            {row.venueName}
          </p>
        </div>
        <div className="col-span-2 md:col-span-1">
          {row.seats.total > 0 ? (
            <SeatBar seats={row.seats} compact />
          ) : (
            <p className="text-sm text-slate-600">No seats until published</p>
          )}
        </div>
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Net revenue</p>
          <p className="font-semibold tabular-nums">
            {formatMoney(row.revenue.kept.netMinor, row.revenue.currency, locale)}
          </p>
          {row.revenue.kept.taxMinor ? (
            <p className="text-xs tabular-nums text-slate-600">
              + {formatMoney(row.revenue.kept.taxMinor, row.revenue.currency, locale)} tax ={' '}
              {formatMoney(row.revenue.kept.grossMinor, row.revenue.currency, locale)}
            </p>
          ) : null}
        </div>
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">
            Queue · {QUEUE_PHASE_LABEL[row.queue.phase]}
          </p>
          <p className="text-sm tabular-nums">
            {row.queue.reachable
              ? `${formatCount(row.queue.waiting, locale)} waiting · ${formatCount(row.queue.active, locale)} shopping`
              : 'Not reachable'}
          </p>
        </div>
        <div className="col-span-2 flex gap-2 md:col-span-1">
          <ButtonLink
            href={`/admin/events/${row.id}`}
            variant="secondary"
            className="flex-1 md:flex-none"
            aria-label={`Dashboard of ${row.name}`}
          >
            Dashboard
          </ButtonLink>
          <ButtonLink
            href={`/admin/events/${row.id}/edit`}
            variant="ghost"
            className="flex-1 md:flex-none"
            aria-label={`Edit ${row.name}`}
          >
            Edit
          </ButtonLink>
        </div>
      </div>
    </li>
  );
}
