import { deskCancelOrder } from '@/lib/admin/orders-desk';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/**
 * Cancel an order on the buyer's behalf under the event's refund policy (what the buyer's own button would do).
 * Needs an `Idempotency-Key`: the same key always answers the first result; the order is never refunded twice.
 */
export const POST = route(
  'admin.orders.cancel',
  { params: ['id'], auth: 'admin', idempotency: 'required' },
  async ({ params: { id }, viewer: admin, idempotencyKey }) =>
    json(await deskCancelOrder(await checkoutDeps(), admin, id, 'cancel', idempotencyKey)),
);
