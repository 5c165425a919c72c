import { deskCancelOrder } from '@/lib/admin/orders-desk';
import { requireAdmin } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { idempotencyKeySchema } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { json, parseWith, route } from '@/lib/http/route';

/**
 * Refund an order in full, whatever the event's refund policy says: the tickets are voided and the seats go back on sale.
 * Needs an `Idempotency-Key`: the same key always answers the first result; the order is never refunded twice.
 */
export const POST = route<{ id: string }>('admin.orders.refund', async (request, { id }) => {
  const admin = await requireAdmin(request.headers);
  const header = request.headers.get('idempotency-key');
  if (!header) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (a UUID made once per attempt) and reuse it on retries.');
  const key = parseWith(idempotencyKeySchema, header);
  return json(await deskCancelOrder(await checkoutDeps(), admin, id, 'refund', key));
});
