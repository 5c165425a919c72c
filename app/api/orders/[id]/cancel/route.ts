import { cancelOrder } from '@/lib/checkout/cancel-order';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/** Cancel a paid order under the event's refund policy. Repeating it answers with the first result. */
export const POST = route('orders.cancel', { params: ['id'], auth: 'viewer' }, async ({ params: { id }, viewer }) =>
  json(await cancelOrder(await checkoutDeps(), viewer, id)),
);
