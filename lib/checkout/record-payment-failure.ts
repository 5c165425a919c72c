import 'server-only';
import { and, eq } from 'drizzle-orm';
import { orders, payments, type Order } from '@/db/schema';
import type { CheckoutDeps } from './deps';

/**
 * A declined or failed payment fails its order (the seats stay held for another card). Conditional on both rows
 * still being in flight, so a late or repeated failure report never undoes a success.
 */
export async function recordPaymentFailure(
  deps: Pick<CheckoutDeps, 'db' | 'now'>,
  input: { orderId: string; paymentId?: string; providerPaymentId?: string; code: string; message: string },
): Promise<Order> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for('update');
    if (!order) throw new Error(`recordPaymentFailure: no order ${input.orderId}`);
    const which = input.paymentId
      ? eq(payments.id, input.paymentId)
      : eq(payments.providerPaymentId, input.providerPaymentId ?? '');
    await tx
      .update(payments)
      .set({ status: 'failed', failureCode: input.code, failureMessage: input.message, updatedAt: now })
      .where(and(which, eq(payments.orderId, order.id), eq(payments.status, 'processing')));
    if (order.status !== 'pending') return order;
    const [failed] = await tx
      .update(orders)
      .set({ status: 'failed', failureCode: input.code, failureMessage: input.message, updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending')))
      .returning();
    return failed!;
  });
}
