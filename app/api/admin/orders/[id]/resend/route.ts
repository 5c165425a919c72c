import { resendConfirmation } from '@/lib/admin/orders-desk';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/** Sends the order confirmation again through the outbox (paid orders only); 202 with the queued email. */
export const POST = route(
  'admin.orders.resend',
  { params: ['id'], auth: 'admin' },
  async ({ params: { id }, viewer: admin }) =>
    json(await resendConfirmation(await checkoutDeps(), admin, id), { status: 202 }),
);
