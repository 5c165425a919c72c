import { getDb } from '@/db/client';
import { publishEvent } from '@/lib/admin/publish-event';
import { clearCatalogCache } from '@/lib/catalog/catalog-reads';
import { json, route } from '@/lib/http/route';
import { forgetSaleRules } from '@/lib/inventory';

/** Publish a draft: copies the venue layout into the event's seats with their prices. 409 unless it is a draft. */
export const POST = route(
  'admin.events.publish',
  { params: ['id'], auth: 'admin' },
  async ({ params: { id }, viewer: admin }) => {
    const result = await publishEvent(await getDb(), id, admin.id);
    forgetSaleRules(id);
    clearCatalogCache();
    return json({ id, status: 'published', seats: result.seats });
  },
);
