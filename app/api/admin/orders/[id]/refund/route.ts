import { deskCancelOrder } from '@/lib/admin/orders-desk';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/**
 * Refund an order in full, whatever the event's refund policy says: the tickets are voided and the seats go back on sale.
 * Needs an `Idempotency-Key`: the same key always answers the first result; the order is never refunded twice.
 */
export const POST = route(
  'admin.orders.refund',
  { params: ['id'], auth: 'admin', idempotency: 'required' },
  async ({ params: { id }, viewer: admin, idempotencyKey }) =>
    json(await deskCancelOrder(await checkoutDeps(), admin, id, 'refund', idempotencyKey)),
);
