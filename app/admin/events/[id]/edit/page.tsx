import type { Metadata } from 'next';
import Link from 'next/link';
import { EventForm } from '@/components/admin/event-form';
import { PublishPanel } from '@/components/admin/publish-panel';
import { EventStatusBadge } from '@/components/admin/status-badge';
import { getDb } from '@/db/client';
import { getEventForEdit } from '@/lib/admin/get-event-for-edit';
import { listVenueChoices } from '@/lib/admin/list-venue-sections';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { PUBLISHED_LOCKED_FIELDS } from '@/lib/contracts/admin-event';
import { timeZoneNames } from '@/lib/contracts/time-zone';
import { formatDateTime } from '@/lib/format';
import { loadOrNotFound } from '@/lib/http/load-or-not-found';

export const metadata: Metadata = { title: 'Edit event' };

export default async function EditEventPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const { id } = await params;
  await requireAdminPage(`/admin/events/${id}/edit`);
  const db = await getDb();
  const found = await loadOrNotFound(getEventForEdit(db, id));
  const [venues, { created }] = await Promise.all([listVenueChoices(db), searchParams]);
  const { event, input } = found;
  const venue = venues.find((v) => v.id === event.venueId);
  const lockedFields: string[] =
    event.status === 'draft' ? [] : event.status === 'published' ? [...PUBLISHED_LOCKED_FIELDS] : Object.keys(input);
  const values = {
    ...input,
    imageUrl: input.imageUrl ?? null,
    startsAt: input.startsAt.toISOString(),
    onSaleAt: input.onSaleAt.toISOString(),
    prequeueOpensAt: input.prequeueOpensAt?.toISOString() ?? null,
  };
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">{event.name}</h1>
        <EventStatusBadge status={event.status} />
      </div>
      <p className="mt-1 text-slate-700">
        {found.venueName} · {formatDateTime(event.startsAt, event.timezone)}
        {event.status !== 'draft' && (
          <>
            {' '}
            ·{' '}
            <Link href={`/admin/events/${event.id}`} className="font-semibold text-brand-700 hover:underline">
              Dashboard
            </Link>{' '}
            ·{' '}
            <Link href={`/admin/events/${event.id}/seats`} className="font-semibold text-brand-700 hover:underline">
              Box office seats
            </Link>{' '}
            ·{' '}
            <Link href={`/events/${event.id}`} className="font-semibold text-brand-700 hover:underline">
              Public page
            </Link>
          </>
        )}
      </p>
      {created && event.status === 'draft' && (
        <p role="status" className="mt-4 rounded-lg bg-green-50 px-4 py-3 text-green-900 ring-1 ring-green-200">
          Draft saved. Check the tiers of every section, then publish.
        </p>
      )}
      {event.status === 'draft' && (
        <div className="mt-6">
          <PublishPanel
            eventId={event.id}
            seatCount={venue?.seats ?? 0}
            onSale={formatDateTime(event.onSaleAt, event.timezone)}
          />
        </div>
      )}
      <div className="mt-6">
        <EventForm
          key={`${event.id}:${event.status}:${event.updatedAt.getTime()}`}
          venues={venues}
          timeZones={timeZoneNames()}
          existing={{ id: event.id, status: event.status, values, lockedFields }}
        />
      </div>
    </div>
  );
}
