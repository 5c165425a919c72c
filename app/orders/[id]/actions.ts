'use server';

import { cancelOrder } from '@/lib/checkout/cancel-order';
import { checkoutDeps } from '@/lib/checkout/deps';
import type { ActionResult } from '@/lib/contracts/action-result';
import { cancelOrderActionSchema, type CancelResult } from '@/lib/contracts/checkout';
import { action } from '@/lib/http/action';

const cancel = action('orders.cancel', { auth: 'viewer', input: cancelOrderActionSchema }, async ({ viewer, input }) =>
  cancelOrder(await checkoutDeps(), viewer, input.orderId),
);

/** The order page's cancel button (the same as POST /api/orders/{id}/cancel; repeating it is harmless). */
export async function cancelOrderAction(orderId: string): Promise<ActionResult<CancelResult>> {
  return cancel({ orderId });
}
