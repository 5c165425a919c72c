import { requireViewer } from '@/lib/auth/viewer';
import { checkoutGuards } from '@/lib/checkout/checkout-guards';
import { checkoutDeps } from '@/lib/checkout/deps';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { checkoutRequestSchema, idempotencyKeySchema } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { json, parseWith, readJson, route } from '@/lib/http/route';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';

/**
 * Pay for a hold: `{ holdId, paymentMethodId }` with an `Idempotency-Key` header. 201 paid (tickets issued), 202
 * processing (poll the order), 402 declined (the hold stays), 403 not admitted by the waiting room, 409 hold ended /
 * seats lost and refunded / another payment running, 422 key reused with another body, 429 too many attempts.
 * The same key and body always get the first answer.
 */
export const POST = route('checkout.create', async (request) => {
  const viewer = await requireViewer(request.headers);
  await enforceRateLimit('checkout', { accountId: viewer.id, ip: clientIp(request.headers) });
  const header = request.headers.get('idempotency-key');
  if (!header) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header (for example a UUID made once per payment attempt) and reuse it on retries.');
  const key = parseWith(idempotencyKeySchema, header);
  const body = await readJson(request, checkoutRequestSchema, { maxBytes: 4 * 1024 });
  const deps = await checkoutDeps();
  const result = await payForHold(deps, viewer, body, key, checkoutGuards(deps, request, viewer));
  return json(result, { status: result.outcome === 'paid' ? 201 : 202, headers: { location: `/api/orders/${result.orderId}` } });
}, { shed: true });
