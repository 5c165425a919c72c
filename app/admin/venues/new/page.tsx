import type { Metadata } from 'next';
import { VenueBuilder } from '@/components/admin/venue-builder';
import { getDb } from '@/db/client';
import { getVenueLayout } from '@/lib/admin/get-venue-layout';
import { requireAdminPage } from '@/lib/auth/page-guards';
import { timeZoneNames } from '@/lib/contracts/time-zone';
import { isAppError } from '@/lib/errors';

export const metadata: Metadata = { title: 'Venue builder' };

/**
 * The venue builder. A venue's seats cannot change once events were published from it (their seats point at
 * them), so "editing" a venue means copying its layout here (`?from=<id>`) and saving a new venue.
 */
export default async function NewVenuePage({ searchParams }: { searchParams: Promise<{ from?: string }> }) {
  await requireAdminPage('/admin/venues/new');
  const { from } = await searchParams;
  let initial = null;
  if (from) {
    try {
      const layout = await getVenueLayout(await getDb(), from);
      initial = { ...layout, name: `${layout.name} (copy)` };
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  return (
    <div className="mx-auto max-w-7xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">Venue builder</h1>
      <p className="mt-1 max-w-3xl text-slate-700">
        Sections are made of rows: give each row its seat count, aisles and accessible seats; the preview is the seat
        map buyers will see. Large venues are easier to import as a layout file (see{' '}
        <a className="font-semibold text-brand-700 underline" href="/venue-layout.schema.json">
          the JSON Schema
        </a>
        ).
      </p>
      <VenueBuilder initial={initial} timeZones={timeZoneNames()} />
    </div>
  );
}
