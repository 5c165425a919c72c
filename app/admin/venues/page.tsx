import type { Metadata } from 'next';
import { ButtonLink } from '@/components/ui/button';
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
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Venues</h1>
          <p className="mt-1 text-slate-700">
            Halls and stadiums with their seat layouts. Events copy a venue’s layout when they are published.
          </p>
        </div>
        <ButtonLink href="/admin/venues/new">New venue</ButtonLink>
      </div>
      {fresh && (
        <p role="status" className="mt-6 rounded-lg bg-green-50 px-4 py-3 text-green-900 ring-1 ring-green-200">
          Venue “{fresh.name}” saved with {countOf(fresh.seats, 'seat', 'seats')}.
        </p>
      )}
      {venues.length === 0 ? (
        <div className="mt-8 rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
          <p className="font-semibold">No venues yet.</p>
          <p className="mt-1 text-slate-600">Build one in the venue builder, or import a layout file.</p>
        </div>
      ) : (
        <div className="relative mt-8 overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">
                  Venue
                </th>
                <th scope="col" className="px-4 py-3 font-semibold">
                  City
                </th>
                <th scope="col" className="px-4 py-3 text-right font-semibold">
                  Sections
                </th>
                <th scope="col" className="px-4 py-3 text-right font-semibold">
                  Seats
                </th>
                <th scope="col" className="px-4 py-3 text-right font-semibold">
                  Events
                </th>
                <th scope="col" className="px-4 py-3 font-semibold">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
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
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
