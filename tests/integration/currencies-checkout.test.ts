import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderItems, orders, payments } from '@/db/schema';
import { createEvent } from '@/lib/admin/create-event';
import { createDiscountCode } from '@/lib/admin/discount-codes';
import { cancelOrder } from '@/lib/checkout/cancel-order';
import { getCheckoutView } from '@/lib/checkout/get-checkout-view';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { StripeProvider, stripeAmount } from '@/lib/checkout/stripe-provider';
import { outboxSettled } from '@/lib/notifications/deliver-outbox';
import { checkoutTestDeps, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { createOnSaleEvent, createUser } from '../support/fixtures';

const key = () => `key-${crypto.randomUUID()}`;

/**
 * Issue 20 (decision 045): an event priced in yen, paid through the real checkout path (checkout_begin() prices it
 * in SQL) and Stripe's real SDK against the fake Stripe. A yen is its own minor unit: ¥5,000 is stored, priced,
 * charged and refunded as 5000, never 500000.
 */
describe('checkout in the event’s currency, through Stripe', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(async () => fake.close());
  const deps = () => checkoutTestDeps(handle(), coordinator(), new StripeProvider(fake.client()));
  const buyerOf = async () => ({ ...(await createUser(handle().db)), role: 'customer' as const });
  const orderOf = async (id: string) => (await handle().db.select().from(orders).where(eq(orders.id, id)))[0]!;
  const intentOf = (orderId: string) => [...fake.intents.values()].find((i) => i.metadata.order_id === orderId)!;

  it('charges yen as whole yen: the order, Stripe’s PaymentIntent, the email and the refund agree', async () => {
    const d = deps();
    // ¥5,000 seats, a ¥500 fee, Japan's 10% consumption tax included in the price.
    const { event, admin } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 4,
      priceMinor: 5000,
      event: {
        currency: 'JPY',
        timezone: 'Asia/Tokyo',
        feePerTicketMinor: 500,
        taxMode: 'inclusive',
        taxRateBp: 1000,
        taxLabel: 'Consumption tax',
      },
    });
    expect(event.currency).toBe('JPY');
    await createDiscountCode(
      handle().db,
      event.id,
      { code: 'YEN750', kind: 'fixed', value: 750, scope: 'order' },
      admin.id,
    );
    const buyer = await buyerOf();
    const hold = await holdSeats(d, event.id, buyer.id, 2);

    // What the checkout page previews is what is charged.
    const view = await getCheckoutView(handle().db, hold.id, buyer, new Date(), { discountCode: 'YEN750' });
    expect(view.hold.currency).toBe('JPY');
    expect(view.amounts).toMatchObject({ totalMinor: 2 * 5000 - 750 + 2 * 500 });

    const paid = await payForHold(
      d,
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_visa', discountCode: 'YEN750' },
      key(),
    );
    // ¥10,000 of seats, ¥750 off (¥375 a seat), ¥1,000 of fees: ¥10,250.
    expect(paid).toMatchObject({ outcome: 'paid', currency: 'JPY', totalMinor: 10250 });
    const order = await orderOf(paid.orderId);
    expect(order).toMatchObject({
      currency: 'JPY',
      subtotalMinor: 10000,
      discountMinor: 750,
      feesMinor: 1000,
      totalMinor: 10250,
      // Per seat: (5000 − 375) × 1000 / 11000 = 420.45… → ¥420, in whole yen.
      taxMinor: 840,
    });
    const items = await handle().db.select().from(orderItems).where(eq(orderItems.orderId, order.id));
    expect(items.map((i) => [i.priceMinor, i.discountMinor, i.feeMinor, i.taxMinor])).toEqual([
      [5000, 375, 500, 420],
      [5000, 375, 500, 420],
    ]);

    // Stripe was asked for ¥10,250: amount 10250 in "jpy", Stripe's own unit for a zero-decimal currency.
    const intent = intentOf(order.id);
    expect(intent).toMatchObject({ amount: 10250, amount_received: 10250, currency: 'jpy', status: 'succeeded' });
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, order.id));
    expect(payment).toMatchObject({ amountMinor: 10250, currency: 'JPY', provider: 'stripe' });

    await outboxSettled();
    const mail = d.email.sent.find((m) => m.subject.includes(order.reference))!;
    expect(mail.text).toContain('Discount (YEN750): −¥750\n');
    expect(mail.text).toContain('Total: ¥10,250 (incl. Consumption tax 10%: ¥840)\n');
    expect(mail.text).not.toMatch(/¥[\d,]+\.\d/);
    expect(mail.text).toMatch(/GMT\+9/);

    // A month before the show the policy refunds everything: ¥10,250 back through Stripe, its tax recorded inside.
    const cancelled = await cancelOrder(d, buyer, order.id);
    expect(cancelled.refund).toMatchObject({ amountMinor: 10250, taxMinor: 840, status: 'succeeded' });
    expect(fake.refundedAmount(intent.id)).toBe(10250);
    expect([...fake.refunds.values()].find((r) => r.payment_intent === intent.id)).toMatchObject({
      amount: 10250,
      currency: 'jpy',
    });
    expect(await orderOf(order.id)).toMatchObject({ status: 'refunded', refundedMinor: 10250 });
  });

  it('charges euros in cents: the same figures are a hundred times less money', async () => {
    const d = deps();
    const { event } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 2,
      priceMinor: 5000,
      event: {
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        feePerTicketMinor: 350,
        taxMode: 'inclusive',
        taxRateBp: 700,
        taxLabel: 'VAT',
      },
    });
    const buyer = await buyerOf();
    const hold = await holdSeats(d, event.id, buyer.id, 1);
    const paid = await payForHold(d, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key());
    expect(paid).toMatchObject({ outcome: 'paid', currency: 'EUR', totalMinor: 5350 });
    expect(intentOf(paid.orderId)).toMatchObject({ amount: 5350, currency: 'eur' });
    await outboxSettled();
    const mail = d.email.sent.find((m) => m.text.includes('Total: €53.50'));
    expect(mail).toBeDefined();
  });

  it('refuses a currency outside the list: in the contract, in the database, and before Stripe is called', async () => {
    const admin = await createUser(handle().db, { role: 'admin' });
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 1 });
    await expect(
      createEvent(
        handle().db,
        {
          name: 'Dinar night',
          performer: 'Anyone',
          category: 'concert',
          venueId: event.venueId,
          startsAt: new Date(Date.now() + 86_400_000),
          onSaleAt: new Date(),
          currency: 'BHD',
          tiers: [{ name: 'Standard', priceMinor: 10000 }],
        },
        admin.id,
      ),
    ).rejects.toThrow(/use one of USD, EUR/);
    // drizzle wraps the driver's error: the constraint's name is in its cause.
    const refused = await handle()
      .db.execute(sql`update events set currency = 'BHD' where id = ${event.id}`)
      .catch((error: Error) => error);
    expect(String((refused as Error).cause)).toMatch(/events_currency_check/);
    expect(() => stripeAmount(1000, 'BHD')).toThrow(/not supported/);
    expect(stripeAmount(5000, 'JPY')).toBe(5000);
    expect(stripeAmount(5000, 'EUR')).toBe(5000);
  });
});
