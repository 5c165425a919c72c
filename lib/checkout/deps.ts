import 'server-only';
import { inventoryDeps, type InventoryDeps } from '@/lib/inventory';
import { getEmailSender, type EmailSender } from './email-sender';
import { getPaymentProvider } from './get-payment-provider';
import type { PaymentProvider } from './payment-provider';

/** What checkout needs besides the inventory's database, coordinator and clock. */
export type CheckoutDeps = InventoryDeps & { payments: PaymentProvider; email: EmailSender };

/** The process-wide dependencies (tests build their own with a fake clock and provider). */
export async function checkoutDeps(): Promise<CheckoutDeps> {
  return { ...(await inventoryDeps()), payments: getPaymentProvider(), email: getEmailSender() };
}
