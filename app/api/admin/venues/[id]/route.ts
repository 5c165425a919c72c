import { getDb } from '@/db/client';
import { getVenueLayout, getVenueOrThrow } from '@/lib/admin/get-venue-layout';
import { json, route } from '@/lib/http/route';

/** A venue with its layout document. */
export const GET = route('admin.venues.get', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) => {
  const db = await getDb();
  const venue = await getVenueOrThrow(db, id);
  return json({
    id: venue.id,
    name: venue.name,
    city: venue.city,
    createdAt: venue.createdAt.toISOString(),
    layout: await getVenueLayout(db, id),
  });
});
