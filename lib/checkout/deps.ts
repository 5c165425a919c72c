import 'server-only';
import { getCoordinator } from '@/lib/coordination';
import type { Leases } from '@/lib/coordination/leases/port';
import { inventoryDeps, type InventoryDeps } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import type { QueueStore } from '@/lib/queue/store/port';
import { applyPaymentEvent } from './apply-payment-event';
import { getEmailSender, type EmailSender } from './email-sender';
import { getPaymentProvider, onLatePaymentResults } from './get-payment-provider';
import type { PaymentProvider } from './payment-provider';

/**
 * What checkout needs besides the inventory's database, seat filter, breaker and clock: the queue store (the gate's
 * check, ending the shopping window when paid), leases (cancelling an event), payments and mail.
 */
export type CheckoutDeps = InventoryDeps & { queue: QueueStore; leases: Leases; payments: PaymentProvider; email: EmailSender };

/** The process-wide dependencies (tests build their own with a fake clock and provider). */
export async function checkoutDeps(): Promise<CheckoutDeps> {
  // The simulated gateway reports late results (the slow test card) here, as Stripe would by webhook.
  onLatePaymentResults(async (event) => {
    try {
      await applyPaymentEvent(await checkoutDeps(), event);
    } catch (error) {
      log().warn({ err: error, event }, 'late payment result not applied; reconciliation will');
    }
  });
  const { queue, leases } = getCoordinator();
  return { ...(await inventoryDeps()), queue, leases, payments: getPaymentProvider(), email: getEmailSender() };
}
