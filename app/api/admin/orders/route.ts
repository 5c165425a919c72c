import { getDb } from '@/db/client';
import { orderSearchQuerySchema } from '@/lib/admin/orders-desk-contract';
import { searchOrders } from '@/lib/admin/orders-desk';
import { json, readQuery, route } from '@/lib/http/route';

/** Orders desk search: `?q=` a reference, an email or a name (at least two characters); without it the latest orders. Newest first. */
export const GET = route('admin.orders.search', { auth: 'admin' }, async ({ request }) => {
  const query = readQuery(request, orderSearchQuerySchema);
  return json({ orders: await searchOrders(await getDb(), query) });
});
