import { listOrdersForViewer } from '@/lib/checkout/list-orders-for-viewer';
import { orderListQuerySchema } from '@/lib/contracts/checkout';
import { getDb } from '@/db/client';
import { json, readQuery, route } from '@/lib/http/route';

/** The signed-in buyer's orders, newest first (`?cursor=<createdAt of the last one>&limit=`). */
export const GET = route('orders.list', { auth: 'viewer' }, async ({ request, viewer }) => {
  const query = readQuery(request, orderListQuerySchema);
  const orders = await listOrdersForViewer(await getDb(), viewer.id, query);
  return json({ orders, nextCursor: orders.length === query.limit ? orders.at(-1)!.createdAt : null });
});
