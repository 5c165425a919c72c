import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GET as orderRoute } from '@/app/api/orders/[id]/route';
import { POST as cancelRoute } from '@/app/api/orders/[id]/cancel/route';
import { payments } from '@/db/schema';
import type { CancelResult, CheckoutResult, OrderDetails } from '@/lib/contracts/checkout';
import { admitted, countRows, holdSeats, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { WALLET_PAYMENT_METHODS } from '../support/fake-stripe';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp } from '../support/http';
import { payThroughRoute } from '../support/pay';

type Person = Awaited<ReturnType<typeof signUp>>;

/**
 * Issue 20, item 3: a wallet (Apple Pay, Google Pay) pays through the same checkout route as a card. The browser's
 * Payment Element turns the wallet sheet into a PaymentMethod id; from there the path is the card's: one PaymentIntent
 * per order id, replays answered from the first, refunds through Stripe. The order records which wallet paid.
 */
describe('wallet payments through POST /api/checkout (fake Stripe)', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator);

  async function heldSeats(person: Person, seats = 2) {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const hold = await holdSeats(stripe.deps(), event.id, person.id, seats);
    return { event, hold, cookie: await admitted(person, event.id) };
  }
  const getOrder = async (person: Person, id: string) =>
    (await call(orderRoute, { url: `/api/orders/${id}`, params: { id }, cookie: person.cookie })).body as OrderDetails;
  const intentsFor = (orderId: string) =>
    [...stripe.fake().intents.values()].filter((i) => i.metadata.order_id === orderId);

  it('pays with Apple Pay: one PaymentIntent, a replay of the key answers the same, and the order says Apple Pay •••• 4242', async () => {
    const alice = await signUp();
    const { hold, cookie } = await heldSeats(alice);
    const key = crypto.randomUUID();
    const paid = await payThroughRoute(cookie, hold.id, { key, paymentMethodId: WALLET_PAYMENT_METHODS.applePay });
    expect(paid.status).toBe(201);
    const order = paid.body as CheckoutResult;
    expect(order).toMatchObject({
      outcome: 'paid',
      status: 'paid',
      ticketIds: [expect.any(String), expect.any(String)],
    });

    // The double click, the retry after a lost answer: the first answer again, nothing charged twice.
    const again = await Promise.all(
      [1, 2, 3].map(() => payThroughRoute(cookie, hold.id, { key, paymentMethodId: WALLET_PAYMENT_METHODS.applePay })),
    );
    for (const answer of again) expect(answer).toMatchObject({ status: 201, body: paid.body });
    const intents = intentsFor(order.orderId);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      amount: order.totalMinor,
      currency: 'usd',
      status: 'succeeded',
      payment_method: WALLET_PAYMENT_METHODS.applePay,
    });
    expect(
      stripe.fake().requests.filter((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === order.orderId),
    ).toHaveLength(1);
    expect(await countRows(handle(), 'payments', sql`order_id = ${order.orderId} and status = 'succeeded'`)).toBe(1);

    const details = await getOrder(alice, order.orderId);
    expect(details).toMatchObject({
      status: 'paid',
      paidWith: { wallet: 'apple_pay', cardBrand: 'visa', cardLast4: '4242' },
    });
  });

  it('refunds a Google Pay order through Stripe when the buyer cancels it, and keeps saying how it was paid', async () => {
    const bob = await signUp();
    const { hold, cookie } = await heldSeats(bob, 1);
    const paid = await payThroughRoute(cookie, hold.id, { paymentMethodId: WALLET_PAYMENT_METHODS.googlePay });
    expect(paid.status).toBe(201);
    const order = paid.body as CheckoutResult;
    const [intent] = intentsFor(order.orderId);

    const cancelled = await call(cancelRoute, {
      method: 'POST',
      url: `/api/orders/${order.orderId}/cancel`,
      params: { id: order.orderId },
      cookie: bob.cookie,
    });
    expect(cancelled.status).toBe(200);
    expect((cancelled.body as CancelResult).refund).toMatchObject({
      amountMinor: order.totalMinor,
      status: 'succeeded',
    });
    expect(stripe.fake().refundedAmount(intent!.id)).toBe(order.totalMinor);
    const details = await getOrder(bob, order.orderId);
    expect(details).toMatchObject({
      status: 'refunded',
      refundedMinor: order.totalMinor,
      paidWith: { wallet: 'google_pay', cardBrand: 'mastercard', cardLast4: '4444' },
    });
  });

  it('records the wallet on the crash-retry path too: Stripe charged, the answer was lost, the same key settles it', async () => {
    const carol = await signUp();
    const { hold, cookie } = await heldSeats(carol, 1);
    const key = crypto.randomUUID();
    stripe.fake().failNext(1, { status: 500, afterProcessing: true, path: '/v1/payment_intents' });
    const lost = await payThroughRoute(cookie, hold.id, { key, paymentMethodId: WALLET_PAYMENT_METHODS.applePay });
    expect(lost).toMatchObject({ status: 502, body: { code: 'PAYMENT_PROVIDER_ERROR' } });

    const retried = await payThroughRoute(cookie, hold.id, { key, paymentMethodId: WALLET_PAYMENT_METHODS.applePay });
    expect(retried.status).toBe(201);
    const order = retried.body as CheckoutResult;
    expect(intentsFor(order.orderId)).toHaveLength(1);
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, order.orderId));
    expect(payment).toMatchObject({ status: 'succeeded', wallet: 'apple_pay', cardBrand: 'visa', cardLast4: '4242' });
  });

  it('a card paid through the Payment Element shows its brand; a declined one leaves nothing recorded', async () => {
    const dave = await signUp();
    const { hold, cookie } = await heldSeats(dave, 1);
    const declined = await payThroughRoute(cookie, hold.id, { paymentMethodId: 'pm_card_chargeDeclined' });
    expect(declined).toMatchObject({ status: 402, body: { code: 'PAYMENT_DECLINED' } });
    expect(await countRows(handle(), 'payments', sql`wallet is not null or card_last4 is not null`)).toBe(0);

    const paid = await payThroughRoute(cookie, hold.id, { paymentMethodId: 'pm_card_mastercard' });
    expect(paid.status).toBe(201);
    expect((await getOrder(dave, (paid.body as CheckoutResult).orderId)).paidWith).toEqual({
      wallet: null,
      cardBrand: 'mastercard',
      cardLast4: '4444',
    });
  });
});
