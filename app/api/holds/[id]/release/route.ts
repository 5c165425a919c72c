import { requireViewer } from '@/lib/auth/viewer';
import { json, route } from '@/lib/http/route';
import { inventoryDeps, releaseHold } from '@/lib/inventory';

/**
 * The same as DELETE /api/holds/{id}, as a POST with no body: what navigator.sendBeacon can send when a buyer
 * leaves the seat map with seats held.
 */
export const POST = route<{ id: string }>('holds.release-beacon', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  return json(await releaseHold(await inventoryDeps(), id, viewer.id));
});
