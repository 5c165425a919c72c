import 'server-only';
import { and, eq } from 'drizzle-orm';
import { holds, orders, payments, tickets } from '@/db/schema';
import type { Viewer } from '@/lib/auth/viewer';
import { priceHold, createPendingOrder } from '@/lib/checkout/create-pending-order';
import { finaliseOrder } from '@/lib/checkout/finalise-order';
import { withIdempotency } from '@/lib/checkout/with-idempotency';
import type { CounterMethod, CounterSaleRequest, CounterSaleResult } from '@/lib/contracts/counter';
import { AppError } from '@/lib/errors';
import { getHoldForViewer } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { transferTicket } from '@/lib/tickets/transfer-ticket';
import { counterPaymentId } from './counter-payments';
import type { CounterDeps } from './deps';

export type Staff = Pick<Viewer, 'id' | 'email' | 'name' | 'role'>;

/**
 * POST /api/counter/sales: the staff member took cash or a card on the terminal for their hold; record it and issue
 * the tickets, exactly once per idempotency key (a double click or a retried request finds the first sale).
 *
 * The order, its items and the payment (provider 'counter', the method, who took it, tendered and change or the
 * terminal's reference) are written in one transaction, then checkout_finalise sells the seats and issues the tickets
 * as for any paid order. The tickets belong to the staff account: they are printed at the counter, or, given an
 * email address, each is offered to it as a transfer (decision 028), which the buyer claims into their own account.
 */
export async function sellAtCounter(
  deps: CounterDeps,
  staff: Staff,
  input: CounterSaleRequest,
  idempotencyKey: string,
): Promise<CounterSaleResult> {
  // Whose hold it is never changes: someone else's (or none) is refused before the key is claimed, so it writes nothing.
  const [hold] = await deps.db.select({ userId: holds.userId }).from(holds).where(eq(holds.id, input.holdId));
  if (hold?.userId !== staff.id) throw new AppError('NOT_FOUND', 'No such hold.');
  return withIdempotency(
    deps.db,
    { userId: staff.id, scope: 'counter-sale', key: idempotencyKey, request: input },
    (orderId) => sell(deps, staff, input, orderId),
    { now: deps.now },
  );
}

async function sell(deps: CounterDeps, staff: Staff, input: CounterSaleRequest, orderId: string) {
  const now = deps.now();
  let [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) {
    const hold = await getHoldForViewer(deps.db, input.holdId, staff, now);
    if (hold.userId !== staff.id) throw new AppError('NOT_FOUND', 'No such hold.');
    if (hold.status === 'converted') throw new AppError('CONFLICT', 'These seats are already sold.');
    if (hold.status !== 'active')
      throw new AppError('HOLD_NOT_ACTIVE', 'The hold on these seats has ended. Choose the seats again.', {
        eventId: hold.eventId,
      });
    const { totalMinor } = priceHold(hold);
    const { payment } = input;
    if (payment.method === 'cash' && payment.tenderedMinor < totalMinor) {
      throw new AppError('VALIDATION_FAILED', 'The cash handed over is less than the total.', {
        errors: [{ path: 'payment.tenderedMinor', message: `at least ${totalMinor} is due` }],
        totalMinor,
      });
    }
    order = await createPendingOrder(
      deps.db,
      { orderId, hold, email: input.email ?? staff.email },
      async (tx, created) => {
        await tx.insert(payments).values({
          orderId,
          provider: 'counter',
          providerPaymentId: counterPaymentId(orderId),
          // Money in hand before anything is recorded: the payment is never 'processing', so reconciliation never
          // asks a provider about it.
          status: 'succeeded',
          amountMinor: created.totalMinor,
          currency: created.currency,
          paymentMethod: payment.method,
          takenBy: staff.id,
          tenderedMinor: payment.method === 'cash' ? payment.tenderedMinor : null,
          changeMinor: payment.method === 'cash' ? payment.tenderedMinor - created.totalMinor : null,
          terminalReference: payment.method === 'card_present' ? payment.terminalReference : null,
          createdAt: now,
          updatedAt: now,
        });
      },
    );
  }
  if (order.status === 'pending') {
    const settled = await finaliseOrder(deps, { orderId, providerPaymentId: counterPaymentId(orderId) });
    if (settled.status === 'seats_lost') {
      throw new AppError(
        'SEATS_UNAVAILABLE',
        'The hold ended before the sale was recorded and someone else took a seat. Hand the money back; the sale is void.',
        { orderId, unavailableSeatIds: settled.lostSeatIds },
      );
    }
  }
  const sale = await saleResult(deps, orderId);
  if (!input.email) return sale;
  return { ...sale, emailedTo: (await offerToEmail(deps, staff, sale.ticketIds, input.email)) ? input.email : null };
}

/** The sale as the counter shows it, from the order and its counter payment. */
export async function saleResult(deps: Pick<CounterDeps, 'db'>, orderId: string): Promise<CounterSaleResult> {
  const [row] = await deps.db
    .select({ order: orders, payment: payments })
    .from(orders)
    .innerJoin(payments, and(eq(payments.orderId, orders.id), eq(payments.provider, 'counter')))
    .where(eq(orders.id, orderId));
  if (!row) throw new AppError('NOT_FOUND', 'No such counter sale.');
  const { order, payment } = row;
  if (order.status !== 'paid') throw new AppError('INVALID_STATE', `This sale is ${order.status}.`, { orderId });
  const issued = await deps.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.orderId, orderId))
    .orderBy(tickets.eventSeatId);
  return {
    orderId,
    reference: order.reference,
    status: 'paid',
    totalMinor: order.totalMinor,
    currency: order.currency,
    method: payment.paymentMethod as CounterMethod,
    tenderedMinor: payment.tenderedMinor,
    changeMinor: payment.changeMinor,
    terminalReference: payment.terminalReference,
    ticketIds: issued.map((t) => t.id),
    emailedTo: null,
  };
}

/**
 * Offers each ticket to the buyer's address. The sale stands whatever happens here (the money is taken): a ticket
 * that cannot be offered (the event has started) is printed instead, and the answer says none were emailed.
 */
async function offerToEmail(deps: CounterDeps, staff: Staff, ticketIds: string[], email: string): Promise<boolean> {
  try {
    for (const id of ticketIds) {
      await transferTicket(
        deps,
        { id: staff.id, name: 'The box office', role: staff.role },
        id,
        { email },
        { rateLimited: false },
      );
    }
    return true;
  } catch (error) {
    log().warn({ err: error }, 'counter sale: tickets not offered by email; print them');
    return false;
  }
}
