import { requireViewer } from '@/lib/auth/viewer';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/** Cancel a paid order under the event's refund policy. Repeating it answers with the first result. */
export const POST = route<{ id: string }>('orders.cancel', async (request, { id }) => {
  const viewer = await requireViewer(request.headers);
  return json(await cancelOrder(await checkoutDeps(), viewer, id));
});
