import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { orders, payments, refunds } from '@/db/schema';
import { log } from '@/lib/observability/log';
import type { CheckoutDeps } from './deps';
import { finaliseOrder } from './finalise-order';
import { issueRefund, settleRefund } from './issue-refund';
import type { PaymentEvent } from './payment-provider';
import { recordPaymentFailure } from './record-payment-failure';

/**
 * Applies what the provider reports (a webhook, a late result, a reconciliation read). Every branch is a
 * conditional change of state, so the same event twice, or events in any order, change nothing twice:
 * a success settles a pending order once; a failure after a success is ignored; a refund settles once.
 * Returns a short outcome for the webhook log.
 */
export async function applyPaymentEvent(deps: CheckoutDeps, event: PaymentEvent): Promise<string> {
  switch (event.type) {
    case 'payment.succeeded': {
      const orderId = await orderOf(deps.db, event.providerPaymentId, event.orderId);
      if (!orderId) return 'unknown_payment';
      const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
      if (order?.status === 'failed' && !(await hasSucceededPayment(deps.db, orderId))) {
        // Money arrived for an order that had already failed: it can never get tickets, so it goes back.
        return refundStrayPayment(deps, orderId, event.providerPaymentId);
      }
      return (await finaliseOrder(deps, { orderId, providerPaymentId: event.providerPaymentId })).status;
    }
    case 'payment.failed': {
      const orderId = await orderOf(deps.db, event.providerPaymentId, event.orderId);
      if (!orderId) return 'unknown_payment';
      const order = await recordPaymentFailure(deps, {
        orderId,
        providerPaymentId: event.providerPaymentId,
        code: event.code,
        message: event.message,
      });
      return order.status === 'failed' ? 'failed' : 'unchanged';
    }
    case 'refund.succeeded':
    case 'refund.failed': {
      const [refund] = event.refundId
        ? await deps.db.select().from(refunds).where(eq(refunds.id, event.refundId))
        : await deps.db.select().from(refunds).where(eq(refunds.providerRefundId, event.providerRefundId));
      if (!refund) return 'unknown_refund';
      const settled = await settleRefund(
        deps,
        refund.id,
        event.type === 'refund.succeeded' ? 'succeeded' : 'failed',
        event.providerRefundId,
      );
      return settled.status === refund.status ? 'unchanged' : `refund_${settled.status}`;
    }
  }
}

async function orderOf(db: Database, providerPaymentId: string, orderId: string | null): Promise<string | null> {
  const [known] = await db
    .select({ orderId: payments.orderId })
    .from(payments)
    .where(eq(payments.providerPaymentId, providerPaymentId));
  if (known) return known.orderId;
  if (!orderId || !/^[0-9a-f-]{36}$/i.test(orderId)) return null;
  const [order] = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId));
  return order?.id ?? null;
}

async function hasSucceededPayment(db: Database, orderId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded')));
  return Boolean(row);
}

async function refundStrayPayment(deps: CheckoutDeps, orderId: string, providerPaymentId: string): Promise<string> {
  const refundId = await deps.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    const known = await tx.select().from(payments).where(eq(payments.orderId, orderId));
    const match =
      known.find((p) => p.providerPaymentId === providerPaymentId) ?? known.find((p) => p.providerPaymentId === null);
    let paymentId: string;
    if (match) {
      await tx
        .update(payments)
        .set({ status: 'succeeded', providerPaymentId, updatedAt: deps.now() })
        .where(eq(payments.id, match.id));
      paymentId = match.id;
    } else {
      const [inserted] = await tx
        .insert(payments)
        .values({
          orderId,
          provider: deps.payments.name,
          providerPaymentId,
          status: 'succeeded',
          amountMinor: order!.totalMinor,
          currency: order!.currency,
        })
        .returning({ id: payments.id });
      paymentId = inserted!.id;
    }
    await tx
      .insert(refunds)
      .values({ paymentId, orderId, amountMinor: order!.totalMinor, reason: 'duplicate', status: 'pending' })
      .onConflictDoNothing();
    const [refund] = await tx
      .select({ id: refunds.id })
      .from(refunds)
      .where(and(eq(refunds.paymentId, paymentId), eq(refunds.reason, 'duplicate')));
    return refund!.id;
  });
  log().warn({ orderId, providerPaymentId }, 'payment succeeded for a failed order; refunding it');
  await issueRefund(deps, refundId);
  return 'refunded_stray_payment';
}
