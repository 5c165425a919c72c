'use server';

import { headers } from 'next/headers';
import { requireViewer } from '@/lib/auth/viewer';
import { checkoutGuards } from '@/lib/checkout/checkout-guards';
import { checkoutDeps } from '@/lib/checkout/deps';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { checkoutRequestSchema, idempotencyKeySchema, type CheckoutResult } from '@/lib/contracts/checkout';
import { AppError, isAppError, toProblem, type Problem } from '@/lib/errors';
import { parseWith, sheddingFor, validationError } from '@/lib/http/route';
import { appUrl } from '@/lib/env';
import { log } from '@/lib/observability/log';
import { clientIp } from '@/lib/ratelimit/client-ip';
import { enforceRateLimit } from '@/lib/ratelimit/enforce-rate-limit';
import { ZodError } from 'zod';

export type PayActionResult = { ok: true; result: CheckoutResult } | { ok: false; problem: Problem };

/** The same per-process limit as POST /api/checkout: a browser's payment is no exception to load shedding. */
const shed = sheddingFor('checkout.create');

/**
 * The checkout page's payment. Actions cannot carry headers, so the idempotency key the page made once for this
 * attempt comes as an argument; a retried or double-clicked submit sends the same key and gets the first answer.
 */
export async function payAction(holdId: string, paymentMethodId: string, idempotencyKey: string): Promise<PayActionResult> {
  try {
    const incoming = await headers();
    const viewer = await requireViewer(incoming);
    await enforceRateLimit('checkout', { accountId: viewer.id, ip: clientIp(incoming) });
    const key = parseWith(idempotencyKeySchema, idempotencyKey);
    const request = parseWith(checkoutRequestSchema, { holdId, paymentMethodId });
    const deps = await checkoutDeps();
    // The admission check reads the cookies of the action's own request.
    const asRequest = new Request(`${appUrl()}/checkout/${encodeURIComponent(holdId)}`, { headers: incoming });
    return { ok: true, result: await shed(() => payForHold(deps, viewer, request, key, checkoutGuards(deps, asRequest, viewer))) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, problem: toProblem(error) };
    if (error instanceof ZodError) return { ok: false, problem: toProblem(validationError(error)) };
    log().error({ err: error, holdId }, 'checkout action failed');
    return { ok: false, problem: toProblem(new AppError('INTERNAL', 'We could not confirm your payment. Try again: you will not be charged twice.')) };
  }
}
