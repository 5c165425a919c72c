import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, eq, sql } from 'drizzle-orm';
import { rows, ts } from '@/db/sql';
import { orders, payments, refunds, tickets, type Order } from '@/db/schema';
import type { CheckoutRequest, CheckoutResult } from '@/lib/contracts/checkout';
import { AppError, isAppError } from '@/lib/errors';
import { extendHold, getHoldForViewer, HOLD_EXTENSION_MINUTES } from '@/lib/inventory';
import { bestEffort } from '@/lib/inventory/deps';
import { log } from '@/lib/observability/log';
import { createPendingOrder, newOrderReference } from './create-pending-order';
import type { CheckoutDeps } from './deps';
import { chargeOrder } from './charge-order';
import { finaliseOrder, type OrderFacts } from './finalise-order';
import { recordPayment } from './metrics';
import { recordPaymentFailure } from './record-payment-failure';
import { recordPaymentMethod } from './record-payment-method';
import { asDiscountCodeRefusal } from './discount-code-refusal';
import type { OrderAmounts } from '@/lib/pricing/amount-lines';
import {
  hashRequest,
  IDEMPOTENCY_LOCK_MS,
  IDEMPOTENCY_RETENTION_MS,
  settleIdempotency,
  withIdempotency,
  type IdempotencyOptions,
} from './with-idempotency';

export type Buyer = { id: string; email: string; role: Role };

/**
 * The waiting room's part in a checkout, as dependencies (lib/checkout/checkout-guards.ts builds them from the
 * request): without them (tests, tools) nobody is asked about admission and nothing runs after a payment.
 */
export type CheckoutGuards = {
  /** The waiting-room check for the hold's event (throws when the buyer was not admitted). */
  admit?: (eventId: string) => Promise<void>;
  /** The events this request carries an admission cookie for (unverified names; `admit` verifies). */
  admittedEvents?: () => string[];
  /** Called once when an order becomes paid (ends the buyer's shopping window). */
  onPaid?: (order: Pick<Order, 'eventId' | 'userId'>) => Promise<void>;
};

/** What paying for a hold needs: checkout's dependencies and the request's guards. */
export type PayDeps = CheckoutDeps & { guards?: CheckoutGuards };

export type PayOptions = { idempotency?: IdempotencyOptions };

/**
 * Pay for a hold, exactly once per idempotency key (POST /api/checkout and the checkout page's action come here
 * through checkoutHold, lib/checkout/checkout-hold.ts).
 *
 * Each attempt is one order whose id is the idempotency record's id, and that order id is the payment provider's
 * idempotency key: a retry after a crash or a lost answer finds the same order and gets the same PaymentIntent
 * back, never a second charge. A declined card fails that order and keeps the hold; the next attempt (a new key)
 * makes a new order. No database transaction is open while the provider is called.
 */
export async function payForHold(
  deps: PayDeps,
  buyer: Buyer,
  request: CheckoutRequest,
  idempotencyKey: string,
  options: PayOptions = {},
): Promise<CheckoutResult> {
  const fast = await firstAttempt(deps, buyer, request, idempotencyKey, options);
  if (fast) return fast.result;
  return withIdempotency(
    deps.db,
    { userId: buyer.id, scope: 'checkout', key: idempotencyKey, request },
    (orderId) => attempt(deps, buyer, request, orderId),
    { now: deps.now, ...options.idempotency, settled: (orderId) => settledAnswer(deps, orderId) },
  );
}

/**
 * The first attempt with a key, the common case, in two statements and two commits: the waiting room's check for the
 * event the buyer's admission cookie names (looked up from the hold when the request names none or several), then
 * checkout_begin (claims the key, extends the hold once, records the order and
 * its payment row), the provider's charge outside any transaction, and checkout_finalise (sells the seats, issues
 * the tickets, stores the answer). Anything else (a key seen before, a hold that is not the buyer's, no admission)
 * answers undefined, and the general path below does what it always did: replays, waits, resumes or refuses.
 */
async function firstAttempt(
  deps: PayDeps,
  buyer: Buyer,
  request: CheckoutRequest,
  key: string,
  options: PayOptions,
): Promise<{ result: CheckoutResult } | undefined> {
  // The hold's event: the one the buyer's admission names (a browser shops one event at a time), else looked up.
  const named = deps.guards?.admittedEvents?.() ?? [];
  const eventId =
    named.length === 1
      ? named[0]!
      : (
          await rows<{ event_id: string }>(
            deps.db,
            sql`select event_id from holds where id = ${request.holdId} and user_id = ${buyer.id}`,
          )
        )[0]?.event_id;
  if (!eventId) return undefined;
  try {
    await deps.guards?.admit?.(eventId);
  } catch {
    return undefined; // a replay is answered whatever the shopping window; a new attempt is refused there
  }
  const now = (options.idempotency?.now ?? deps.now)();
  const lock = new Date(now.getTime() + (options.idempotency?.lockMs ?? IDEMPOTENCY_LOCK_MS));
  const [begun] = await rows<{
    outcome: string;
    key_id: string | null;
    order_id: string | null;
    detail: Record<string, unknown> | null;
  }>(
    deps.db,
    sql`select outcome, key_id, order_id, detail from checkout_begin(
          ${buyer.id}, ${buyer.email}, 'checkout', ${key}, ${hashRequest(request)}, ${ts(now)}, ${ts(lock)}, ${ts(new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS))},
          ${request.holdId}, ${eventId}, ${newOrderReference()}, ${deps.payments.name}, ${request.paymentMethodId}, ${`${HOLD_EXTENSION_MINUTES} minutes`}::interval,
          ${request.discountCode ?? null}::text)`,
  ).catch((error: unknown) => {
    // A discount code the order cannot take (unknown, expired, used up): nothing was written, the buyer is told why.
    throw asDiscountCodeRefusal(error) ?? error;
  });
  if (!begun || begun.outcome === 'existing' || begun.outcome === 'other' || !begun.key_id) return undefined;
  const claimed = { id: begun.key_id, lock };
  const refuse = async (error: AppError): Promise<never> => {
    await settleIdempotency(deps.db, claimed, { error });
    throw error;
  };
  if (begun.outcome === 'paid') return refuse(alreadyPaid(begun.order_id ?? undefined));
  if (begun.outcome === 'ended') return refuse(holdEnded(String(begun.detail?.eventId ?? eventId)));
  if (begun.outcome === 'live_order') {
    const paid = begun.detail?.status === 'paid';
    return refuse(
      new AppError(
        'CONFLICT',
        paid
          ? 'These seats are already paid for.'
          : 'A payment for these seats is already in progress. Wait for it to finish.',
        { orderId: begun.order_id },
      ),
    );
  }

  const d = begun.detail as OrderAmounts & {
    reference: string;
    eventId: string;
    currency: string;
    totalMinor: number;
    eventName: string;
    startsAt: string;
    timezone: string;
    paymentId: string;
    holdExpiresAt: string;
    seatIds: number[];
    seats: OrderFacts['seats'];
  };
  const orderId = begun.order_id!;
  // The filter's claims last as long as the extended hold (not awaited: PostgreSQL holds the seats either way).
  void bestEffort(deps, 'extend claims', () =>
    deps.seats.extend(d.eventId, d.seatIds, buyer.id, Math.max(1, new Date(d.holdExpiresAt).getTime() - now.getTime())),
  );
  const facts: OrderFacts = {
    reference: d.reference,
    email: buyer.email,
    currency: d.currency,
    totalMinor: d.totalMinor,
    amounts: {
      subtotalMinor: d.subtotalMinor,
      discountMinor: d.discountMinor,
      discountCode: d.discountCode,
      feesMinor: d.feesMinor,
      taxMinor: d.taxMinor,
      taxMode: d.taxMode,
      taxRateBp: d.taxRateBp,
      taxLabel: d.taxLabel,
      totalMinor: d.totalMinor,
    },
    eventName: d.eventName,
    startsAt: new Date(d.startsAt),
    timezone: d.timezone,
    seats: d.seats,
  };
  const base = { orderId, reference: d.reference, totalMinor: d.totalMinor, currency: d.currency };

  let result: CheckoutResult;
  try {
    const outcome = await deps.payments.charge(
      {
        orderId,
        amountMinor: d.totalMinor,
        currency: d.currency,
        paymentMethodId: request.paymentMethodId,
        description: `${d.eventName} — order ${d.reference}`,
        email: buyer.email,
      },
      orderId,
    );
    recordPayment(deps.payments.name, outcome.status);
    if (outcome.status === 'succeeded') {
      const settled = await finaliseOrder(deps, {
        orderId,
        providerPaymentId: outcome.providerPaymentId,
        facts,
        idempotencyKeyId: claimed.id,
      });
      // Stripe only (the simulated gateway reports no card): which wallet and card paid, for the order page.
      await recordPaymentMethod(deps, d.paymentId, outcome.method);
      if (settled.status === 'paid') {
        // checkout_finalise stored this very answer with the sale.
        const onPaid = deps.guards?.onPaid;
        if (onPaid)
          void onPaid({ eventId: settled.eventId, userId: settled.userId }).catch((error: unknown) =>
            log().warn({ err: error, orderId }, 'after-payment hook failed'),
          );
        return { result: { outcome: 'paid', ...base, status: 'paid', ticketIds: settled.ticketIds } };
      }
      result = await answer(deps, (await deps.db.select().from(orders).where(eq(orders.id, orderId)))[0]!);
    } else if (outcome.status === 'declined') {
      result = await answer(
        deps,
        await recordPaymentFailure(deps, {
          orderId,
          paymentId: d.paymentId,
          code: outcome.code,
          message: outcome.message,
        }),
      );
    } else {
      // The bank answers later (a webhook, or reconciliation, settles it): remember the provider's id now.
      if (outcome.providerPaymentId)
        await deps.db
          .update(payments)
          .set({ providerPaymentId: outcome.providerPaymentId, ...outcome.method, updatedAt: deps.now() })
          .where(eq(payments.id, d.paymentId));
      result = { outcome: 'processing', ...base, status: 'pending', ticketIds: [] };
    }
  } catch (error) {
    await settleIdempotency(deps.db, claimed, { error });
    throw error;
  }
  await settleIdempotency(deps.db, claimed, { value: result });
  return { result };
}

const holdEnded = (eventId: string) =>
  new AppError('HOLD_NOT_ACTIVE', 'Your hold on these seats has ended and they were released. Choose seats again.', {
    eventId,
  });

/** A paid or failed order answers for itself, even while its idempotency key is still locked by a dead request. */
async function settledAnswer(deps: CheckoutDeps, orderId: string): Promise<CheckoutResult | undefined> {
  const [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order || (order.status !== 'paid' && order.status !== 'failed')) return undefined;
  return answer(deps, order);
}

async function attempt(
  deps: PayDeps,
  buyer: Buyer,
  request: CheckoutRequest,
  orderId: string,
): Promise<CheckoutResult> {
  let [order] = await deps.db.select().from(orders).where(eq(orders.id, orderId));
  if (!order) order = await startOrder(deps, buyer, request, orderId);
  if (order.status === 'pending') order = await chargeOrder(deps, order, request.paymentMethodId, deps.guards?.onPaid);
  return answer(deps, order);
}

/** Checks the hold, extends it once for the payment, and records the order. Nothing is charged yet. */
async function startOrder(deps: PayDeps, buyer: Buyer, request: CheckoutRequest, orderId: string): Promise<Order> {
  const now = deps.now();
  const hold = await getHoldForViewer(deps.db, request.holdId, { id: buyer.id, role: buyer.role }, now);
  if (hold.userId !== buyer.id) throw new AppError('NOT_FOUND', 'No such hold.');
  await deps.guards?.admit?.(hold.eventId);
  if (hold.status === 'converted') throw alreadyPaid(await paidOrderId(deps, hold.id));
  if (hold.status !== 'active' || new Date(hold.expiresAt) <= now) throw holdEnded(hold.eventId);
  try {
    await extendHold(deps, hold.id, buyer.id);
  } catch (error) {
    const code = isAppError(error) ? error.code : undefined;
    // Another checkout of the same buyer paid for this hold since we read it: say so, not "your hold ended".
    const paid = code === 'HOLD_NOT_ACTIVE' ? await paidOrderId(deps, hold.id) : undefined;
    if (paid) throw alreadyPaid(paid);
    // Extended by an earlier attempt (a declined card): the hold keeps the time it has.
    if (code !== 'HOLD_ALREADY_EXTENDED') throw error;
  }
  return createPendingOrder(deps.db, {
    orderId,
    hold,
    email: buyer.email,
    ...(request.discountCode ? { discountCode: request.discountCode } : {}),
  });
}

async function paidOrderId(deps: CheckoutDeps, holdId: string): Promise<string | undefined> {
  const [paid] = await deps.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.holdId, holdId), eq(orders.status, 'paid')));
  return paid?.id;
}

const alreadyPaid = (orderId: string | undefined) =>
  new AppError('CONFLICT', 'These seats are already paid for.', orderId ? { orderId } : {});

/** The answer for the order's current state; failures become the problem the buyer sees (and a replay repeats). */
async function answer(deps: CheckoutDeps, order: Order): Promise<CheckoutResult> {
  if (order.status === 'paid' || order.status === 'pending') {
    const issued =
      order.status === 'paid'
        ? await deps.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.orderId, order.id))
        : [];
    return {
      outcome: order.status === 'paid' ? 'paid' : 'processing',
      orderId: order.id,
      reference: order.reference,
      status: order.status,
      totalMinor: order.totalMinor,
      currency: order.currency,
      ticketIds: issued.map((t) => t.id),
    };
  }
  if (order.failureCode === 'SEATS_TAKEN') {
    const [refund] = await deps.db.select().from(refunds).where(eq(refunds.orderId, order.id));
    const taken = await rows<{ id: number }>(
      deps.db,
      sql`select i.event_seat_id as id from order_items i join orders o on o.id = i.order_id join event_seats s on s.id = i.event_seat_id
          where i.order_id = ${order.id}
            and ((s.status = 'held' and s.hold_id is distinct from o.hold_id) or exists (select 1 from tickets t where t.event_seat_id = i.event_seat_id and t.order_id <> ${order.id} and t.status in ('valid', 'used')))`,
    );
    throw new AppError(
      'SEATS_UNAVAILABLE',
      'Your payment arrived after your hold ended, and someone else had taken some of the seats. We refunded you in full.',
      {
        orderId: order.id,
        reference: order.reference,
        refund: refund ? { amountMinor: refund.amountMinor, currency: order.currency, status: refund.status } : null,
        unavailableSeatIds: taken.map((t) => Number(t.id)),
      },
    );
  }
  if (order.status === 'failed') {
    throw new AppError('PAYMENT_DECLINED', order.failureMessage ?? 'Your card was declined. Try another card.', {
      declineCode: order.failureCode,
      orderId: order.id,
      holdStays: true,
    });
  }
  throw new AppError('INVALID_STATE', `This order is ${order.status}.`, { orderId: order.id });
}
