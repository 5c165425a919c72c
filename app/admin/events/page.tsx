import type { Metadata } from 'next';
import Link from 'next/link';
import { AdminListHeader, AdminTable } from '@/components/admin/admin-table';
import { EventStatusBadge } from '@/components/admin/status-badge';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { EVENT_STATUSES, type EventStatus } from '@/db/schema';
import { listAdminEvents } from '@/lib/admin/list-admin-events';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Events' };

const FILTERS = [
  { value: undefined, label: 'All' },
  ...EVENT_STATUSES.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) })),
];

export default async function AdminEventsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  await requireAdminPage('/admin/events');
  const { status: raw } = await searchParams;
  const status = (EVENT_STATUSES as readonly string[]).includes(raw ?? '') ? (raw as EventStatus) : undefined;
  const events = await listAdminEvents(await getDb(), { status });
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminListHeader
        title="Events"
        intro="Drafts, on-sales and past events. Publish a draft to put its seats on sale."
        action={<ButtonLink href="/admin/events/new">New event</ButtonLink>}
      />
      <nav aria-label="Filter by status" className="mt-6 flex flex-wrap gap-2 text-sm">
        {FILTERS.map((f) => (
          <Link
            key={f.label}
            href={f.value ? `/admin/events?status=${f.value}` : '/admin/events'}
            aria-current={f.value === status ? 'page' : undefined}
            className={`rounded-full px-3 py-1.5 font-medium ring-1 ring-inset ${f.value === status ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      {events.length === 0 ? (
        <EmptyState title={`No ${status ?? ''} events.`} className="mt-6">
          Create an event for one of your venues; it stays a draft until you publish it.
        </EmptyState>
      ) : (
        <AdminTable
          className="mt-6"
          columns={[
            { label: 'Event' },
            { label: 'Starts' },
            { label: 'Status' },
            { label: 'Sold', numeric: true },
            { label: 'Actions', hidden: true },
          ]}
        >
          {events.map((e) => (
            <tr key={e.id}>
              <th scope="row" className="px-4 py-3 font-normal">
                <span className="block font-semibold text-slate-900">{e.name}</span>
                <span className="block text-slate-600">
                  {e.venueName}, {e.city}
                </span>
              </th>
              <td className="whitespace-nowrap px-4 py-3 text-slate-700">
                {formatDateTime(new Date(e.startsAt), e.timezone)}
              </td>
              <td className="px-4 py-3">
                <EventStatusBadge status={e.status} />
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right tabular-nums">
                {e.status === 'draft' ? '—' : `${e.sold.toLocaleString('en')} / ${e.seatsTotal.toLocaleString('en')}`}
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                <Link href={`/admin/events/${e.id}/edit`} className="font-semibold text-brand-700 hover:underline">
                  Edit<span className="sr-only"> {e.name}</span>
                </Link>
                {e.status !== 'draft' && (
                  <>
                    <Link href={`/admin/events/${e.id}`} className="ml-4 font-semibold text-brand-700 hover:underline">
                      Dashboard<span className="sr-only"> of {e.name}</span>
                    </Link>
                    <Link
                      href={`/admin/events/${e.id}/seats`}
                      className="ml-4 font-semibold text-brand-700 hover:underline"
                    >
                      Seats<span className="sr-only"> of {e.name}</span>
                    </Link>
                  </>
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </div>
  );
}
