import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { orders, payments, refunds, type Refund } from '@/db/schema';
import type { CheckoutDeps } from './deps';
import { recordRefund } from './metrics';

/**
 * Pays out a recorded refund through the provider, with the refund's id as the idempotency key: however often this
 * runs (a second cancel, reconciliation, a crash and retry), the money goes back once. The order's refunded amount
 * grows only with the conditional update that moves the refund from pending to succeeded.
 */
export async function issueRefund(deps: CheckoutDeps, refundId: string): Promise<Refund> {
  const [row] = await deps.db
    .select({ refund: refunds, providerPaymentId: payments.providerPaymentId })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(eq(refunds.id, refundId));
  if (!row) throw new Error(`issueRefund: no refund ${refundId}`);
  if (row.refund.status !== 'pending') return row.refund;
  if (!row.providerPaymentId) throw new Error(`issueRefund: payment of refund ${refundId} has no provider id`);

  const outcome = await deps.payments.refund(
    {
      refundId,
      orderId: row.refund.orderId,
      providerPaymentId: row.providerPaymentId,
      amountMinor: row.refund.amountMinor,
      reason: row.refund.reason,
    },
    `refund_${refundId}`,
  );
  return settleRefund(deps, refundId, outcome.status, outcome.providerRefundId);
}

/** Records the provider's answer on a pending refund (from the call above or a webhook); a settled one stays. */
export async function settleRefund(
  deps: Pick<CheckoutDeps, 'db' | 'now'>,
  refundId: string,
  status: 'succeeded' | 'pending' | 'failed',
  providerRefundId: string,
): Promise<Refund> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    if (status === 'pending') {
      await tx
        .update(refunds)
        .set({ providerRefundId, updatedAt: now })
        .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')));
    } else {
      const [settled] = await tx
        .update(refunds)
        .set({ status, providerRefundId, updatedAt: now })
        .where(and(eq(refunds.id, refundId), eq(refunds.status, 'pending')))
        .returning();
      if (settled) recordRefund(status);
      if (settled && status === 'succeeded') {
        await tx
          .update(orders)
          .set({
            refundedMinor: sql`least(${orders.refundedMinor} + ${settled.amountMinor}, ${orders.totalMinor})`,
            // A cancelled order becomes refunded once the money is back; a failed one (seats lost) stays failed.
            status: sql`case when ${orders.status} = 'cancelled' then 'refunded' else ${orders.status} end`,
            updatedAt: now,
          })
          .where(eq(orders.id, settled.orderId));
      }
    }
    const [current] = await tx.select().from(refunds).where(eq(refunds.id, refundId));
    return current!;
  });
}
