import 'server-only';
import { env, paymentsMode } from '@/lib/env';
import type { PaymentEvent, PaymentProvider } from './payment-provider';
import { SimulatedGateway } from './simulated-gateway';
import { createStripeClient, StripeProvider } from './stripe-provider';
import { processSingleton } from '@/lib/process-singletons';

type Holder = { provider?: PaymentProvider; lateResults?: (event: PaymentEvent) => Promise<void> };
const holder = processSingleton<Holder>('payments', () => ({}));

/**
 * The process-wide payment provider: Stripe when STRIPE_SECRET_KEY is set (STRIPE_API_URL points it elsewhere, for
 * tests), else the simulated gateway, whose late results go to the handler registered with `onLatePaymentResults`.
 */
export function getPaymentProvider(): PaymentProvider {
  if (!holder.provider) {
    const e = env();
    if (paymentsMode(e) === 'stripe') {
      holder.provider = new StripeProvider(
        createStripeClient({ secretKey: e.STRIPE_SECRET_KEY!, apiUrl: e.STRIPE_API_URL }),
      );
    } else {
      const gateway = new SimulatedGateway();
      gateway.onEvent((event) => holder.lateResults?.(event));
      holder.provider = gateway;
    }
  }
  return holder.provider;
}

/** Where the simulated gateway's late results go (Stripe sends them as webhooks instead). */
export function onLatePaymentResults(handler: (event: PaymentEvent) => Promise<void>): void {
  holder.lateResults = handler;
}

export function setPaymentProviderForTests(provider: PaymentProvider | undefined): void {
  holder.provider = provider;
}
