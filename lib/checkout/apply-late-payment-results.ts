import 'server-only';
import { log } from '@/lib/observability/log';
import { applyPaymentEvent } from './apply-payment-event';
import { checkoutDeps } from './deps';
import { onLatePaymentResults } from './get-payment-provider';

/**
 * Sends the simulated gateway's late results (the slow test card) to applyPaymentEvent, as Stripe would by webhook.
 * Called once when the server process starts (lib/jobs), not from checkoutDeps: building dependencies must not
 * reach into the handlers that use them. A result that cannot be applied is left to the reconciliation job.
 */
export function applyLatePaymentResults(): void {
  onLatePaymentResults(async (event) => {
    try {
      await applyPaymentEvent(await checkoutDeps(), event);
    } catch (error) {
      log().warn({ err: error, event }, 'late payment result not applied; reconciliation will');
    }
  });
}
