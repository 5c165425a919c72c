import 'server-only';
import { getCoordinator } from '@/lib/coordination';
import type { Leases } from '@/lib/coordination/leases/port';
import { inventoryDeps, type InventoryDeps } from '@/lib/inventory';
import type { QueueStore } from '@/lib/queue/store/port';
import { getEmailSender, type EmailSender } from '@/lib/notifications/email-sender';
import { getPaymentProvider } from './get-payment-provider';
import type { PaymentProvider } from './payment-provider';

/**
 * What checkout needs besides the inventory's database, seat filter, breaker and clock: the queue store (the gate's
 * check, ending the shopping window when paid), leases (cancelling an event), payments and mail.
 */
export type CheckoutDeps = InventoryDeps & {
  queue: QueueStore;
  leases: Leases;
  payments: PaymentProvider;
  email: EmailSender;
};

/** The process-wide dependencies (tests build their own with a fake clock and provider). */
export async function checkoutDeps(): Promise<CheckoutDeps> {
  const { queue, leases } = getCoordinator();
  return { ...(await inventoryDeps()), queue, leases, payments: getPaymentProvider(), email: getEmailSender() };
}
