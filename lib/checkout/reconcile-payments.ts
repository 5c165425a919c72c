import 'server-only';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { orders, payments, refunds } from '@/db/schema';
import { rows, ts } from '@/db/sql';
import { log } from '@/lib/observability/log';
import { applyPaymentEvent } from './apply-payment-event';
import { chargeOrder } from './charge-order';
import type { CheckoutDeps } from './deps';
import { deliverOutbox } from '@/lib/notifications/deliver-outbox';
import { issueRefund } from './issue-refund';
import { recordPaymentFailure } from './record-payment-failure';
import { recordPaymentMethod } from './record-payment-method';
import { purgeIdempotencyKeys } from './with-idempotency';

export type ReconcileReport = {
  paymentsChecked: number;
  ordersSettled: number;
  ordersAbandoned: number;
  refundsIssued: number;
  idempotencyKeysPurged: number;
  emailsSent: number;
  /** Succeeded payments still without tickets or a refund after this run (should be 0; alert if not). */
  unsettled: number;
};

/**
 * The safety net behind checkout: whatever crashed, timed out or never got its webhook, this finds it and finishes
 * it, so a payment that succeeded always ends with tickets or a refund.
 * 1. payments still `processing` after `graceMs`: ask the provider (or repeat the charge under the same
 *    idempotency key when we never learnt its id) and apply the answer;
 * 2. orders still pending with no payment attempt: nothing was charged, so they are failed;
 * 3. refunds still pending: paid out (same idempotency key, never twice);
 * 4. failed orders whose payment succeeded but have no refund: refunded;
 * 5. idempotency answers past their 24 hours: purged; the email outbox: delivered.
 * Safe to run concurrently and repeatedly: every step is a conditional change.
 */
export async function reconcilePayments(
  deps: CheckoutDeps,
  options: { graceMs?: number } = {},
): Promise<ReconcileReport> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - (options.graceMs ?? 2 * 60_000));
  const report: ReconcileReport = {
    paymentsChecked: 0,
    ordersSettled: 0,
    ordersAbandoned: 0,
    refundsIssued: 0,
    idempotencyKeysPurged: 0,
    emailsSent: 0,
    unsettled: 0,
  };

  const stuck = await deps.db
    .select({ payment: payments, order: orders })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(and(eq(payments.status, 'processing'), lte(payments.createdAt, cutoff)))
    .limit(200);
  for (const { payment, order } of stuck) {
    report.paymentsChecked++;
    try {
      if (!payment.providerPaymentId) {
        if (order.status === 'pending' && payment.paymentMethod) {
          const settled = await chargeOrder(deps, order, payment.paymentMethod);
          if (settled.status !== 'pending') report.ordersSettled++;
        } else {
          await recordPaymentFailure(deps, {
            orderId: order.id,
            paymentId: payment.id,
            code: 'abandoned',
            message: 'The payment was never confirmed.',
          });
        }
        continue;
      }
      const outcome = await deps.payments.retrieve(payment.providerPaymentId);
      if (outcome.status === 'succeeded') {
        await recordPaymentMethod(deps, payment.id, outcome.method);
        await applyPaymentEvent(deps, {
          type: 'payment.succeeded',
          providerPaymentId: payment.providerPaymentId,
          orderId: order.id,
        });
        report.ordersSettled++;
      } else if (outcome.status === 'declined') {
        await recordPaymentFailure(deps, {
          orderId: order.id,
          paymentId: payment.id,
          code: outcome.code,
          message: outcome.message,
        });
        report.ordersSettled++;
      }
    } catch (error) {
      log().warn(
        { err: error, paymentId: payment.id, orderId: order.id },
        'reconciliation could not settle a payment; next run retries',
      );
    }
  }

  report.ordersAbandoned = await abandonOrdersWithoutPayment(deps.db, cutoff, now);

  const orphaned = await rows<{ payment_id: string; order_id: string; total_minor: number }>(
    deps.db,
    sql`select p.id as payment_id, o.id as order_id, o.total_minor from payments p join orders o on o.id = p.order_id
        where p.status = 'succeeded' and o.status = 'failed'
          and not exists (select 1 from refunds r where r.payment_id = p.id and r.status in ('pending', 'succeeded'))`,
  );
  const created: string[] = [];
  for (const o of orphaned) {
    const [refund] = await deps.db
      .insert(refunds)
      .values({
        paymentId: o.payment_id,
        orderId: o.order_id,
        amountMinor: o.total_minor,
        reason: 'seats_lost',
        status: 'pending',
      })
      .onConflictDoNothing()
      .returning({ id: refunds.id });
    if (refund) created.push(refund.id);
  }

  // Refunds younger than the grace period are still being paid out by whoever created them.
  const pending = await deps.db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.status, 'pending'), lte(refunds.createdAt, cutoff)));
  for (const refund of [...pending, ...created.map((id) => ({ id }))]) {
    try {
      const settled = await issueRefund(deps, refund.id);
      if (settled.status === 'succeeded') report.refundsIssued++;
    } catch (error) {
      log().warn({ err: error, refundId: refund.id }, 'reconciliation could not pay out a refund; next run retries');
    }
  }

  report.idempotencyKeysPurged = await purgeIdempotencyKeys(deps.db, now);
  report.emailsSent = await deliverOutbox(deps.db, deps.email, { now: deps.now });
  report.unsettled = (await findUnsettledPayments(deps.db)).length;
  if (report.unsettled)
    log().error({ unsettled: report.unsettled }, 'succeeded payments without tickets or a refund remain');
  return report;
}

/** Orders that never reached the provider (no payment row) after the grace period: nothing to charge, so failed. */
async function abandonOrdersWithoutPayment(db: Database, cutoff: Date, now: Date): Promise<number> {
  const abandoned = await rows<{ id: string }>(
    db,
    sql`update orders o set status = 'failed', failure_code = 'abandoned', failure_message = 'The checkout stopped before payment.', updated_at = ${ts(now)}
        where o.status = 'pending' and o.created_at <= ${ts(cutoff)}
          and not exists (select 1 from payments p where p.order_id = o.id)
        returning o.id`,
  );
  return abandoned.length;
}

/**
 * The invariant: every succeeded payment belongs to an order that has its tickets (paid), was cancelled through the
 * refund path, or has a refund under way or done.
 */
export async function findUnsettledPayments(
  db: Database,
): Promise<{ paymentId: string; orderId: string; orderStatus: string }[]> {
  const found = await rows<{ payment_id: string; order_id: string; order_status: string }>(
    db,
    sql`select p.id as payment_id, o.id as order_id, o.status as order_status from payments p join orders o on o.id = p.order_id
        where p.status = 'succeeded'
          and not (o.status = 'paid' and exists (select 1 from tickets t where t.order_id = o.id))
          and o.status not in ('cancelled', 'refunded')
          and not exists (select 1 from refunds r where r.payment_id = p.id and r.status in ('pending', 'succeeded'))`,
  );
  return found.map((r) => ({ paymentId: r.payment_id, orderId: r.order_id, orderStatus: r.order_status }));
}
