import type { Metadata } from 'next';
import { EventForm } from '@/components/admin/event-form';
import { getDb } from '@/db/client';
import { listVenueChoices } from '@/lib/admin/list-venue-sections';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { timeZoneNames } from '@/lib/contracts/time-zone';

export const metadata: Metadata = { title: 'New event' };

export default async function NewEventPage() {
  await requireAdminPage('/admin/events/new');
  const venues = await listVenueChoices(await getDb());
  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">New event</h1>
      <p className="mt-1 text-slate-700">An event starts as a draft: buyers see it only after you publish it.</p>
      <div className="mt-6">
        <EventForm venues={venues} timeZones={timeZoneNames()} />
      </div>
    </div>
  );
}
