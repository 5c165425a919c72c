import { getDb } from '@/db/client';
import { importVenue } from '@/lib/admin/import-venue';
import { listVenues } from '@/lib/admin/list-venues';
import { json, readJsonText, route } from '@/lib/http/route';

/** Every venue with its size. */
export const GET = route('admin.venues.list', { auth: 'admin' }, async () =>
  json({ venues: await listVenues(await getDb()) }),
);

/**
 * Create a venue from a layout document (docs/venue-layout.md), from the builder or an imported file
 * (`?source=import`). 201 with its id; 422 naming the line and reason of every problem. The body is read as text,
 * not through a schema, because the problems name its lines.
 */
export const POST = route('admin.venues.create', { auth: 'admin' }, async ({ request, viewer: admin }) => {
  const text = await readJsonText(request, { maxBytes: 16 * 1024 * 1024 });
  const source = new URL(request.url).searchParams.get('source') === 'import' ? 'import' : 'builder';
  const venue = await importVenue(await getDb(), text, admin.id, source);
  return json(venue, { status: 201, headers: { location: `/api/admin/venues/${venue.id}` } });
});
