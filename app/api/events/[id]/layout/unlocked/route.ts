import { getDb, getReadDb } from '@/db/client';
import { route } from '@/lib/http/route';
import { getLayoutFor, layoutAudience } from '@/lib/inventory';

/**
 * The seat layout with the hidden tiers this caller may see: those its admission's presale codes unlock, or every
 * tier for organizers and box-office staff; without either, the public layout. It depends on who asks, so no shared
 * cache may keep it (private, revalidated by ETag).
 */
export const GET = route('events.layout-unlocked', { params: ['id'], auth: 'optional' }, async (ctx) => {
  const { request, viewer, params } = ctx;
  const audience = await layoutAudience(viewer, request.headers.get('cookie'), params.id, Date.now());
  const layout = await getLayoutFor(await getReadDb(), await getDb(), params.id, audience);
  const headers = { etag: layout.etag, 'cache-control': 'private, no-cache', vary: 'Cookie' };
  if (request.headers.get('if-none-match') === layout.etag) return new Response(null, { status: 304, headers });
  return new Response(layout.body, { headers: { ...headers, 'content-type': 'application/json' } });
});
