'use server';

import { checkoutHold } from '@/lib/checkout/checkout-hold';
import { checkoutDeps } from '@/lib/checkout/deps';
import type { ActionResult } from '@/lib/contracts/action-result';
import { payActionSchema, type CheckoutResult } from '@/lib/contracts/checkout';
import { action } from '@/lib/http/action';

/** POST /api/checkout's guards and function, with the same load-shedding pool: a browser's payment is no exception. */
const pay = action(
  'checkout.create',
  { auth: 'viewer', rateLimit: 'checkout', shed: 'checkout.create', input: payActionSchema },
  async ({ viewer, input, headers }) =>
    checkoutHold(await checkoutDeps(), viewer, { ...input, cookieHeader: headers.get('cookie') }),
);

/**
 * The checkout page's payment. Actions cannot carry headers, so the idempotency key the page made once for this
 * attempt comes as an argument; a retried or double-clicked submit sends the same key and gets the first answer.
 */
export async function payAction(
  holdId: string,
  paymentMethodId: string,
  idempotencyKey: string,
  discountCode?: string,
): Promise<ActionResult<CheckoutResult>> {
  return pay({ holdId, paymentMethodId, idempotencyKey, ...(discountCode ? { discountCode } : {}) });
}
