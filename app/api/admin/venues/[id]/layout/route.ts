import { getDb } from '@/db/client';
import { getVenueLayout } from '@/lib/admin/get-venue-layout';
import { layoutToFile } from '@/lib/admin/layout-json';
import { route } from '@/lib/http/route';

/** Export: the venue's layout file, ready to import elsewhere (docs/venue-layout.md). */
export const GET = route('admin.venues.layout', { params: ['id'], auth: 'admin' }, async ({ params: { id } }) => {
  const layout = await getVenueLayout(await getDb(), id);
  const filename = `${
    layout.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'venue'
  }.layout.json`;
  return new Response(layoutToFile(layout), {
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-disposition': `attachment; filename="${filename}"`,
    },
  });
});
