import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { events, orders, payments, type Order } from '@/db/schema';
import { log } from '@/lib/observability/log';
import type { CheckoutDeps } from './deps';
import { finaliseOrder } from './finalise-order';
import { recordPayment } from './metrics';
import { recordPaymentFailure } from './record-payment-failure';
import { recordPaymentMethod } from './record-payment-method';

/**
 * Charges a pending order with the order id as the provider's idempotency key (a retry, or reconciliation after a
 * crash, gets the first answer back instead of a second charge) and settles it: paid with tickets, failed, or left
 * processing until the provider reports. The payment row is written before the call, so a crash mid-call leaves a
 * trace that reconciliation finds.
 */
export async function chargeOrder(
  deps: CheckoutDeps,
  order: Order,
  paymentMethodId: string,
  onPaid?: (order: Order) => Promise<void>,
): Promise<Order> {
  const [existing] = await deps.db
    .select()
    .from(payments)
    .where(eq(payments.orderId, order.id))
    .orderBy(desc(payments.createdAt))
    .limit(1);
  const payment =
    existing ??
    (
      await deps.db
        .insert(payments)
        .values({
          orderId: order.id,
          provider: deps.payments.name,
          status: 'processing',
          amountMinor: order.totalMinor,
          currency: order.currency,
          paymentMethod: paymentMethodId,
        })
        .returning()
    )[0]!;

  const [event] = await deps.db.select({ name: events.name }).from(events).where(eq(events.id, order.eventId));
  const outcome = await deps.payments.charge(
    {
      orderId: order.id,
      amountMinor: order.totalMinor,
      currency: order.currency,
      paymentMethodId: payment.paymentMethod ?? paymentMethodId,
      description: `${event?.name ?? 'Tickets'} — order ${order.reference}`,
      email: order.email,
    },
    order.id,
  );
  recordPayment(deps.payments.name, outcome.status);

  if (outcome.providerPaymentId && !payment.providerPaymentId) {
    await deps.db
      .update(payments)
      .set({ providerPaymentId: outcome.providerPaymentId, updatedAt: deps.now() })
      .where(eq(payments.id, payment.id));
  }
  if (outcome.status === 'succeeded') {
    const settled = await finaliseOrder(deps, { orderId: order.id, providerPaymentId: outcome.providerPaymentId });
    await recordPaymentMethod(deps, payment.id, outcome.method);
    const [now] = await deps.db.select().from(orders).where(eq(orders.id, order.id));
    if (settled.status === 'paid' && onPaid) {
      await onPaid(now!).catch((error: unknown) =>
        log().warn({ err: error, orderId: order.id }, 'after-payment hook failed'),
      );
    }
    return now!;
  }
  if (outcome.status === 'declined') {
    return recordPaymentFailure(deps, {
      orderId: order.id,
      paymentId: payment.id,
      code: outcome.code,
      message: outcome.message,
    });
  }
  return order;
}
