import { changeSeatBlocks } from '@/lib/admin/box-office';
import { requireAdmin } from '@/lib/auth/viewer';
import { seatBlockSchema } from '@/lib/contracts/admin-event';
import { json, readJson, route } from '@/lib/http/route';
import { inventoryDeps } from '@/lib/inventory';

/** Box office: put blocked seats back on sale. Body {seatIds, reason}; answers which seats changed and which were skipped. */
export const POST = route<{ id: string }>('admin.seats.unblock', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const body = await readJson(request, seatBlockSchema, { maxBytes: 128 * 1024 });
  return json(await changeSeatBlocks(await inventoryDeps(), { eventId: id, action: 'unblock', actorId: admin.id, body }));
});
