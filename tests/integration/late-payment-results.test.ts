import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { orders } from '@/db/schema';
import { applyLatePaymentResults } from '@/lib/checkout/apply-late-payment-results';
import { checkoutDeps } from '@/lib/checkout/deps';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { payForHold } from '@/lib/checkout/pay-for-hold';
import { holdSeats, RecordingEmailSender } from '../support/checkout';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { setEmailSenderForTests } from '@/lib/notifications/email-sender';

/**
 * The simulated gateway's late results reach the orders once the server process wired them at start-up (as
 * startBackgroundJobs does), with the process's own dependencies: the slow test card ends in a paid order with no
 * webhook, as Stripe's would with one.
 */
describe('late payment results of the simulated gateway', () => {
  const { handle } = useTestDatabase();
  useTestCoordinator();
  afterAll(() => {
    setPaymentProviderForTests(undefined);
    setEmailSenderForTests(undefined);
  });

  it('settles a delayed payment by itself', async () => {
    setPaymentProviderForTests(undefined); // the process's own provider: the simulated gateway, as in the embedded mode
    setEmailSenderForTests(new RecordingEmailSender());
    applyLatePaymentResults();
    const deps = await checkoutDeps();
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const buyer = { ...(await createUser(handle().db)), role: 'customer' as const };
    const hold = await holdSeats(deps, event.id, buyer.id, 2);
    const pending = await payForHold(
      deps,
      buyer,
      { holdId: hold.id, paymentMethodId: 'pm_card_delayed' },
      `key-${crypto.randomUUID()}`,
    );
    expect(pending).toMatchObject({ outcome: 'processing', status: 'pending' });
    const status = async () =>
      (await handle().db.select({ status: orders.status }).from(orders).where(eq(orders.id, pending.orderId)))[0]
        ?.status;
    const deadline = Date.now() + 10_000;
    while ((await status()) !== 'paid' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await status()).toBe('paid');
  }, 15_000);
});
