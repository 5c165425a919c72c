import { requireViewer } from '@/lib/auth/viewer';
import { checkoutDeps } from '@/lib/checkout/deps';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { checkoutRequestSchema, idempotencyKeySchema } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { json, parseWith, readJson, route } from '@/lib/http/route';

/**
 * Pay for a hold: `{ holdId, paymentMethodId }` with an `Idempotency-Key` header. 201 paid (tickets issued), 202
 * processing (poll the order), 402 declined (the hold stays), 409 hold ended / seats lost and refunded / another
 * payment running, 422 key reused with another body. The same key and body always get the first answer.
 */
export const POST = route('checkout.create', async (request) => {
  const viewer = await requireViewer(request.headers);
  const header = request.headers.get('idempotency-key');
  if (!header) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (for example a UUID made once per payment attempt) and reuse it on retries.');
  const key = parseWith(idempotencyKeySchema, header);
  const body = await readJson(request, checkoutRequestSchema, { maxBytes: 4 * 1024 });
  const result = await payForHold(await checkoutDeps(), viewer, body, key);
  return json(result, { status: result.outcome === 'paid' ? 201 : 202, headers: { location: `/api/orders/${result.orderId}` } });
});
