import type { Metadata } from 'next';
import { AdminListHeader, AdminTable } from '@/components/admin/admin-table';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { getDb } from '@/db/client';
import { listVenues } from '@/lib/admin/list-venues';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { countOf } from '@/lib/format';

export const metadata: Metadata = { title: 'Venues' };

export default async function VenuesPage({ searchParams }: { searchParams: Promise<{ created?: string }> }) {
  await requireAdminPage('/admin/venues');
  const [venues, { created }] = await Promise.all([listVenues(await getDb()), searchParams]);
  const fresh = venues.find((v) => v.id === created);
  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <AdminListHeader
        title="Venues"
        intro="Halls and stadiums with their seat layouts. Events copy a venue’s layout when they are published."
        action={<ButtonLink href="/admin/venues/new">New venue</ButtonLink>}
      />
      {fresh && (
        <p role="status" className="mt-6 rounded-lg bg-green-50 px-4 py-3 text-green-900 ring-1 ring-green-200">
          Venue “{fresh.name}” saved with {countOf(fresh.seats, 'seat', 'seats')}.
        </p>
      )}
      {venues.length === 0 ? (
        <EmptyState title="No venues yet." className="mt-8">
          Build one in the venue builder, or import a layout file.
        </EmptyState>
      ) : (
        <AdminTable
          className="mt-8"
          columns={[
            { label: 'Venue' },
            { label: 'City' },
            { label: 'Sections', numeric: true },
            { label: 'Seats', numeric: true },
            { label: 'Events', numeric: true },
            { label: 'Actions', hidden: true },
          ]}
        >
          {venues.map((v) => (
            <tr key={v.id}>
              <th scope="row" className="px-4 py-3 font-semibold text-slate-900">
                {v.name}
              </th>
              <td className="px-4 py-3 text-slate-700">
                {v.city}, {v.country}
              </td>
              <td className="px-4 py-3 text-right tabular-nums">{v.sections}</td>
              <td className="px-4 py-3 text-right tabular-nums">{v.seats.toLocaleString('en')}</td>
              <td className="px-4 py-3 text-right tabular-nums">{v.events}</td>
              <td className="whitespace-nowrap px-4 py-3 text-right">
                <a
                  href={`/api/admin/venues/${v.id}/layout`}
                  download
                  className="font-semibold text-brand-700 hover:underline"
                >
                  Export JSON<span className="sr-only"> of {v.name}</span>
                </a>
                <a
                  href={`/admin/venues/new?from=${v.id}`}
                  className="ml-4 font-semibold text-brand-700 hover:underline"
                >
                  Copy<span className="sr-only"> {v.name} into the builder</span>
                </a>
              </td>
            </tr>
          ))}
        </AdminTable>
      )}
    </div>
  );
}
