import { resendConfirmation } from '@/lib/admin/orders-desk';
import { requireAdmin } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { json, route } from '@/lib/http/route';

/** Sends the order confirmation again through the outbox (paid orders only); 202 with the queued email. */
export const POST = route<{ id: string }>('admin.orders.resend', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  return json(await resendConfirmation(await checkoutDeps(), admin, id), { status: 202 });
});
