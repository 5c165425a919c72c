import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orderItems, orders, payments, refunds, type Order } from '@/db/schema';
import { afterSeatsSold, publishSale, sellSeats } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { issueTickets } from '@/lib/tickets/issue-tickets';
import type { CheckoutDeps } from './deps';
import { deliverOutbox, queueEmail } from './deliver-outbox';
import { issueRefund } from './issue-refund';
import { confirmationEmail, seatsLostEmail } from './order-emails';

export type FinaliseOutcome =
  | { status: 'paid'; order: Order; ticketIds: string[] }
  | { status: 'seats_lost'; order: Order; refundId: string; lostSeatIds: number[] }
  /** The order was settled before (a duplicate webhook, a retry): nothing changed. */
  | { status: 'unchanged'; order: Order };

/**
 * A payment succeeded: settle its order in one transaction. The seats become sold if this buyer's hold still has
 * them, or if they are free (the hold ran out but nobody took them): then the order is paid and the tickets exist.
 * If anyone else has them, the order fails and a refund is recorded in the same transaction, then paid out.
 * So a successful payment always ends with either tickets or a refund. Safe to call again: a settled order is left
 * alone. No network call happens inside the transaction.
 */
export async function finaliseOrder(deps: CheckoutDeps, input: { orderId: string; providerPaymentId: string }): Promise<FinaliseOutcome> {
  const now = deps.now();
  const outcome = await deps.db.transaction(async (tx): Promise<FinaliseOutcome> => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, input.orderId)).for('update');
    if (!order) throw new Error(`finalise: no order ${input.orderId}`);
    if (order.status !== 'pending') return { status: 'unchanged', order };

    const paymentId = await recordSucceededPayment(tx, order, input.providerPaymentId, deps.payments.name, now);
    const items = await tx.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    const seatIds = items.map((i) => i.eventSeatId);
    const [event] = await tx.select({ name: events.name, startsAt: events.startsAt, timezone: events.timezone }).from(events).where(eq(events.id, order.eventId));

    const sold = order.holdId
      ? await sellSeats(tx, { eventId: order.eventId, holdId: order.holdId, userId: order.userId, seatIds, now })
      : ({ ok: false, lostSeatIds: seatIds } as const);

    if (sold.ok) {
      const ticketIds = await issueTickets(tx, order, items, now);
      const [paid] = await tx
        .update(orders)
        .set({ status: 'paid', paidAt: now, updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.status, 'pending')))
        .returning();
      await queueEmail(tx, confirmationEmail(order, event!, items));
      await publishSale(tx, order.eventId, sold.seats);
      return { status: 'paid', order: paid!, ticketIds };
    }

    const lost = items.filter((i) => sold.lostSeatIds.includes(i.eventSeatId));
    const [failed] = await tx
      .update(orders)
      .set({
        status: 'failed',
        failureCode: 'SEATS_TAKEN',
        failureMessage: `Paid after the hold ended; ${lost.map((s) => `${s.sectionLabel} ${s.rowLabel}-${s.seatLabel}`).join(', ') || 'the seats'} had been taken by someone else in the meantime. Refunded in full.`,
        updatedAt: now,
      })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'pending')))
      .returning();
    const [refund] = await tx
      .insert(refunds)
      .values({ paymentId, orderId: order.id, amountMinor: order.totalMinor, reason: 'seats_lost', status: 'pending' })
      .onConflictDoNothing()
      .returning({ id: refunds.id });
    const refundId = refund?.id ?? (await tx.select({ id: refunds.id }).from(refunds).where(and(eq(refunds.paymentId, paymentId), eq(refunds.reason, 'seats_lost'))))[0]!.id;
    await queueEmail(tx, seatsLostEmail(order, event!, order.totalMinor));
    return { status: 'seats_lost', order: failed!, refundId, lostSeatIds: sold.lostSeatIds };
  });

  if (outcome.status === 'paid') {
    await afterSeatsSold(deps, outcome.order.eventId, (await deps.db.select({ id: orderItems.eventSeatId }).from(orderItems).where(eq(orderItems.orderId, outcome.order.id))).map((r) => r.id));
  }
  if (outcome.status === 'seats_lost') {
    log().warn({ orderId: outcome.order.id, lostSeatIds: outcome.lostSeatIds }, 'paid after the hold ended and the seats were taken; refunding');
    // If this fails, the refund row stays pending and reconciliation pays it out.
    await issueRefund(deps, outcome.refundId).catch((error: unknown) => log().error({ err: error, refundId: outcome.refundId }, 'automatic refund failed; reconciliation will retry'));
  }
  if (outcome.status !== 'unchanged') {
    await deliverOutbox(deps.db, deps.email).catch((error: unknown) => log().warn({ err: error }, 'outbox delivery failed; it is retried later'));
  }
  return outcome;
}

/** Marks the order's payment succeeded (the partial unique index allows one per order) and returns its id. */
async function recordSucceededPayment(tx: Database, order: Order, providerPaymentId: string, provider: 'stripe' | 'simulated', now: Date): Promise<string> {
  const known = await tx.select().from(payments).where(eq(payments.orderId, order.id));
  const match = known.find((p) => p.providerPaymentId === providerPaymentId) ?? known.find((p) => p.providerPaymentId === null && p.status === 'processing');
  if (match) {
    await tx
      .update(payments)
      .set({ status: 'succeeded', providerPaymentId, failureCode: null, failureMessage: null, updatedAt: now })
      .where(eq(payments.id, match.id));
    return match.id;
  }
  // A payment the provider knows but we never recorded (a crash between the two): record it now.
  const [inserted] = await tx
    .insert(payments)
    .values({ orderId: order.id, provider, providerPaymentId, status: 'succeeded', amountMinor: order.totalMinor, currency: order.currency })
    .returning({ id: payments.id });
  return inserted!.id;
}
