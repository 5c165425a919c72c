import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orders, payments, refunds, tickets, type Order, type Refund } from '@/db/schema';
import type { CancelResult, RefundSummary } from '@/lib/contracts/checkout';
import { AppError } from '@/lib/errors';
import { afterSeatsReturned, returnSeatsToSale } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { refundAmount, refundPercent } from '@/lib/tickets/refund-policy';
import type { CheckoutDeps } from './deps';
import { deliverOutbox, queueEmail } from '@/lib/notifications/deliver-outbox';
import { issueRefund } from './issue-refund';
import { cancellationEmail, eventCancelledEmail } from '@/lib/notifications/order-emails';
import { isUuid } from '@/lib/contracts/uuid';
import { wakeWaitlist } from '@/lib/waitlist/wake';

type Actor = { id: string; role: Role };

/**
 * Who asks and on what grounds decides the refund: a buyer (or the orders desk cancelling on their behalf) gets
 * what the event's refund policy allows; `admin` (the orders desk's full refund) and `event_cancelled` (the organizer
 * called the event off) refund everything. An event cancellation also voids used or transferred tickets: the event
 * will not happen, so nobody keeps a ticket and the buyer gets their money back.
 */
export type CancelReason = 'requested_by_customer' | 'admin' | 'event_cancelled';
export type CancelOptions = {
  reason?: CancelReason;
  /** Runs inside the cancellation's transaction with the order before and after (the orders desk audits here). */
  onCancelled?: (tx: Database, before: Order, after: Order) => Promise<void>;
};

/**
 * POST /api/orders/{id}/cancel: voids the tickets, puts the seats back on sale and records the refund the event's
 * policy allows, in one transaction; then pays the refund out. Idempotent: the order row is locked, so a second or
 * concurrent cancel finds it already cancelled and answers with the same result (and at most helps the same refund
 * along, under the same idempotency key). The refund table allows one customer refund per payment.
 */
export async function cancelOrder(
  deps: CheckoutDeps,
  actor: Actor,
  orderId: string,
  options: CancelOptions = {},
): Promise<CancelResult> {
  // Not a uuid: no such order (PostgreSQL would refuse to compare it with a uuid column).
  if (!isUuid(orderId)) throw new AppError('NOT_FOUND', 'No such order.');
  const now = deps.now();
  const reason = options.reason ?? 'requested_by_customer';
  if (reason !== 'requested_by_customer' && actor.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only an organizer can refund in full.');
  const eventCancelled = reason === 'event_cancelled';
  const done = await deps.db.transaction(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
    if (!order || (order.userId !== actor.id && actor.role !== 'admin'))
      throw new AppError('NOT_FOUND', 'No such order.');
    if (order.status === 'cancelled' || order.status === 'refunded')
      return { order, seatIds: [] as number[], fresh: false };
    if (order.status !== 'paid')
      throw new AppError('INVALID_STATE', `Only paid orders can be cancelled; this one is ${order.status}.`);

    const [event] = await tx.select().from(events).where(eq(events.id, order.eventId));
    const live = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.orderId, order.id), inArray(tickets.status, ['valid', 'used'])));
    if (!eventCancelled && live.some((t) => t.status === 'used'))
      throw new AppError('INVALID_STATE', 'A ticket of this order was already scanned at the door.');
    if (!eventCancelled && live.some((t) => t.ownerId !== order.userId)) {
      throw new AppError(
        'INVALID_STATE',
        'A ticket of this order was transferred to someone else, so the order can no longer be cancelled.',
      );
    }
    const percent = reason === 'requested_by_customer' ? refundPercent(event!.refundPolicy, event!.startsAt, now) : 100;
    if (percent === 0) {
      throw new AppError(
        'INVALID_STATE',
        'The event’s refund policy allows no refund this close to the start, so the order cannot be cancelled. You can transfer the tickets instead.',
      );
    }

    // A transferred ticket's successor keeps the order id, so this finds every live ticket the order issued.
    const voided = await tx
      .update(tickets)
      .set({ status: 'void', voidReason: eventCancelled ? 'event_cancelled' : 'cancelled', voidedAt: now })
      .where(
        and(eq(tickets.orderId, order.id), inArray(tickets.status, eventCancelled ? ['valid', 'used'] : ['valid'])),
      )
      .returning({ seatId: tickets.eventSeatId });
    const seatIds = voided.map((t) => t.seatId);
    await returnSeatsToSale(tx, { eventId: order.eventId, seatIds });
    const [cancelled] = await tx
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'paid')))
      .returning();

    const [payment] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')));
    const amount = refundAmount(order.totalMinor - order.refundedMinor, percent);
    if (payment && amount > 0) {
      await tx
        .insert(refunds)
        .values({ paymentId: payment.id, orderId: order.id, amountMinor: amount, reason, status: 'pending' })
        .onConflictDoNothing();
    }
    await queueEmail(
      tx,
      (eventCancelled ? eventCancelledEmail : cancellationEmail)(order, event!, payment ? amount : 0),
    );
    await options.onCancelled?.(tx, order, cancelled!);
    return { order: cancelled!, seatIds, fresh: true };
  });

  if (done.fresh) {
    await afterSeatsReturned(deps, done.order.eventId, done.seatIds);
    wakeWaitlist(done.order.eventId);
  }
  let refund = await refundFor(deps.db, orderId, reason);
  if (refund?.status === 'pending') {
    refund = await issueRefund(deps, refund.id).catch((error: unknown) => {
      log().error({ err: error, refundId: refund!.id }, 'refund not paid out yet; reconciliation will retry');
      return refund!;
    });
  }
  if (done.fresh)
    await deliverOutbox(deps.db, deps.email).catch((error: unknown) =>
      log().warn({ err: error }, 'outbox delivery failed; retried later'),
    );
  const [current] = await deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return { orderId, status: current!.status, refund: refund ? refundSummary(refund) : null };
}

/** The refund this cancellation records; for an order cancelled earlier on other grounds, the one it got then. */
async function refundFor(db: Database, orderId: string, reason: CancelReason): Promise<Refund | undefined> {
  const found = await db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(desc(refunds.createdAt));
  return found.find((r) => r.reason === reason) ?? found.find((r) => r.reason !== 'seats_lost');
}

export const refundSummary = (r: Refund): RefundSummary => ({
  id: r.id,
  amountMinor: r.amountMinor,
  taxMinor: r.taxMinor,
  reason: r.reason,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
});
