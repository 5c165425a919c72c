import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { events, orders, payments, refunds, ticketTransfers, tickets } from '@/db/schema';
import { issueRefund } from '@/lib/checkout/issue-refund';
import type { CounterMethod, CounterVoidResult } from '@/lib/contracts/counter';
import { isUuid } from '@/lib/contracts/uuid';
import { AppError } from '@/lib/errors';
import { afterSeatsReturned, returnSeatsToSale } from '@/lib/inventory';
import type { CounterDeps } from './deps';
import { localDate } from './local-date';
import type { Staff } from './sell-at-counter';

/**
 * POST /api/counter/sales/{id}/void: a counter sale taken back at the counter on the day it was made (in the venue's
 * time zone): the tickets are void, pending email offers of them are withdrawn, the seats go back on sale, and the
 * whole amount is recorded as handed back by this staff member (a refund 'counter_void' naming them), which the
 * till subtracts from their takings. Any later change goes through the orders desk. Only counter sales can be
 * voided here: an online order is "not found". Safe to repeat: a voided sale answers as voided.
 */
export async function voidCounterSale(deps: CounterDeps, staff: Staff, orderId: string): Promise<CounterVoidResult> {
  if (!isUuid(orderId)) throw new AppError('NOT_FOUND', 'No such counter sale.');
  const now = deps.now();
  const done = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ order: orders, payment: payments, timezone: events.timezone })
      .from(orders)
      .innerJoin(
        payments,
        and(eq(payments.orderId, orders.id), eq(payments.provider, 'counter'), eq(payments.status, 'succeeded')),
      )
      .innerJoin(events, eq(events.id, orders.eventId))
      .where(eq(orders.id, orderId))
      .for('update', { of: orders });
    if (!row) throw new AppError('NOT_FOUND', 'No such counter sale.');
    const { order, payment } = row;
    const method = payment.paymentMethod as CounterMethod;
    if (order.status === 'cancelled' || order.status === 'refunded')
      return { order, payment, method, seatIds: [] as number[], fresh: false };
    if (order.status !== 'paid')
      throw new AppError('INVALID_STATE', `Only a paid sale can be voided; this one is ${order.status}.`);
    if (!order.paidAt || localDate(order.paidAt, row.timezone) !== localDate(now, row.timezone))
      throw new AppError(
        'INVALID_STATE',
        'A counter sale can be voided only on the day it was made. Later changes go through the orders desk.',
      );
    const live = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.orderId, order.id), inArray(tickets.status, ['valid', 'used'])));
    if (live.some((t) => t.status === 'used'))
      throw new AppError('INVALID_STATE', 'A ticket of this sale was already scanned at the door.');
    if (live.some((t) => t.ownerId !== order.userId))
      throw new AppError('INVALID_STATE', 'A ticket of this sale was already claimed by the buyer’s account.');
    const ticketIds = live.map((t) => t.id);
    if (ticketIds.length)
      await tx
        .update(ticketTransfers)
        .set({ status: 'cancelled', resolvedAt: now })
        .where(and(inArray(ticketTransfers.ticketId, ticketIds), eq(ticketTransfers.status, 'pending')));
    const voided = await tx
      .update(tickets)
      .set({ status: 'void', voidReason: 'cancelled', voidedAt: now })
      .where(and(eq(tickets.orderId, order.id), eq(tickets.status, 'valid')))
      .returning({ seatId: tickets.eventSeatId });
    const seatIds = voided.map((t) => t.seatId);
    await returnSeatsToSale(tx, { eventId: order.eventId, seatIds });
    const [cancelled] = await tx
      .update(orders)
      .set({ status: 'cancelled', cancelledAt: now, updatedAt: now })
      .where(and(eq(orders.id, order.id), eq(orders.status, 'paid')))
      .returning();
    await tx
      .insert(refunds)
      .values({
        paymentId: payment.id,
        orderId: order.id,
        amountMinor: order.totalMinor - order.refundedMinor,
        reason: 'counter_void',
        status: 'pending',
        paidOutBy: staff.id,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    return { order: cancelled!, payment, method, seatIds, fresh: true };
  });
  if (done.fresh) await afterSeatsReturned(deps, done.order.eventId, done.seatIds);
  const [refund] = await deps.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), eq(refunds.reason, 'counter_void')));
  // The cash is back across the counter (or the terminal refunded the card): settle at once.
  if (refund?.status === 'pending') await issueRefund(deps, refund.id);
  const [current] = await deps.db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  return {
    orderId,
    status: current!.status === 'refunded' ? 'refunded' : 'cancelled',
    refundMinor: refund?.amountMinor ?? 0,
    currency: done.order.currency,
    method: done.method,
  };
}
