import { getReadDb } from '@/db/client';
import { searchCatalog } from '@/lib/catalog/catalog-reads';
import { searchQuerySchema } from '@/lib/contracts/catalog';
import { json, readQuery, route } from '@/lib/http/route';

/**
 * Search and browse published, upcoming events. Public. The server answers repeated searches from memory until the
 * catalog changes (docs/decisions/018-search-cache.md); browsers and shared caches may keep an answer 5 s.
 */
export const GET = route('events.search', {}, async ({ request }) => {
  const query = readQuery(request, searchQuerySchema);
  const result = await searchCatalog(await getReadDb(), query);
  return json(result, { headers: { 'cache-control': 'public, max-age=5' } });
});
