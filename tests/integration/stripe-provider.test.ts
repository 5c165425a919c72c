import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeProvider } from '@/lib/checkout/stripe-provider';
import { startFakeStripe, WALLET_PAYMENT_METHODS, type FakeStripe } from '../support/fake-stripe';

/** The real stripe SDK against the tests' fake Stripe: what the Stripe provider sends and how it reads answers. */
describe('Stripe provider (real SDK, fake Stripe server)', () => {
  let fake: FakeStripe;
  let provider: StripeProvider;
  const charge = (orderId: string, paymentMethodId: string, amountMinor = 5000) => ({
    orderId,
    amountMinor,
    currency: 'USD',
    paymentMethodId,
    description: 'Test order',
    email: 'buyer@example.test',
  });

  beforeAll(async () => {
    fake = await startFakeStripe({ delayMs: 10 * 60_000 });
    provider = new StripeProvider(fake.client());
  });
  afterAll(async () => fake.close());

  it('charges pm_card_visa once and sends our order id as the idempotency key', async () => {
    const outcome = await provider.charge(charge('order-1', 'pm_card_visa'), 'order-1');
    expect(outcome.status).toBe('succeeded');
    const intent = fake.intents.get(outcome.providerPaymentId!)!;
    expect(intent).toMatchObject({
      amount: 5000,
      currency: 'usd',
      status: 'succeeded',
      metadata: { order_id: 'order-1' },
    });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
      idempotencyKey: 'order-1',
    });
  });

  it('reads which wallet and card paid from the expanded PaymentMethod (Apple Pay, Google Pay, a plain card)', async () => {
    const apple = await provider.charge(charge('order-w1', WALLET_PAYMENT_METHODS.applePay), 'order-w1');
    expect(apple).toMatchObject({
      status: 'succeeded',
      method: { wallet: 'apple_pay', cardBrand: 'visa', cardLast4: '4242' },
    });
    const google = await provider.charge(charge('order-w2', WALLET_PAYMENT_METHODS.googlePay), 'order-w2');
    expect(google).toMatchObject({ method: { wallet: 'google_pay', cardBrand: 'mastercard', cardLast4: '4444' } });
    expect(await provider.charge(charge('order-w3', 'pm_card_amex'), 'order-w3')).toMatchObject({
      method: { wallet: null, cardBrand: 'amex', cardLast4: '8431' },
    });
    // A replay of the same key answers the same, PaymentMethod included; so does a later read.
    expect(await provider.charge(charge('order-w1', WALLET_PAYMENT_METHODS.applePay), 'order-w1')).toEqual(apple);
    expect(await provider.retrieve(apple.providerPaymentId!)).toEqual(apple);
    expect(fake.requests.find((r) => r.idempotencyKey === 'order-w1')).toMatchObject({ path: '/v1/payment_intents' });
  });

  it('replays the first answer for the same key: one PaymentIntent, one charge', async () => {
    const before = fake.succeededCharges();
    const first = await provider.charge(charge('order-2', 'pm_card_visa'), 'order-2');
    const again = await Promise.all(
      Array.from({ length: 5 }, () => provider.charge(charge('order-2', 'pm_card_visa'), 'order-2')),
    );
    expect(again.map((o) => o.providerPaymentId)).toEqual(Array(5).fill(first.providerPaymentId));
    expect(fake.succeededCharges()).toBe(before + 1);
    expect(fake.requests.filter((r) => r.idempotencyKey === 'order-2' && r.replayed)).toHaveLength(5);
  });

  it('refuses the same key with other parameters (Stripe idempotency_error) as a provider error', async () => {
    await provider.charge(charge('order-3', 'pm_card_visa', 1000), 'order-3');
    await expect(provider.charge(charge('order-3', 'pm_card_visa', 2000), 'order-3')).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_ERROR',
    });
  });

  it('reads declines, with the bank reason', async () => {
    const declined = await provider.charge(charge('order-4', 'pm_card_chargeDeclined'), 'order-4');
    expect(declined).toMatchObject({
      status: 'declined',
      code: 'generic_decline',
      message: 'Your card was declined. Try another card.',
    });
    expect(declined.providerPaymentId).toMatch(/^pi_/);
    const poor = await provider.charge(charge('order-5', 'pm_card_chargeDeclinedInsufficientFunds'), 'order-5');
    expect(poor).toMatchObject({
      status: 'declined',
      code: 'insufficient_funds',
      message: 'Your card has insufficient funds. Try another card.',
    });
    const unknown = await provider.charge(charge('order-6', 'pm_card_nonsense'), 'order-6');
    expect(unknown).toMatchObject({ status: 'declined', code: 'invalid_payment_method' });
    expect(await provider.retrieve(declined.providerPaymentId!)).toMatchObject({
      status: 'declined',
      code: 'generic_decline',
    });
  });

  it('reports a slow payment as processing, then succeeded', async () => {
    const outcome = await provider.charge(charge('order-7', 'pm_card_delayed'), 'order-7');
    expect(outcome.status).toBe('processing');
    fake.settleProcessing(); // the bank answers
    expect(await provider.retrieve(outcome.providerPaymentId!)).toEqual({
      status: 'succeeded',
      providerPaymentId: outcome.providerPaymentId,
      method: { wallet: null, cardBrand: 'visa', cardLast4: '4242' },
    });
  });

  it('refunds once per key, and never more than was charged', async () => {
    const paid = await provider.charge(charge('order-8', 'pm_card_visa'), 'order-8');
    const request = {
      refundId: 'refund-1',
      orderId: 'order-8',
      providerPaymentId: paid.providerPaymentId!,
      amountMinor: 2500,
      reason: 'requested_by_customer' as const,
    };
    const first = await provider.refund(request, 'refund-1');
    const again = await provider.refund(request, 'refund-1');
    expect(first.status).toBe('succeeded');
    expect(again.providerRefundId).toBe(first.providerRefundId);
    expect(fake.refundedAmount(paid.providerPaymentId!)).toBe(2500);
    await expect(
      provider.refund({ ...request, refundId: 'refund-2', amountMinor: 4000 }, 'refund-2'),
    ).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR' });
  });

  it('turns an unreachable or failing Stripe into a provider error', async () => {
    fake.failNext(1, { status: 500 });
    await expect(provider.charge(charge('order-9', 'pm_card_visa'), 'order-9')).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_ERROR',
      status: 502,
    });
    // The retry with the same key goes through: nothing was charged by the failed call.
    expect((await provider.charge(charge('order-9', 'pm_card_visa'), 'order-9')).status).toBe('succeeded');
  });

  it('signs webhooks that the SDK verifies, and a tampered body fails', async () => {
    const paid = await provider.charge(charge('order-10', 'pm_card_visa'), 'order-10');
    const event = fake
      .eventsOfType('payment_intent.succeeded')
      .find((e) => e.data.object.id === paid.providerPaymentId)!;
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: fake.webhookSecret });
    expect(fake.client().webhooks.constructEvent(payload, header, fake.webhookSecret).id).toBe(event.id);
    expect(() =>
      fake.client().webhooks.constructEvent(payload.replace('succeeded', 'failed'), header, fake.webhookSecret),
    ).toThrow();
  });
});
