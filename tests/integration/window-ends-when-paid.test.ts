import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { POST as holdRoute } from '@/app/api/events/[id]/holds/route';
import { payments } from '@/db/schema';
import { applyPaymentEvent } from '@/lib/checkout/apply-payment-event';
import type { CheckoutResult } from '@/lib/contracts/checkout';
import { reconcilePayments } from '@/lib/checkout/reconcile-payments';
import { admitted, holdSeats, useFakeStripe } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { call, signUp } from '../support/http';
import { seatIdsOf } from '../support/inventory';
import { payThroughRoute } from '../support/pay';

/**
 * Issue 15, item 10: every path that makes an order paid ends the buyer's shopping window, so the admission that
 * bought the seats cannot hold more: the checkout itself, a card that answers late (webhook), and reconciliation.
 */
describe('the shopping window ends when the order is paid, however late', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  const stripe = useFakeStripe(handle, coordinator);

  async function pendingPayment() {
    const buyer = await signUp();
    const deps = stripe.deps();
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 10 });
    const seats = await seatIdsOf(handle(), event.id);
    const hold = await holdSeats(deps, event.id, buyer.id, 1);
    const cookie = await admitted(buyer, event.id);
    const paid = await payThroughRoute(cookie, hold.id, { paymentMethodId: 'pm_card_delayed' });
    expect(paid.status).toBe(202); // the bank answers later
    const orderId = (paid.body as CheckoutResult).orderId;
    const holdMore = () =>
      call(holdRoute, { method: 'POST', params: { id: event.id }, cookie, body: { seatIds: [seats[10]!] } });
    return { deps, cookie, orderId, holdMore };
  }

  it('ends it when a late card result arrives by webhook', async () => {
    const { deps, orderId, holdMore } = await pendingPayment();
    stripe.fake().settleProcessing();
    const [payment] = await handle().db.select().from(payments).where(eq(payments.orderId, orderId));
    expect(
      await applyPaymentEvent(deps, {
        type: 'payment.succeeded',
        providerPaymentId: payment!.providerPaymentId!,
        orderId,
      }),
    ).toBe('paid');
    await expect
      .poll(async () => (await holdMore()).body, { timeout: 5_000 })
      .toMatchObject({ code: 'QUEUE_TOKEN_REQUIRED' });
  });

  it('ends it when reconciliation finds the payment succeeded', async () => {
    const { deps, holdMore } = await pendingPayment();
    stripe.fake().settleProcessing();
    await reconcilePayments({ ...deps, now: () => new Date(Date.now() + 10 * 60_000) });
    await expect
      .poll(async () => (await holdMore()).body, { timeout: 5_000 })
      .toMatchObject({ code: 'QUEUE_TOKEN_REQUIRED' });
  });
});
