import { checkoutHold } from '@/lib/checkout/checkout-hold';
import { checkoutDeps } from '@/lib/checkout/deps';
import { checkoutRequestSchema } from '@/lib/contracts/checkout';
import { json, route } from '@/lib/http/route';

/**
 * Pay for a hold: `{ holdId, paymentMethodId }` with an `Idempotency-Key` header. 201 paid (tickets issued), 202
 * processing (poll the order), 402 declined (the hold stays), 403 not admitted by the waiting room, 409 hold ended /
 * seats lost and refunded / another payment running, 422 key reused with another body, 429 too many attempts.
 * The same key and body always get the first answer.
 */
export const POST = route(
  'checkout.create',
  {
    auth: 'viewer',
    rateLimit: 'checkout',
    idempotency: 'required',
    body: { schema: checkoutRequestSchema, maxBytes: 4 * 1024 },
    shed: true,
  },
  async ({ request, viewer, idempotencyKey, body }) => {
    const result = await checkoutHold(await checkoutDeps(), viewer, {
      ...body,
      idempotencyKey,
      cookieHeader: request.headers.get('cookie'),
    });
    return json(result, {
      status: result.outcome === 'paid' ? 201 : 202,
      headers: { location: `/api/orders/${result.orderId}` },
    });
  },
);
