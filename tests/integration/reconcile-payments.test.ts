import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, payments, refunds } from '@/db/schema';
import { rows } from '@/db/sql';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { findUnsettledPayments, reconcilePayments } from '@/lib/checkout/reconcile-payments';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { StripeProvider } from '@/lib/checkout/stripe-provider';
import { MemoryCoordinator } from '@/lib/coordination/memory';
import { placeHold } from '@/lib/inventory';
import { checkoutTestDeps, countRows, holdSeats } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { fakeClock } from '../support/inventory';

const key = () => `key-${crypto.randomUUID()}`;

/** Whatever crashes or gets lost, a payment that succeeded ends with tickets or a refund. */
describe('payment reconciliation', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  let fake: FakeStripe;
  beforeAll(async () => {
    // Slow payments stay processing until a test settles them: no timing in these tests.
    fake = await startFakeStripe({ delayMs: 10 * 60_000 });
  });
  afterAll(async () => fake.close());

  async function setup(clock?: ReturnType<typeof fakeClock>) {
    const provider = new StripeProvider(fake.client());
    const deps = clock
      ? checkoutTestDeps(handle(), new MemoryCoordinator(clock.ms), provider, clock.now)
      : checkoutTestDeps(handle(), coordinator(), provider);
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 5 });
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const hold = await holdSeats(deps, event.id, buyer.id, 2);
    return { deps, event, buyer, hold };
  }

  it('finishes an order whose payment went through while the answer was lost, without charging again', async () => {
    const { deps, buyer, hold } = await setup();
    fake.failNext(1, { afterProcessing: true });
    await expect(
      payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, key()),
    ).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR' });
    const [order] = await handle().db.select().from(orders).where(eq(orders.holdId, hold.id));
    expect(order!.status).toBe('pending');
    const charged = fake.succeededCharges();

    const report = await reconcilePayments(deps, { graceMs: 0 });
    expect(report).toMatchObject({ paymentsChecked: 1, ordersSettled: 1, unsettled: 0 });
    const [after] = await handle().db.select().from(orders).where(eq(orders.id, order!.id));
    expect(after!.status).toBe('paid');
    expect(await countRows(handle(), 'tickets', sql`order_id = ${order!.id}`)).toBe(2);
    expect(fake.succeededCharges()).toBe(charged);
  });

  it('lets the buyer retry the same request after a lost answer: same order, same PaymentIntent, one charge', async () => {
    const { deps, buyer, hold } = await setup();
    const k = key();
    fake.failNext(1, { afterProcessing: true });
    await expect(
      payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k),
    ).rejects.toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR' });
    const charged = fake.succeededCharges();
    const retried = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_visa' }, k);
    expect(retried.outcome).toBe('paid');
    expect(fake.succeededCharges()).toBe(charged);
    expect(await countRows(handle(), 'orders', sql`hold_id = ${hold.id}`)).toBe(1);
    expect(fake.requests.filter((r) => r.idempotencyKey === retried.orderId).map((r) => r.replayed)).toEqual([
      false,
      true,
    ]);
  });

  it('settles a slow payment whose webhook never came', async () => {
    const { deps, buyer, hold } = await setup();
    const pending = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_delayed' }, key());
    expect(pending.outcome).toBe('processing');
    expect((await reconcilePayments(deps, { graceMs: 0 })).ordersSettled).toBe(0); // still processing at the bank
    expect(fake.settleProcessing()).toBe(1);
    expect((await reconcilePayments(deps, { graceMs: 0 })).ordersSettled).toBe(1);
    const [order] = await handle().db.select().from(orders).where(eq(orders.id, pending.orderId));
    expect(order!.status).toBe('paid');
  });

  it('pays out an automatic refund that failed the first time', async () => {
    const clock = fakeClock();
    const { deps, event, buyer, hold } = await setup(clock);
    const pending = await payForHold(deps, buyer, { holdId: hold.id, paymentMethodId: 'pm_card_delayed' }, key());
    clock.advance(60 * 60_000);
    const rival = await createUser(handle().db);
    const rivalHold = await placeHold(deps, { eventId: event.id, userId: rival.id, seatIds: hold.seatIds });
    await payForHold(
      deps,
      { ...rival, role: 'customer' },
      { holdId: rivalHold.id, paymentMethodId: 'pm_card_visa' },
      key(),
    );
    fake.settleProcessing();

    // Stripe answers the refund with an error: the refund stays pending, recorded.
    fake.failNext(2, { status: 500, path: '/v1/refunds' });
    const report = await reconcilePayments(deps, { graceMs: 0 });
    expect(report.ordersSettled).toBe(1);
    const [refund] = await handle().db.select().from(refunds).where(eq(refunds.orderId, pending.orderId));
    expect(refund).toMatchObject({ status: 'pending', reason: 'seats_lost' });
    expect(await findUnsettledPayments(handle().db)).toEqual([]); // a pending refund counts as under way

    clock.advance(5 * 60_000);
    const second = await reconcilePayments(deps);
    expect(second.refundsIssued).toBe(1);
    const [paidBack] = await handle().db.select().from(refunds).where(eq(refunds.id, refund!.id));
    expect(paidBack!.status).toBe('succeeded');
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, pending.orderId));
    expect(fake.refundedAmount(payment!.providerPaymentId!)).toBe(paidBack!.amountMinor);
    expect((await reconcilePayments(deps)).refundsIssued).toBe(0);
  });

  it('runs from the cron route only with the cron secret', async () => {
    const { POST } = await import('@/app/api/cron/reconcile-payments/route');
    const { call } = await import('../support/http');
    setPaymentProviderForTests(new StripeProvider(fake.client()));
    try {
      expect((await call(POST, { method: 'POST', url: '/api/cron/reconcile-payments' })).status).toBe(401);
      expect(
        (
          await call(POST, {
            method: 'POST',
            url: '/api/cron/reconcile-payments',
            headers: { authorization: 'Bearer wrong' },
          })
        ).status,
      ).toBe(401);
      const ok = await call(POST, {
        method: 'POST',
        url: '/api/cron/reconcile-payments',
        headers: { authorization: `Bearer ${process.env.CRON_SECRET}` },
      });
      expect(ok).toMatchObject({ status: 200, body: { unsettled: 0 } });
    } finally {
      setPaymentProviderForTests(undefined);
    }
  });

  it('fails orders that never reached the payment provider, and purges idempotency answers after 24 hours', async () => {
    const clock = fakeClock();
    const { deps, buyer } = await setup(clock);
    const [stale] = await rows<{ id: string }>(
      handle().db,
      sql`insert into orders (reference, user_id, event_id, status, email, currency, subtotal_minor, fees_minor, total_minor, created_at)
          select 'AO-TEST-STAL', ${buyer.id}, e.id, 'pending', ${buyer.email}, 'USD', 100, 0, 100, now() - interval '1 hour' from events e limit 1 returning id`,
    );
    await rows(
      handle().db,
      sql`insert into idempotency_keys (user_id, scope, key, request_hash, status, response_status, response_body, created_at, expires_at)
          values (${buyer.id}, 'checkout', 'old-key-123', 'x', 'completed', 200, '{}', now() - interval '25 hours', now() - interval '1 hour')`,
    );
    const report = await reconcilePayments(deps);
    expect(report).toMatchObject({ ordersAbandoned: 1, idempotencyKeysPurged: 1 });
    const [order] = await handle().db.select().from(orders).where(eq(orders.id, stale!.id));
    expect(order).toMatchObject({ status: 'failed', failureCode: 'abandoned' });
  });
});
