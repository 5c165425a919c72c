import { getDb } from '@/db/client';
import { searchCatalog } from '@/lib/catalog/catalog-reads';
import { searchQuerySchema } from '@/lib/contracts/catalog';
import { json, readQuery, route } from '@/lib/http/route';

/** Search and browse published, upcoming events. Public; answers may be a few seconds stale. */
export const GET = route('events.search', async (request) => {
  const query = readQuery(request, searchQuerySchema);
  const result = await searchCatalog(await getDb(), query);
  return json(result, { headers: { 'cache-control': 'public, max-age=5' } });
});
