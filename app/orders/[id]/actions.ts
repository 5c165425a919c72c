'use server';

import { headers } from 'next/headers';
import { requireViewer } from '@/lib/auth/viewer';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { checkoutDeps } from '@/lib/checkout/deps';
import type { CancelResult } from '@/lib/contracts/checkout';
import { AppError, isAppError, toProblem, type Problem } from '@/lib/errors';
import { log } from '@/lib/observability/log';

export type CancelActionResult = { ok: true; result: CancelResult } | { ok: false; problem: Problem };

/** The order page's cancel button (the same as POST /api/orders/{id}/cancel; repeating it is harmless). */
export async function cancelOrderAction(orderId: string): Promise<CancelActionResult> {
  try {
    const viewer = await requireViewer(await headers());
    return { ok: true, result: await cancelOrder(await checkoutDeps(), viewer, orderId) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, problem: toProblem(error) };
    log().error({ err: error, orderId }, 'cancel action failed');
    return { ok: false, problem: toProblem(new AppError('INTERNAL', 'We could not cancel the order just now. Try again in a moment.')) };
  }
}
