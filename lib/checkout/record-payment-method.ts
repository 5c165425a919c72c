import 'server-only';
import { eq } from 'drizzle-orm';
import { payments } from '@/db/schema';
import { log } from '@/lib/observability/log';
import type { CheckoutDeps } from './deps';
import type { PaymentMethodDetails } from './payment-provider';

/**
 * Writes how a payment was made (the wallet, the card's brand and last four digits) onto its row, when the provider
 * said (decision 049). Only a label for the order page: a failure here is logged and never fails a paid checkout.
 */
export async function recordPaymentMethod(
  deps: Pick<CheckoutDeps, 'db' | 'now'>,
  paymentId: string,
  method: PaymentMethodDetails | undefined,
): Promise<void> {
  if (!method) return;
  try {
    await deps.db
      .update(payments)
      .set({ wallet: method.wallet, cardBrand: method.cardBrand, cardLast4: method.cardLast4, updatedAt: deps.now() })
      .where(eq(payments.id, paymentId));
  } catch (error) {
    log().warn({ err: error, paymentId }, 'could not record how a payment was made');
  }
}
