import type { Metadata } from 'next';
import Link from 'next/link';
import { BoxOffice } from '@/components/admin/box-office';
import { getDb } from '@/db/client';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';

export const metadata: Metadata = { title: 'Box-office seats' };

export default async function EventSeatsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}/seats`);
  const { event } = await loadOrNotFound(async () => getEventForEdit(await getDb(), id));
  return (
    <div className="mx-auto max-w-7xl px-4 py-8">
      <p className="text-sm">
        <Link href={`/admin/events/${event.id}/edit`} className="font-semibold text-brand-700 hover:underline">
          ← {event.name}
        </Link>
      </p>
      <h1 className="mt-1 text-3xl font-bold tracking-tight">Box-office holds and kills</h1>
      <p className="mt-1 max-w-3xl text-slate-700">
        Blocked seats read as not for sale to buyers until you release them. Every change is written to the audit log
        with its reason.
      </p>
      {event.status === 'published' ? (
        <BoxOffice eventId={event.id} eventName={event.name} />
      ) : (
        <p className="mt-6 rounded-lg bg-amber-50 px-4 py-3 text-amber-900 ring-1 ring-amber-200">
          {event.status === 'draft'
            ? 'Publish the event first: a draft has no seats of its own yet.'
            : 'This event was cancelled; its seats no longer change.'}
        </p>
      )}
    </div>
  );
}
