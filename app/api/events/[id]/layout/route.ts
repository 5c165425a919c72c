import { getReadDb } from '@/db/client';
import { route } from '@/lib/http/route';
import { getLayout } from '@/lib/inventory';

/** The published seat layout: immutable, so cached for a day and revalidated by ETag. */
export const GET = route('events.layout', { params: ['id'] }, async ({ request, params: { id } }) => {
  const layout = await getLayout(await getReadDb(), id);
  const headers = { etag: layout.etag, 'cache-control': 'public, max-age=86400, stale-while-revalidate=604800' };
  if (request.headers.get('if-none-match') === layout.etag) return new Response(null, { status: 304, headers });
  return new Response(layout.body, { headers: { ...headers, 'content-type': 'application/json' } });
});
