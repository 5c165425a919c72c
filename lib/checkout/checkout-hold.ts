import 'server-only';
import type { CheckoutRequest, CheckoutResult } from '@/lib/contracts/checkout';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { checkoutGuards } from './checkout-guards';
import type { CheckoutDeps } from './deps';
import { payForHold, type Buyer } from './pay-for-hold';

/** A checkout as it arrives from the buyer: the payment, its idempotency key, and the cookies that carry admission. */
export type CheckoutHoldInput = CheckoutRequest & { idempotencyKey: string; cookieHeader: string | null };

/**
 * POST /api/checkout and the checkout page's action, the one function both call: the buyer's waiting-room guards,
 * built from the request's cookies, become the payment's dependencies, and payForHold takes it from there.
 */
export async function checkoutHold(
  deps: CheckoutDeps,
  buyer: Buyer,
  input: CheckoutHoldInput,
): Promise<CheckoutResult> {
  const { holdId, paymentMethodId, idempotencyKey, cookieHeader, discountCode } = input;
  // A code guessed by brute force through payments: counted per account, as the checkout page's preview is.
  if (discountCode) await enforceRateLimit('discount-code', { accountId: buyer.id });
  return payForHold(
    { ...deps, guards: checkoutGuards(deps, cookieHeader, buyer) },
    buyer,
    { holdId, paymentMethodId, ...(discountCode ? { discountCode } : {}) },
    idempotencyKey,
  );
}
