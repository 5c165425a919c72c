import { deskCancelOrder } from '@/lib/admin/orders-desk';
import { requireAdmin } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { idempotencyKeySchema } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { json, parseWith, route } from '@/lib/http/route';

/**
 * Cancel an order on the buyer's behalf under the event's refund policy (what the buyer's own button would do).
 * Needs an `Idempotency-Key`: the same key always answers the first result; the order is never refunded twice.
 */
export const POST = route<{ id: string }>('admin.orders.cancel', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const header = request.headers.get('idempotency-key');
  if (!header) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (a UUID made once per attempt) and reuse it on retries.');
  const key = parseWith(idempotencyKeySchema, header);
  return json(await deskCancelOrder(await checkoutDeps(), admin, id, 'cancel', key));
});
