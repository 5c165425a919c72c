import { changeSeatBlocks } from '@/lib/admin/box-office';
import { seatBlockSchema } from '@/lib/contracts/admin-event';
import { json, route } from '@/lib/http/route';
import { inventoryDeps } from '@/lib/inventory';

/** Box office: put blocked seats back on sale. Body {seatIds, reason}; answers which seats changed and which were skipped. */
export const POST = route(
  'admin.seats.unblock',
  { params: ['id'], auth: 'admin', body: { schema: seatBlockSchema, maxBytes: 128 * 1024 } },
  async ({ params: { id }, viewer: admin, body }) =>
    json(await changeSeatBlocks(await inventoryDeps(), { eventId: id, action: 'unblock', actorId: admin.id, body })),
);
