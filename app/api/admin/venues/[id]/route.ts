import { getDb } from '@/db/client';
import { getVenueLayout, getVenueOrThrow } from '@/lib/admin/get-venue-layout';
import { requireAdmin } from '@/lib/auth/viewer';
import { json, route } from '@/lib/http/route';

/** A venue with its layout document. */
export const GET = route<{ id: string }>('admin.venues.get', async (request, { id }) => {
  await requireAdmin(request.headers);
  const db = await getDb();
  const venue = await getVenueOrThrow(db, id);
  return json({ id: venue.id, name: venue.name, city: venue.city, createdAt: venue.createdAt.toISOString(), layout: await getVenueLayout(db, id) });
});
