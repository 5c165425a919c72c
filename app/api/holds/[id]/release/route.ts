import { json, route } from '@/lib/http/route';
import { inventoryDeps, releaseHold } from '@/lib/inventory';

/**
 * The same as DELETE /api/holds/{id}, as a POST with no body: what navigator.sendBeacon can send when a buyer
 * leaves the seat map with seats held.
 */
export const POST = route(
  'holds.release-beacon',
  { params: ['id'], auth: 'viewer' },
  async ({ params: { id }, viewer }) => json(await releaseHold(await inventoryDeps(), id, viewer.id)),
);
