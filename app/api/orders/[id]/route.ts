import { getDb } from '@/db/client';
import { requireViewer } from '@/lib/auth/viewer';
import { getOrderForViewer } from '@/lib/checkout/get-order-for-viewer';
import { json, route } from '@/lib/http/route';

/** One order with its seats, tickets and refunds; 404 for anyone but its buyer or an admin. */
export const GET = route<{ id: string }>('orders.get', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  return json(await getOrderForViewer(await getDb(), id, viewer));
});
