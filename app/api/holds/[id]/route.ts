import { requireViewer } from '@/lib/auth/viewer';
import { json, route } from '@/lib/http/route';
import { getHoldForViewer, inventoryDeps, releaseHold } from '@/lib/inventory';

/** A hold with its seats and prices, for its owner; anyone else gets 404. */
export const GET = route<{ id: string }>('holds.get', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const { db, now } = await inventoryDeps();
  return json(await getHoldForViewer(db, id, viewer, now()));
});

/** Release the hold's seats (owner only; repeating it is harmless). */
export const DELETE = route<{ id: string }>('holds.release', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  const result = await releaseHold(await inventoryDeps(), id, viewer.id);
  return json(result);
});
