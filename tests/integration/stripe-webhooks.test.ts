import { eq, sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as cancelRoute } from '@/app/api/orders/[id]/cancel/route';
import { POST as webhookRoute } from '@/app/api/webhooks/stripe/route';
import { orders, payments, webhookEvents } from '@/db/schema';
import { rows } from '@/db/sql';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { StripeProvider } from '@/lib/checkout/stripe-provider';
import { resetEnvForTests } from '@/lib/env';
import '@/lib/checkout/metrics';
import { admitted, checkoutTestDeps, countRows, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp } from '../support/http';
import { metricValue } from '../support/metrics';
import { payThroughRoute } from '../support/pay';

const webhookCount = (outcome: string) => metricValue('admitone_webhooks_total', { outcome });

/** Webhooks from the fake Stripe, signed with the SDK's test helper, into the real route handler. */
describe('Stripe webhooks', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });
  const { coordinator } = useTestCoordinator();
  let fake: FakeStripe;
  const toRoute = (request: Request) => webhookRoute(new NextRequest(request), { params: Promise.resolve({}) });

  beforeAll(async () => {
    fake = await startFakeStripe({ webhook: toRoute, autoDeliver: false, delayMs: 10 * 60_000 });
    process.env.STRIPE_SECRET_KEY = fake.secretKey;
    process.env.STRIPE_WEBHOOK_SECRET = fake.webhookSecret;
    resetEnvForTests();
    setPaymentProviderForTests(new StripeProvider(fake.client()));
  });
  afterEach(async () => {
    fake.autoDeliver = false;
    await fake.settled();
  });
  afterAll(async () => {
    setPaymentProviderForTests(undefined);
    delete process.env.STRIPE_SECRET_KEY;
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvForTests();
    await fake.close();
  });

  async function buyerWithHold(seats = 2) {
    const deps = checkoutTestDeps(handle(), coordinator(), new StripeProvider(fake.client()));
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const buyer = await signUp();
    const hold = await holdSeats(deps, event.id, buyer.id, seats);
    const cookie = await admitted(buyer, event.id);
    const pay = (paymentMethodId: string, key = crypto.randomUUID()) =>
      payThroughRoute(cookie, hold.id, { paymentMethodId, key });
    return { deps, event, buyer, hold, pay };
  }
  const orderStatus = async (id: string) =>
    (await handle().db.select({ status: orders.status }).from(orders).where(eq(orders.id, id)))[0]!.status;
  const succeededEventFor = async (orderId: string) => {
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, orderId));
    return fake.eventsOfType('payment_intent.succeeded').find((e) => e.data.object.id === payment!.providerPaymentId)!;
  };

  it('settles a slow payment when its webhook arrives, and ignores the same event delivered again', async () => {
    const { pay, hold } = await buyerWithHold();
    const answer = await pay('pm_card_delayed');
    expect(answer.status).toBe(202);
    const orderId = (answer.body as { orderId: string }).orderId;
    expect(await orderStatus(orderId)).toBe('pending');

    fake.settleProcessing(); // the bank answers
    const event = await succeededEventFor(orderId);
    const first = await fake.deliver(event.id);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      received: true,
      duplicate: false,
      type: 'payment_intent.succeeded',
      outcome: 'paid',
    });
    expect(await orderStatus(orderId)).toBe('paid');

    const again = await fake.deliver(event.id);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(await countRows(handle(), 'tickets', sql`order_id = ${orderId}`)).toBe(hold.seatIds.length);
    const [recorded] = await handle().db.select().from(webhookEvents).where(eq(webhookEvents.id, event.id));
    expect(recorded).toMatchObject({ type: 'payment_intent.succeeded', outcome: 'paid' });
    expect(recorded!.processedAt).not.toBeNull();
  });

  it('processes an event once when Stripe delivers it five times at once', async () => {
    const { pay } = await buyerWithHold();
    const orderId = ((await pay('pm_card_delayed')).body as { orderId: string }).orderId;
    fake.settleProcessing(); // the bank answers
    const event = await succeededEventFor(orderId);
    const before = { processed: await webhookCount('processed'), duplicate: await webhookCount('duplicate') };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => fake.deliver(event.id).then((r) => r.json() as Promise<{ duplicate: boolean }>)),
    );
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    expect((await webhookCount('processed')) - before.processed).toBe(1);
    expect((await webhookCount('duplicate')) - before.duplicate).toBe(4);
    expect(await countRows(handle(), 'tickets', sql`order_id = ${orderId}`)).toBe(2);
    expect(await countRows(handle(), 'webhook_events', sql`id = ${event.id}`)).toBe(1);
  });

  it('is harmless when the success webhook arrives while the checkout request is still settling the same payment', async () => {
    fake.autoDeliver = true;
    const { pay, hold } = await buyerWithHold();
    const answer = await pay('pm_card_visa');
    await fake.settled();
    expect(answer.status).toBe(201);
    const orderId = (answer.body as { orderId: string }).orderId;
    expect(await orderStatus(orderId)).toBe('paid');
    expect(await countRows(handle(), 'tickets', sql`order_id = ${orderId}`)).toBe(hold.seatIds.length);
    expect(await countRows(handle(), 'payments', sql`order_id = ${orderId} and status = 'succeeded'`)).toBe(1);
    const outcomes = await rows<{ outcome: string }>(
      handle().db,
      sql`select outcome from webhook_events where type = 'payment_intent.succeeded'`,
    );
    expect(outcomes.map((o) => o.outcome).every((o) => o === 'paid' || o === 'unchanged')).toBe(true);
  });

  it('ignores a failure reported after the success (out of order), and refund events for refunds it already settled', async () => {
    const { pay, buyer } = await buyerWithHold();
    const orderId = ((await pay('pm_card_visa')).body as { orderId: string }).orderId;
    const succeeded = await succeededEventFor(orderId);
    const late = fake.emit('payment_intent.payment_failed', {
      ...succeeded.data.object,
      status: 'requires_payment_method',
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'Your card was declined.',
      },
    });
    expect(await (await fake.deliver(late.id)).json()).toMatchObject({ duplicate: false, outcome: 'unchanged' });
    expect(await orderStatus(orderId)).toBe('paid');
    expect(await (await fake.deliver(succeeded.id)).json()).toMatchObject({ duplicate: false, outcome: 'unchanged' });

    const cancelled = await call(cancelRoute, {
      method: 'POST',
      url: `/api/orders/${orderId}/cancel`,
      params: { id: orderId },
      cookie: buyer.cookie,
    });
    expect(cancelled.status).toBe(200);
    const refundEvents = [...fake.eventsOfType('charge.refunded'), ...fake.eventsOfType('refund.created')];
    expect(refundEvents.length).toBeGreaterThanOrEqual(2);
    for (const e of refundEvents.reverse()) expect((await fake.deliver(e.id)).status).toBe(200);
    expect(await countRows(handle(), 'refunds', sql`order_id = ${orderId} and status = 'succeeded'`)).toBe(1);
    const [order] = await handle().db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ status: 'refunded', refundedMinor: order!.totalMinor });
  });

  it('refuses a bad or missing signature with 400 and records nothing', async () => {
    const { pay } = await buyerWithHold();
    const orderId = ((await pay('pm_card_visa')).body as { orderId: string }).orderId;
    const event = await succeededEventFor(orderId);
    const before = await countRows(handle(), 'webhook_events');

    const forged = await fake.deliver(event.id, { badSignature: true });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });

    const unsigned = await call(webhookRoute, {
      method: 'POST',
      url: '/api/webhooks/stripe',
      rawBody: JSON.stringify(event),
    });
    expect(unsigned.status).toBe(400);

    const tampered = await fake.deliver(event.id, {
      target: (request) =>
        request.text().then((text) =>
          toRoute(
            new Request(request.url, {
              method: 'POST',
              headers: request.headers,
              body: text.replace('"amount"', '"amount" '),
            }),
          ),
        ),
    });
    expect(tampered.status).toBe(400);
    expect(await countRows(handle(), 'webhook_events')).toBe(before);
  });
});
