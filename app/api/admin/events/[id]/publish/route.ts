import { getDb } from '@/db/client';
import { publishEvent } from '@/lib/admin/publish-event';
import { requireAdmin } from '@/lib/auth/viewer';
import { clearCatalogCache } from '@/lib/catalog/catalog-reads';
import { json, route } from '@/lib/http/route';
import { forgetSaleRules } from '@/lib/inventory';

/** Publish a draft: copies the venue layout into the event's seats with their prices. 409 unless it is a draft. */
export const POST = route<{ id: string }>('admin.events.publish', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const result = await publishEvent(await getDb(), id, admin.id);
  forgetSaleRules(id);
  clearCatalogCache();
  return json({ id, status: 'published', seats: result.seats });
});
