import { json, route } from '@/lib/http/route';
import { getHoldForViewer, inventoryDeps, releaseHold } from '@/lib/inventory';

/** A hold with its seats and prices, for its owner; anyone else gets 404. */
export const GET = route('holds.get', { params: ['id'], auth: 'viewer' }, async ({ params: { id }, viewer }) => {
  const { db, now } = await inventoryDeps();
  return json(await getHoldForViewer(db, id, viewer, now()));
});

/** Release the hold's seats (owner only; repeating it is harmless). */
export const DELETE = route('holds.release', { params: ['id'], auth: 'viewer' }, async ({ params: { id }, viewer }) =>
  json(await releaseHold(await inventoryDeps(), id, viewer.id)),
);
