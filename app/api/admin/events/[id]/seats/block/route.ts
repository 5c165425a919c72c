import { changeSeatBlocks } from '@/lib/admin/box-office';
import { requireAdmin } from '@/lib/auth/viewer';
import { seatBlockSchema } from '@/lib/contracts/admin-event';
import { json, readJson, route } from '@/lib/http/route';
import { inventoryDeps } from '@/lib/inventory';

/** Box office: take available seats off sale (a held or sold seat is skipped). Body {seatIds, reason}; answers which seats changed and which were skipped. */
export const POST = route<{ id: string }>('admin.seats.block', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const body = await readJson(request, seatBlockSchema, { maxBytes: 128 * 1024 });
  return json(await changeSeatBlocks(await inventoryDeps(), { eventId: id, action: 'block', actorId: admin.id, body }));
});
