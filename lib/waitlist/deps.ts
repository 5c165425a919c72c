import 'server-only';
import { inventoryDeps, type InventoryDeps } from '@/lib/inventory';
import { getEmailSender, type EmailSender } from '@/lib/notifications/email-sender';

/** What the waitlist needs: the inventory's (offers are holds) and the email sender (offers are mailed). */
export type WaitlistDeps = InventoryDeps & { email: EmailSender };

export async function waitlistDeps(): Promise<WaitlistDeps> {
  return { ...(await inventoryDeps()), email: getEmailSender() };
}
