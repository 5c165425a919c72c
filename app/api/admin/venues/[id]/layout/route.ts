import { getDb } from '@/db/client';
import { getVenueLayout } from '@/lib/admin/get-venue-layout';
import { layoutToFile } from '@/lib/admin/layout-json';
import { requireAdmin } from '@/lib/auth/viewer';
import { route } from '@/lib/http/route';

/** Export: the venue's layout file, ready to import elsewhere (docs/venue-layout.md). */
export const GET = route<{ id: string }>('admin.venues.layout', async (request, { id }) => {
  await requireAdmin(request.headers);
  const layout = await getVenueLayout(await getDb(), id);
  const filename = `${layout.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'venue'}.layout.json`;
  return new Response(layoutToFile(layout), {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${filename}"` },
  });
});
