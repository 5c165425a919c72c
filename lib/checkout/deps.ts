import 'server-only';
import { inventoryDeps, type InventoryDeps } from '@/lib/inventory';
import { log } from '@/lib/observability/log';
import { applyPaymentEvent } from './apply-payment-event';
import { getEmailSender, type EmailSender } from './email-sender';
import { getPaymentProvider, onLatePaymentResults } from './get-payment-provider';
import type { PaymentProvider } from './payment-provider';

/** What checkout needs besides the inventory's database, coordinator, breaker and clock. */
export type CheckoutDeps = InventoryDeps & { payments: PaymentProvider; email: EmailSender };

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
  return { ...(await inventoryDeps()), payments: getPaymentProvider(), email: getEmailSender() };
}
