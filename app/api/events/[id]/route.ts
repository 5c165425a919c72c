import { getReadDb } from '@/db/client';
import { readEventDetails } from '@/lib/catalog/catalog-reads';
import { json, route } from '@/lib/http/route';

/** Event details with seats left per section and tier. Drafts exist only for admins; others get 404. */
export const GET = route('events.details', { params: ['id'], auth: 'optional' }, async ({ params: { id }, viewer }) => {
  const details = await readEventDetails(await getReadDb(), id, { includeDrafts: viewer?.role === 'admin' });
  return json(details, {
    headers: { 'cache-control': details.status === 'draft' ? 'private, no-store' : 'public, max-age=5' },
  });
});
