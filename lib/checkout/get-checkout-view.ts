import 'server-only';
import type { Role } from '@/lib/auth/viewer';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { events, orders, venues } from '@/db/schema';
import { env, paymentsMode } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getHoldForViewer, type HoldDetails } from '@/lib/inventory';
import { describeRefundPolicy } from '@/lib/tickets/refund-policy';
import type { OrderAmounts } from '@/lib/pricing/amount-lines';
import { priceHold } from './create-pending-order';
import { discountCodeRefused } from './discount-code-refusal';
import { discountCodeProblem, discountRule, eventTaxRule, findDiscountCode } from './discount-codes';

export type PaymentForm =
  /** The simulated gateway, or Stripe in test mode without a publishable key: pick one of the test cards. */
  | { kind: 'test-cards'; provider: 'simulated' | 'stripe' }
  | { kind: 'stripe-elements'; publishableKey: string; testMode: boolean }
  /** Live Stripe keys without a publishable key: nothing a buyer could pay with. */
  | { kind: 'unavailable' };

export type CheckoutView = {
  hold: HoldDetails;
  event: {
    id: string;
    name: string;
    startsAt: Date;
    timezone: string;
    venueName: string;
    city: string;
    refundPolicy: string;
  };
  /** What the buyer will pay, with the event's tax and the applied discount code (decision 040). */
  amounts: OrderAmounts;
  /** The code the buyer typed: applied, or refused with the reason and the words to show. */
  discount: { code: string; applied: boolean; problem: { reason: string; message: string } | null } | null;
  /** A payment for this hold that is still with the bank (the slow card): the page keeps waiting for it. */
  pendingOrderId: string | null;
  /** The seats are paid for: the page sends the buyer to this order. */
  paidOrderId: string | null;
  paymentForm: PaymentForm;
};

function paymentForm(): PaymentForm {
  const e = env();
  if (paymentsMode(e) === 'simulated') return { kind: 'test-cards', provider: 'simulated' };
  const testMode = e.STRIPE_SECRET_KEY!.startsWith('sk_test_');
  if (e.STRIPE_PUBLISHABLE_KEY) return { kind: 'stripe-elements', publishableKey: e.STRIPE_PUBLISHABLE_KEY, testMode };
  return testMode ? { kind: 'test-cards', provider: 'stripe' } : { kind: 'unavailable' };
}

/** Everything the checkout page shows, for the hold's owner only (an admin may read a hold, not pay for it). */
export async function getCheckoutView(
  db: Database,
  holdId: string,
  viewer: { id: string; role: Role },
  now: Date,
  options: { discountCode?: string } = {},
): Promise<CheckoutView> {
  const hold = await getHoldForViewer(db, holdId, viewer, now);
  if (hold.userId !== viewer.id) throw new AppError('NOT_FOUND', 'No such hold.');
  const [event] = await db
    .select({
      id: events.id,
      name: events.name,
      startsAt: events.startsAt,
      timezone: events.timezone,
      venueName: venues.name,
      city: events.city,
      refundPolicy: events.refundPolicy,
    })
    .from(events)
    .innerJoin(venues, eq(venues.id, events.venueId))
    .where(eq(events.id, hold.eventId));
  const live = await db
    .select({ id: orders.id, status: orders.status })
    .from(orders)
    .where(and(eq(orders.holdId, hold.id), inArray(orders.status, ['pending', 'paid'])))
    .orderBy(desc(orders.createdAt));
  const tax = await eventTaxRule(db, hold.eventId);
  let discount: CheckoutView['discount'] = null;
  let code: Awaited<ReturnType<typeof findDiscountCode>>;
  if (options.discountCode) {
    code = await findDiscountCode(db, hold.eventId, options.discountCode);
    const reason = await discountCodeProblem(db, code, viewer.id, now);
    discount = {
      code: code?.code ?? options.discountCode,
      applied: reason === null,
      problem: reason ? { reason, message: discountCodeRefused(reason).message } : null,
    };
    if (reason) code = undefined;
  }
  const priced = priceHold(hold, tax, code ? discountRule(code) : null);
  return {
    hold,
    event: { ...event!, refundPolicy: describeRefundPolicy(event!.refundPolicy) },
    amounts: {
      subtotalMinor: priced.subtotalMinor,
      discountMinor: priced.discountMinor,
      discountCode: code?.code ?? null,
      feesMinor: priced.feesMinor,
      taxMinor: priced.taxMinor,
      taxMode: tax.mode,
      taxRateBp: tax.rateBp,
      taxLabel: tax.label,
      totalMinor: priced.totalMinor,
    },
    discount,
    pendingOrderId: live.find((o) => o.status === 'pending')?.id ?? null,
    paidOrderId: live.find((o) => o.status === 'paid')?.id ?? null,
    paymentForm: paymentForm(),
  };
}
