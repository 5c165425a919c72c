import { getDb, getReadDb } from '@/db/client';
import { route } from '@/lib/http/route';
import { getLayoutFor } from '@/lib/inventory';

/**
 * The published seat layout, as everyone may see it (hidden tiers left out): the same document for everyone, so
 * cached for a day and revalidated by ETag. A buyer whose presale code unlocks a hidden tier gets it from
 * /layout/unlocked instead.
 */
export const GET = route('events.layout', { params: ['id'] }, async ({ request, params: { id } }) => {
  const layout = await getLayoutFor(await getReadDb(), await getDb(), id);
  const headers = { etag: layout.etag, 'cache-control': 'public, max-age=86400, stale-while-revalidate=604800' };
  if (request.headers.get('if-none-match') === layout.etag) return new Response(null, { status: 304, headers });
  return new Response(layout.body, { headers: { ...headers, 'content-type': 'application/json' } });
});
